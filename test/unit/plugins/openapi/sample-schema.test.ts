// The schema → value generator: formats, constraints, enum, composition, nullable, read/write-only, maps, recursion,
// names, intelligenceMock, seeds, the work limit — every value checked with ajv against the schema it came from.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { englishFaker, startSequence } from '../../../../plugins/openapi/fakers.js';
import { loadDocument, type LoadedSpec } from '../../../../plugins/openapi/load-spec.js';
import { createSampler, GenerationLimitError, type Direction } from '../../../../plugins/openapi/sample-schema.js';
import { schemaErrors } from '../../../helpers/openapi.js';

const v30 = (schemas: Record<string, unknown> = {}, intelligenceMock = false): LoadedSpec =>
  loadDocument({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths: {}, components: { schemas } }, intelligenceMock);
const v31 = (schemas: Record<string, unknown> = {}): LoadedSpec =>
  loadDocument({ openapi: '3.1.0', info: { title: 't', version: '1' }, paths: {}, components: { schemas } }, false);

/** `times` values for the schema, each from its own seed, each checked against the schema. */
function samples(spec: LoadedSpec, schema: unknown, options: { times?: number; direction?: Direction; name?: string; static?: boolean } = {}): any[] {
  const sampler = createSampler(spec, options.direction ?? 'response');
  return Array.from({ length: options.times ?? 30 }, (_, seed) => {
    startSequence(englishFaker, seed);
    const value = sampler.sample(schema, { faker: englishFaker, ...(options.name ? { name: options.name } : {}), static: options.static ?? false });
    expect(schemaErrors(spec, schema, value, options.direction), JSON.stringify(value)).toEqual([]);
    return value;
  });
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

describe('string formats', () => {
  it.each(['date-time', 'date', 'time', 'email', 'uuid', 'uri', 'hostname', 'ipv4', 'ipv6', 'byte', 'duration', 'uri-reference', 'json-pointer'])(
    'makes values of format %s', (format) => {
      const values = samples(v30(), { type: 'string', format });
      expect(new Set(values).size).toBeGreaterThan(1);
    });

  it('keeps to minLength, maxLength and pattern', () => {
    samples(v30(), { type: 'string', minLength: 20, maxLength: 25 });
    samples(v30(), { type: 'string', maxLength: 2 });
    const codes = samples(v30(), { type: 'string', pattern: '^[A-Z]{3}-\\d{4}$' });
    expect(codes.every((c) => /^[A-Z]{3}-\d{4}$/.test(c))).toBe(true);
    samples(v30(), { type: 'string', pattern: '^(foo|bar)_[a-f0-9]{2,6}(\\.json)?$' });
  });
});

describe('numbers', () => {
  it('keeps to inclusive and exclusive bounds, 3.0 and 3.1 style, and to multipleOf', () => {
    samples(v30(), { type: 'integer', minimum: 5, maximum: 7 });
    samples(v30(), { type: 'integer', minimum: 0, maximum: 3, exclusiveMinimum: true, exclusiveMaximum: true });
    samples(v31(), { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 });
    samples(v30(), { type: 'number', minimum: 0.5, maximum: 999.99, multipleOf: 0.01 });
    samples(v30(), { type: 'integer', multipleOf: 7, minimum: 10, maximum: 30 });
    samples(v30(), { type: 'integer', maximum: -5 });
  });

  it('keeps int32 values small unless the schema asks otherwise', () => {
    const values = samples(v30(), { type: 'integer', format: 'int32' });
    expect(values.every((v) => v >= 1 && v <= 1001)).toBe(true);
  });
});

describe('enum, const, arrays, maps', () => {
  it('picks enum members, and answers const', () => {
    const values = samples(v30(), { type: 'string', enum: ['a', 'b', 'c'] });
    expect(new Set(values).size).toBeGreaterThan(1);
    expect(samples(v31(), { const: 42 }, { times: 3 })).toEqual([42, 42, 42]);
  });

  it('makes 1–3 items within minItems/maxItems, unique when asked', () => {
    const plain = samples(v30(), { type: 'array', items: { type: 'integer' } });
    expect(plain.every((a) => a.length >= 1 && a.length <= 3)).toBe(true);
    samples(v30(), { type: 'array', minItems: 5, maxItems: 6, items: { type: 'boolean' }, uniqueItems: false });
    samples(v30(), { type: 'array', items: { type: 'string', enum: ['x', 'y', 'z'] }, uniqueItems: true, minItems: 3 });
    expect(samples(v30(), { type: 'array', maxItems: 0, items: { type: 'string' } }, { times: 3 })).toEqual([[], [], []]);
  });

  it('fills maps from additionalProperties, and adds nothing where additionalProperties is false', () => {
    const maps = samples(v30(), { type: 'object', additionalProperties: { type: 'integer', format: 'int32' } });
    expect(maps.every((m) => Object.keys(m).length >= 1 && Object.keys(m).length <= 3)).toBe(true);
    samples(v30(), { type: 'object', additionalProperties: { type: 'string' }, minProperties: 4, maxProperties: 5 });
    samples(v30(), { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false, required: ['a'] });
  });
});

describe('composition', () => {
  const spec = v30({
    Pet: { type: 'object', required: ['name', 'kind'], properties: { name: { type: 'string' }, kind: { type: 'string' } } },
    Cat: { allOf: [ref('Pet'), { type: 'object', required: ['lives'], properties: { lives: { type: 'integer', minimum: 1, maximum: 9 } } }] },
    Dog: { allOf: [ref('Pet'), { type: 'object', required: ['bark'], properties: { bark: { type: 'string', enum: ['woof', 'yip'] } } }] },
    AnyPet: { oneOf: [ref('Cat'), ref('Dog')], discriminator: { propertyName: 'kind', mapping: { cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog' } } },
  });

  it('merges allOf: the properties and requirements of every member', () => {
    const cats = samples(spec, ref('Cat'));
    expect(cats.every((c) => typeof c.name === 'string' && c.lives >= 1 && c.lives <= 9)).toBe(true);
  });

  it('picks one oneOf branch per value and sets the discriminator from the mapping', () => {
    const pets = samples(spec, ref('AnyPet'), { times: 40 });
    expect(new Set(pets.map((p) => p.kind))).toEqual(new Set(['cat', 'dog']));
    expect(pets.every((p) => (p.kind === 'cat' ? 'lives' in p : 'bark' in p))).toBe(true);
  });

  it('makes anyOf values, including a 3.1 type list with null', () => {
    samples(v31(), { anyOf: [{ type: 'string', format: 'email' }, { type: 'integer' }] });
    samples(v31(), { type: ['string', 'null'], format: 'uuid' });
  });
});

describe('nullable and read/write-only', () => {
  it('answers null now and then for nullable schemas, never in static mode', () => {
    const values = samples(v30(), { type: 'string', nullable: true }, { times: 80 });
    expect(values).toContain(null);
    expect(values.some((v) => typeof v === 'string')).toBe(true);
    expect(samples(v30(), { type: 'string', nullable: true }, { static: true }).includes(null)).toBe(false);
  });

  it('leaves writeOnly properties out of responses and readOnly ones out of requests', () => {
    const spec = v30({
      User: {
        type: 'object', required: ['id', 'password'],
        properties: { id: { type: 'integer', readOnly: true }, password: { type: 'string', writeOnly: true }, name: { type: 'string' } },
      },
    });
    const responses = samples(spec, ref('User'), { times: 5 });
    expect(responses.every((u) => 'id' in u && !('password' in u))).toBe(true);
    const requests = samples(spec, ref('User'), { times: 5, direction: 'request' });
    expect(requests.every((u) => !('id' in u) && 'password' in u)).toBe(true);
  });
});

describe('recursion and limits', () => {
  it('bounds recursive schemas: a schema met below itself keeps only its required properties', () => {
    const spec = v30({
      Category: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, children: { type: 'array', items: ref('Category') }, parent: ref('Category') } },
      Expression: { type: 'object', required: ['op', 'args'], properties: { op: { type: 'string' }, args: { type: 'array', items: ref('Expression') } } },
    });
    const depth = (node: any): number => 1 + Math.max(0, ...(node.children ?? []).map(depth), node.parent ? depth(node.parent) : 0);
    expect(Math.max(...samples(spec, ref('Category')).map(depth))).toBeLessThanOrEqual(2);
    const expressions = samples(spec, ref('Expression'));
    expect(expressions.every((e) => e.args.every((a: any) => a.args.length === 0))).toBe(true);
  });

  it('throws GenerationLimitError for a schema whose required properties fan out exponentially', () => {
    const schemas: Record<string, unknown> = { L0: { type: 'string' } };
    for (let i = 1; i <= 30; i++) {
      schemas[`L${i}`] = { type: 'object', required: ['a', 'b'], properties: { a: ref(`L${i - 1}`), b: ref(`L${i - 1}`) } };
    }
    const sampler = createSampler(v30(schemas), 'response');
    const started = Date.now();
    expect(() => sampler.sample(ref('L30'), { faker: englishFaker })).toThrow(GenerationLimitError);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('realistic values', () => {
  const spec = v30({
    Person: {
      type: 'object',
      properties: {
        email: { type: 'string' }, firstName: { type: 'string' }, city: { type: 'string' }, createdAt: { type: 'string' },
        price: { type: 'number' }, age: { type: 'integer' }, website: { type: 'string' }, ethnicity: { type: 'string' },
      },
    },
    Pet: { type: 'object', properties: { name: { type: 'string' } } },
  });

  it('chooses values by property name', () => {
    for (const person of samples(spec, ref('Person'), { times: 10 })) {
      expect(person.email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/i);
      expect(Date.parse(person.createdAt)).toBeLessThan(Date.now());
      expect(person.price).toBeGreaterThanOrEqual(1);
      expect(person.price).toBeLessThanOrEqual(1000);
      expect(Math.round(person.price * 100)).toBeCloseTo(person.price * 100, 6);
      expect(person.age).toBeGreaterThanOrEqual(18);
      expect(person.age).toBeLessThanOrEqual(90);
      expect(person.website).toMatch(/^https?:\/\//);
      expect(person.firstName).not.toMatch(/\s/);
    }
  });

  it('names a pet like a pet', () => {
    const petNames = new Set(englishFaker.rawDefinitions.animal?.pet_name);
    expect(samples(spec, ref('Pet'), { times: 10 }).every((p) => petNames.has(p.name))).toBe(true);
  });

  it('with intelligenceMock, reads descriptions: a country code, an order status', () => {
    const schemas = {
      Line: {
        type: 'object',
        properties: {
          origin: { type: 'string', description: 'ISO 3166-1 alpha-2 country code of origin' },
          state: { type: 'string', description: 'The status of the order' },
          share: { type: 'integer', description: 'Percentage of the total' },
        },
      },
    };
    const smart = samples(v30(schemas, true), ref('Line'), { times: 15 });
    expect(smart.every((l) => /^[A-Z]{2}$/.test(l.origin))).toBe(true);
    expect(smart.every((l) => ['placed', 'approved', 'shipped', 'delivered', 'cancelled'].includes(l.state))).toBe(true);
    expect(smart.every((l) => l.share >= 0 && l.share <= 100)).toBe(true);
    const plain = samples(v30(schemas, false), ref('Line'), { times: 15 });
    expect(plain.every((l) => /^[A-Z]{2}$/.test(l.origin))).toBe(false);
  });
});

describe('seeds', () => {
  const spec = v30({ Order: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, at: { type: 'string', format: 'date-time' }, total: { type: 'number' } } } });
  const sampler = createSampler(spec, 'response');
  const once = (seed: number | undefined) => {
    startSequence(englishFaker, seed);
    return sampler.sample(ref('Order'), { faker: englishFaker });
  };

  it('repeats every value, dates included, for the same seed; differs without one', () => {
    expect(once(42)).toEqual(once(42));
    expect(once(42)).not.toEqual(once(43));
    expect(once(undefined)).not.toEqual(once(undefined));
  });
});

describe('any schema (property test)', () => {
  const leaf = fc.oneof(
    fc.record({ type: fc.constant('string'), minLength: fc.integer({ min: 0, max: 5 }), maxLength: fc.integer({ min: 5, max: 12 }) }),
    fc.record({ type: fc.constant('string'), format: fc.constantFrom('email', 'uuid', 'date-time', 'date', 'ipv4', 'uri', 'hostname') }),
    fc.record({ type: fc.constant('string'), enum: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 4 }) }),
    fc.integer({ min: -50, max: 50 }).chain((low) => fc.record({
      type: fc.constantFrom('integer', 'number'), minimum: fc.constant(low), maximum: fc.integer({ min: low + 1, max: low + 100 }),
    })),
    fc.record({ type: fc.constant('boolean') }),
    fc.record({ type: fc.constant('string'), nullable: fc.constant(true) }),
  );
  const schema = fc.letrec<{ node: object }>((tie) => ({
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.record({ type: fc.constant('array'), items: tie('node'), minItems: fc.integer({ min: 0, max: 2 }), maxItems: fc.integer({ min: 2, max: 4 }) }),
      fc.dictionary(fc.constantFrom('id', 'name', 'email', 'price', 'city', 'createdAt', 'tags', 'x'), tie('node'), { maxKeys: 4 })
        .chain((properties) => fc.record({
          type: fc.constant('object'), properties: fc.constant(properties),
          required: fc.subarray(Object.keys(properties)), additionalProperties: fc.boolean(),
        })),
    ),
  })).node;

  it('generates values that validate against the schema they came from', () => {
    const spec = v30();
    const sampler = createSampler(spec, 'response');
    fc.assert(fc.property(schema, fc.integer({ min: 0, max: 1000 }), (s, seed) => {
      startSequence(englishFaker, seed);
      const value = sampler.sample(s, { faker: englishFaker });
      expect(schemaErrors(spec, s, value), JSON.stringify(value)).toEqual([]);
    }), { numRuns: 200 });
  });
});
