// OpenAPI schemas as JSON Schema 2020-12: nullable, legacy keywords, $refs into $defs (recursion by reference),
// readOnly/writeOnly by direction, OpenAPI formats, RE2 patterns, one conversion and one validator per schema.
import { describe, expect, it } from 'vitest';
import { compileJsonSchema, toJsonSchema } from '../../../../plugins/openapi/json-schema.js';
import { specOf } from './fixtures.js';

const v30 = (schemas: Record<string, unknown>) => specOf({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths: {}, components: { schemas } });
const v31 = (schemas: Record<string, unknown>) => specOf({ openapi: '3.1.0', info: { title: 't', version: '1' }, paths: {}, components: { schemas } });
const v20 = (definitions: Record<string, unknown>) => specOf({ swagger: '2.0', info: { title: 't', version: '1' }, paths: {}, definitions });

const errorsOf = (validate: ReturnType<typeof compileJsonSchema>, value: unknown) =>
  validate(value) ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.keyword}`);

describe('toJsonSchema', () => {
  it('turns 3.0 nullable into a null type (and a null enum member), and wraps a typeless schema in anyOf', () => {
    const spec = v30({});
    expect(toJsonSchema(spec, { type: 'string', nullable: true, enum: ['a', 'b'] })).toEqual({ type: ['string', 'null'], enum: ['a', 'b', null] });
    const wrapped = { allOf: [{ type: 'integer' }], nullable: true };
    expect(toJsonSchema(spec, wrapped)).toEqual({ anyOf: [{ allOf: [{ type: 'integer' }] }, { type: 'null' }] });
    expect(compileJsonSchema(spec, wrapped)(null)).toBe(true);
    expect(compileJsonSchema(spec, { type: 'string' })(null)).toBe(false);
  });

  it('drops OpenAPI\'s own keywords and x- extensions, and rewrites boolean exclusive bounds', () => {
    const spec = v30({});
    const schema = {
      type: 'object', 'x-internal': true, example: { a: 1 }, xml: { name: 'a' }, externalDocs: { url: 'https://x' },
      discriminator: { propertyName: 'kind' },
      properties: { n: { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: false, 'x-unit': 'cm' } },
    };
    expect(toJsonSchema(spec, schema)).toEqual({ type: 'object', properties: { n: { type: 'number', exclusiveMinimum: 0, maximum: 10 } } });
    const validate = compileJsonSchema(spec, schema);
    expect(errorsOf(validate, { n: 0 })).toEqual(['/n exclusiveMinimum']);
    expect(errorsOf(validate, { n: 10 })).toEqual([]);
  });

  it('keeps a property that happens to be called like a dropped keyword', () => {
    const spec = v30({});
    expect(toJsonSchema(spec, { type: 'object', properties: { example: { type: 'string' }, 'x-id': { type: 'integer' } } }))
      .toEqual({ type: 'object', properties: { example: { type: 'string' }, 'x-id': { type: 'integer' } } });
  });

  it('puts each referenced definition into $defs once, and recursion refers to it instead of expanding', () => {
    const spec = v30({
      Node: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/Node' } }, owner: { $ref: '#/components/schemas/Owner' } } },
      Owner: { type: 'object', properties: { node: { $ref: '#/components/schemas/Node' } } },
    });
    const converted = toJsonSchema(spec, { $ref: '#/components/schemas/Node' }) as any;
    expect(converted.$ref).toBe('#/$defs/Node');
    expect(Object.keys(converted.$defs)).toEqual(['Node', 'Owner']);
    expect(converted.$defs.Node.properties.children.items).toEqual({ $ref: '#/$defs/Node' });
    expect(converted.$defs.Owner.properties.node).toEqual({ $ref: '#/$defs/Node' });

    const validate = compileJsonSchema(spec, { $ref: '#/components/schemas/Node' });
    expect(errorsOf(validate, { name: 'a', children: [{ name: 'b', children: [{ name: 'c' }] }] })).toEqual([]);
    expect(errorsOf(validate, { name: 'a', children: [{ name: 'b', children: [{ name: 1 }] }] })).toEqual(['/children/0/children/0/name type']);
    expect(errorsOf(validate, { name: 'a', owner: { node: {} } })).toEqual(['/owner/node required']);
  });

  it('gives an object met again inside itself (a document dereferenced already) one $defs entry', () => {
    const node: any = { type: 'object', properties: { value: { type: 'integer' } } };
    node.properties.next = node;
    const spec = v30({});
    const converted = toJsonSchema(spec, node) as any;
    expect(JSON.stringify(converted)).toBe('{"$ref":"#/$defs/schema","$defs":{"schema":{"type":"object","properties":{"value":{"type":"integer"},"next":{"$ref":"#/$defs/schema"}}}}}');
    expect(errorsOf(compileJsonSchema(spec, node), { value: 1, next: { value: 2, next: { value: 'x' } } })).toEqual(['/next/next/value type']);
  });

  it('does not require readOnly properties of a request, nor writeOnly ones of a response', () => {
    const spec = v30({
      Id: { type: 'integer', readOnly: true },
      User: {
        type: 'object', required: ['id', 'name', 'password'],
        properties: { id: { $ref: '#/components/schemas/Id' }, name: { type: 'string' }, password: { type: 'string', writeOnly: true } },
      },
    });
    const user = { $ref: '#/components/schemas/User' };
    expect(errorsOf(compileJsonSchema(spec, user, 'request'), { name: 'a', password: 'p' })).toEqual([]);
    expect(errorsOf(compileJsonSchema(spec, user, 'request'), { name: 'a' })).toEqual([' required']);
    expect(errorsOf(compileJsonSchema(spec, user, 'response'), { id: 1, name: 'a' })).toEqual([]);
    expect(errorsOf(compileJsonSchema(spec, user, 'response'), { name: 'a' })).toEqual([' required']);
    // a readOnly property may still be sent
    expect(errorsOf(compileJsonSchema(spec, user, 'request'), { id: 'x', name: 'a', password: 'p' })).toEqual(['/id type']);
  });

  it('takes 3.1 schemas as they are: type lists, $ref with siblings, const', () => {
    const spec = v31({
      Code: { type: 'string', pattern: '^[A-Z]{3}$' },
      Price: { type: 'object', properties: { currency: { $ref: '#/components/schemas/Code', description: 'ISO 4217' }, amount: { type: ['number', 'null'] }, kind: { const: 'price' } } },
    });
    const validate = compileJsonSchema(spec, { $ref: '#/components/schemas/Price' });
    expect(errorsOf(validate, { currency: 'EUR', amount: null, kind: 'price' })).toEqual([]);
    expect(errorsOf(validate, { currency: 'eur', amount: '1', kind: 'cost' })).toEqual(['/currency pattern', '/amount type', '/kind const']);
  });

  it('reads Swagger 2.0 definitions, x-nullable and the file type', () => {
    const spec = v20({ Pet: { type: 'object', properties: { tag: { type: 'string', 'x-nullable': true }, photo: { type: 'file' } } } });
    const validate = compileJsonSchema(spec, { $ref: '#/definitions/Pet' });
    expect(errorsOf(validate, { tag: null, photo: 'anything' })).toEqual([]);
    expect(errorsOf(validate, { tag: 1 })).toEqual(['/tag type']);
  });

  it('checks OpenAPI\'s formats and JSON Schema\'s', () => {
    const spec = v30({});
    const validate = compileJsonSchema(spec, {
      type: 'object',
      properties: { small: { type: 'integer', format: 'int32' }, at: { type: 'string', format: 'date-time' }, data: { type: 'string', format: 'byte' }, custom: { type: 'string', format: 'shoe-size' } },
    });
    expect(errorsOf(validate, { small: 5, at: '2024-01-02T03:04:05Z', data: 'aGk=', custom: 'anything' })).toEqual([]);
    expect(errorsOf(validate, { small: 2 ** 31, at: 'yesterday', data: 'not base64!' })).toEqual(['/small format', '/at format', '/data format']);
  });

  it('runs patterns on RE2, and leaves a pattern RE2 cannot run unchecked', () => {
    const spec = v30({});
    expect(compileJsonSchema(spec, { type: 'string', pattern: '^(a+)+$' })(`${'a'.repeat(40)}!`)).toBe(false);
    expect(compileJsonSchema(spec, { type: 'string', pattern: '^(?=x)' })('y')).toBe(true);
    // two patterns in one schema stay two patterns
    const both = compileJsonSchema(spec, { type: 'object', properties: { a: { type: 'string', pattern: '^a$' }, b: { type: 'string', pattern: '^b$' } } });
    expect(errorsOf(both, { a: 'a', b: 'b' })).toEqual([]);
    expect(errorsOf(both, { a: 'b', b: 'a' })).toEqual(['/a pattern', '/b pattern']);
  });

  it('converts and compiles a schema object once per spec and direction', () => {
    const spec = v30({});
    const schema = { type: 'integer' };
    expect(toJsonSchema(spec, schema)).toBe(toJsonSchema(spec, schema));
    expect(compileJsonSchema(spec, schema)).toBe(compileJsonSchema(spec, schema));
    expect(toJsonSchema(spec, schema, 'response')).not.toBe(toJsonSchema(spec, schema, 'request'));
    expect(toJsonSchema(v30({}), schema)).not.toBe(toJsonSchema(spec, schema));
  });
});
