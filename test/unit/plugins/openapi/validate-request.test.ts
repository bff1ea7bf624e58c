// Request validation against an operation: parameters by style with coercion, the body by media type, each
// violation with its location and pointer; the problem+json answer and its status.
import { describe, expect, it } from 'vitest';
import { compileRequestValidator, violationsResponse, type Violation } from '../../../../plugins/openapi/validate-request.js';
import { operationOf, requestOf, specOf } from './fixtures.js';

const pet = {
  type: 'object', required: ['id', 'name'],
  properties: {
    id: { type: 'integer', readOnly: true },
    name: { type: 'string', minLength: 1 },
    age: { type: 'integer', minimum: 0 },
    tag: { type: 'string', nullable: true },
    vaccinated: { type: 'boolean' },
    parent: { $ref: '#/components/schemas/Pet' },
  },
};

const v30 = specOf({
  openapi: '3.0.3', info: { title: 'pets', version: '1' },
  components: { schemas: { Pet: pet } },
  paths: {
    '/pets/{petId}': {
      parameters: [{ name: 'petId', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
      get: {
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 100 } },
          { name: 'tags', in: 'query', schema: { type: 'array', items: { type: 'string', enum: ['a', 'b', 'c'] } } },
          { name: 'ids', in: 'query', explode: false, schema: { type: 'array', items: { type: 'integer' } } },
          { name: 'verbose', in: 'query', schema: { type: 'boolean' } },
          { name: 'X-Trace', in: 'header', required: true, schema: { type: 'string', pattern: '^[a-f0-9]+$' } },
          { name: 'X-Sizes', in: 'header', schema: { type: 'array', items: { type: 'number' } } },
          { name: 'Authorization', in: 'header', required: true, schema: { type: 'string' } },
          { name: 'filter', in: 'query', style: 'deepObject', schema: { type: 'object', additionalProperties: false, properties: { color: { type: 'string' }, size: { type: 'integer' } } } },
          { name: 'session', in: 'cookie', required: true, schema: { type: 'string', minLength: 3 } },
          { name: 'where', in: 'query', content: { 'application/json': { schema: { type: 'object', required: ['q'] } } } },
        ],
        responses: { 200: { description: 'ok' } },
      },
    },
    '/pets': {
      post: {
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/Pet' } },
            'application/x-www-form-urlencoded': { schema: { $ref: '#/components/schemas/Pet' } },
            'text/*': { schema: { type: 'string', maxLength: 3 } },
          },
        },
        responses: { 201: { description: 'created' } },
      },
      put: { requestBody: { content: { 'application/json': { schema: pet } } }, responses: { 200: { description: 'ok' } } },
    },
  },
});

const getPet = compileRequestValidator(v30, operationOf(v30, 'GET /pets/{petId}'));
const postPet = compileRequestValidator(v30, operationOf(v30, 'POST /pets'));
const putPet = compileRequestValidator(v30, operationOf(v30, 'PUT /pets'));

const good = { 'x-trace': 'beef', cookie: 'session=abcd; other=1' };
const summary = (violations: Violation[]) => violations.map((v) => `${v.path} ${v.code}`);

describe('parameters', () => {
  it('passes a valid request, coercing texts to the schemas\' types in every style', () => {
    const url = '/pets/7?limit=10&tags=a&tags=b&ids=1,2,3&verbose=true&filter[color]=red&filter[size]=4&where=%7B%22q%22%3A1%7D';
    expect(getPet(requestOf('GET', url, { headers: { ...good, 'X-Sizes': '1.5, 2' } }), { petId: '7' })).toEqual([]);
  });

  it('reports each invalid parameter at its location, with a JSON pointer', () => {
    const url = '/pets/x?limit=500&tags=z&ids=1,x&verbose=maybe&filter[size]=big&filter[shape]=round&where=%7B%7D';
    const violations = getPet(requestOf('GET', url, { headers: { 'x-trace': 'XYZ', 'x-sizes': '1,a', cookie: 'session=ab' } }), { petId: 'x' });
    expect(summary(violations)).toEqual([
      '/path/petId type',
      '/query/limit maximum',
      '/query/tags/0 enum',
      '/query/ids/1 type',
      '/query/verbose type',
      '/header/X-Trace pattern',
      '/header/X-Sizes/1 type',
      '/query/filter/shape additionalProperties',
      '/query/filter/size type',
      '/cookie/session minLength',
      '/query/where/q required',
    ]);
    expect(violations[0]).toEqual({ location: ['path', 'petId'], path: '/path/petId', code: 'type', message: 'must be integer', severity: 'Error' });
    expect(violations[2]!.message).toBe('must be one of: "a", "b", "c"');
  });

  it('reports missing required parameters; ignores an Authorization header parameter as OpenAPI 3 says', () => {
    const violations = getPet(requestOf('GET', '/pets/1'), { petId: '1' });
    expect(violations).toEqual([
      { location: ['header', 'X-Trace'], path: '/header/X-Trace', code: 'required', message: "must have required property 'X-Trace'", severity: 'Error' },
      { location: ['cookie', 'session'], path: '/cookie/session', code: 'required', message: "must have required property 'session'", severity: 'Error' },
    ]);
  });

  it('reads header names case-insensitively and leaves text that is no number as text', () => {
    expect(getPet(requestOf('GET', '/pets/1?limit=', { headers: { 'X-TRACE': 'ab', cookie: 'session=abc' } }), { petId: '1' }).map((v) => v.path))
      .toEqual(['/query/limit']);
  });
});

describe('body', () => {
  it('passes a valid JSON body; a readOnly property need not be sent; nullable allows null', () => {
    expect(postPet(requestOf('POST', '/pets', { body: { name: 'Rex', tag: null, parent: { name: 'Max' } } }), {})).toEqual([]);
  });

  it('reports schema violations inside the body, nested ones too', () => {
    const violations = postPet(requestOf('POST', '/pets', { body: { name: '', age: -1, vaccinated: 'yes', parent: { age: 1.5 } } }), {});
    expect(summary(violations)).toEqual(['/body/name minLength', '/body/age minimum', '/body/vaccinated type', '/body/parent/name required', '/body/parent/age type']);
    expect(violations[3]!.location).toEqual(['body', 'parent', 'name']);
  });

  it('requires a required body; an optional one may be left out', () => {
    expect(postPet(requestOf('POST', '/pets'), {})).toEqual([
      { location: ['body'], path: '/body', code: 'required', message: 'a request body is required', severity: 'Error' },
    ]);
    expect(putPet(requestOf('PUT', '/pets'), {})).toEqual([]);
  });

  it('refuses a media type the operation does not accept, naming the ones it does', () => {
    const violations = putPet(requestOf('PUT', '/pets', { headers: { 'content-type': 'application/xml' }, body: '<pet/>' }), {});
    expect(violations).toEqual([{
      location: ['header', 'content-type'], path: '/header/content-type', code: 'unsupported_media_type',
      message: 'must be one of: application/json', severity: 'Error',
    }]);
  });

  it('reports a JSON body that does not parse', () => {
    const [violation] = postPet(requestOf('POST', '/pets', { headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"name": ' }), {});
    expect(violation).toMatchObject({ path: '/body', code: 'invalid_json', message: expect.stringMatching(/^is not valid JSON: /) });
  });

  it('checks url-encoded forms field by field, coerced; text bodies against a string schema under a range', () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect(postPet(requestOf('POST', '/pets', { headers: form, body: 'name=Rex&age=3&vaccinated=true' }), {})).toEqual([]);
    expect(summary(postPet(requestOf('POST', '/pets', { headers: form, body: 'name=Rex&age=old' }), {}))).toEqual(['/body/age type']);
    expect(postPet(requestOf('POST', '/pets', { headers: { 'content-type': 'text/plain' }, body: 'abc' }), {})).toEqual([]);
    expect(summary(postPet(requestOf('POST', '/pets', { headers: { 'content-type': 'text/plain' }, body: 'abcd' }), {}))).toEqual(['/body maxLength']);
  });

  it('takes a body without a Content-Type to be of the first declared media type', () => {
    const request = requestOf('POST', '/pets');
    request.setBody(Buffer.from('{"name": 5}'));
    expect(summary(postPet(request, {}))).toEqual(['/body/name type']);
  });
});

describe('Swagger 2.0', () => {
  const v20 = specOf({
    swagger: '2.0', info: { title: 'pets', version: '1' },
    definitions: { Pet: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
    paths: {
      '/pets': {
        post: {
          parameters: [
            { name: 'body', in: 'body', required: true, schema: { $ref: '#/definitions/Pet' } },
            { name: 'ids', in: 'query', type: 'array', collectionFormat: 'pipes', items: { type: 'integer' } },
            { name: 'tag', in: 'query', type: 'array', collectionFormat: 'multi', items: { type: 'string', maxLength: 2 } },
            { name: 'score', in: 'query', type: 'number', minimum: 0, exclusiveMinimum: true },
          ],
          responses: { 200: { description: 'ok' } },
        },
      },
      '/upload': {
        post: {
          parameters: [
            { name: 'count', in: 'formData', type: 'integer', required: true, maximum: 5 },
            { name: 'file', in: 'formData', type: 'file' },
          ],
          responses: { 200: { description: 'ok' } },
        },
      },
    },
  });
  const post = compileRequestValidator(v20, operationOf(v20, 'POST /pets'));
  const upload = compileRequestValidator(v20, operationOf(v20, 'POST /upload'));

  it('accepts JSON when the operation has no consumes, and checks the body parameter\'s schema', () => {
    expect(post(requestOf('POST', '/pets?ids=1|2&tag=a&tag=b&score=0.5', { body: { name: 'Rex' } }), {})).toEqual([]);
    expect(summary(post(requestOf('POST', '/pets?ids=1|x&tag=abc&score=0', { body: {} }), {})))
      .toEqual(['/query/ids/1 type', '/query/tag/0 maxLength', '/query/score exclusiveMinimum', '/body/name required']);
    expect(summary(post(requestOf('POST', '/pets', { headers: { 'content-type': 'text/plain' }, body: 'Rex' }), {})))
      .toEqual(['/header/content-type unsupported_media_type']);
  });

  it('checks formData parameters of a url-encoded body', () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect(upload(requestOf('POST', '/upload', { headers: form, body: 'count=3' }), {})).toEqual([]);
    expect(summary(upload(requestOf('POST', '/upload', { headers: form, body: 'count=9' }), {}))).toEqual(['/body/count maximum']);
    expect(summary(upload(requestOf('POST', '/upload', { headers: form, body: 'file=x' }), {}))).toEqual(['/body/count required']);
    expect(summary(upload(requestOf('POST', '/upload'), {}))).toEqual(['/body required']);
  });
});

describe('OpenAPI 3.1', () => {
  const v31 = specOf({
    openapi: '3.1.0', info: { title: 'pets', version: '1' },
    components: { schemas: { Tree: { type: 'object', properties: { leaf: { type: ['string', 'null'] }, kids: { type: 'array', items: { $ref: '#/components/schemas/Tree' } } } } } },
    paths: {
      '/trees': {
        post: {
          parameters: [
            { name: 'depth', in: 'query', schema: { type: ['integer', 'null'], maximum: 3 } },
            { name: 'at', in: 'path', style: 'label', required: true, schema: { type: 'array', items: { type: 'integer' } } },
          ],
          requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Tree' } } } },
          responses: { 200: { description: 'ok' } },
        },
      },
    },
  });
  const post = compileRequestValidator(v31, operationOf(v31, 'POST /trees'));

  it('coerces to the first type of a type list the text can be, and checks recursive bodies', () => {
    expect(post(requestOf('POST', '/trees?depth=2', { body: { leaf: null, kids: [{ kids: [{ leaf: 'x' }] }] } }), { at: '.1,2' })).toEqual([]);
    expect(summary(post(requestOf('POST', '/trees?depth=9', { body: { kids: [{ kids: [{ leaf: 1 }] }] } }), { at: '.1,x' })))
      .toEqual(['/query/depth maximum', '/path/at/1 type', '/body/kids/0/kids/0/leaf type']);
  });
});

describe('violationsResponse', () => {
  const bodyOf = (violations: Violation[]) => {
    const response = violationsResponse(violations);
    return { status: response.status, type: response.headers!['content-type'], body: JSON.parse(String(response.body)) };
  };

  it('answers Prism\'s 422 problem+json listing each violation with its pointer', () => {
    const violations = postPet(requestOf('POST', '/pets', { body: { name: '', age: -1 } }), {});
    const { status, type, body } = bodyOf(violations);
    expect(status).toBe(422);
    expect(type).toBe('application/problem+json');
    expect(body).toEqual({
      type: 'https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY',
      title: 'Invalid request',
      status: 422,
      detail: expect.any(String),
      validation: [
        { location: ['body', 'name'], severity: 'Error', code: 'minLength', message: 'must NOT have fewer than 1 characters', pointer: '/body/name' },
        { location: ['body', 'age'], severity: 'Error', code: 'minimum', message: 'must be >= 0', pointer: '/body/age' },
      ],
    });
  });

  it('answers 415 when the media type is the only problem, 400 when an unparseable body is, 422 for a mix', () => {
    const unsupported = postPet(requestOf('POST', '/pets', { headers: { 'content-type': 'application/xml' }, body: '<a/>' }), {});
    expect(bodyOf(unsupported)).toMatchObject({ status: 415, body: { status: 415, type: 'https://stoplight.io/prism/errors#INVALID_CONTENT_TYPE' } });
    const malformed = postPet(requestOf('POST', '/pets', { headers: { 'content-type': 'application/json' }, body: '{' }), {});
    expect(bodyOf(malformed)).toMatchObject({ status: 400, body: { status: 400, title: 'Malformed request body' } });
    const mixed = getPet(requestOf('GET', '/pets/1', { headers: good }), { petId: 'x' }).concat(malformed);
    expect(bodyOf(mixed)).toMatchObject({ status: 422, body: { validation: [{ pointer: '/path/petId' }, { pointer: '/body', code: 'invalid_json' }] } });
  });
});
