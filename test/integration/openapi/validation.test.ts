// Request validation of an uploaded OpenAPI spec: 422 listing each violation with its pointer, 415, 400, 401 for a
// missing credential — and `settings.specs.validateRequests: false` lets the same requests be answered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

const SPEC = JSON.stringify({
  openapi: '3.0.3',
  info: { title: 'pets', version: '1' },
  components: {
    securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-API-Key' } },
    schemas: {
      Pet: {
        type: 'object', required: ['id', 'name'],
        properties: { id: { type: 'integer', readOnly: true }, name: { type: 'string', minLength: 1 }, age: { type: 'integer', minimum: 0 } },
      },
    },
  },
  paths: {
    '/pets': {
      get: {
        parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', maximum: 50 } }],
        responses: { 200: { description: 'ok', content: { 'application/json': { example: [{ id: 1, name: 'Rex' }] } } } },
      },
      post: {
        security: [{ key: [] }],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } } },
        responses: { 201: { description: 'created', content: { 'application/json': { example: { id: 2, name: 'Max' } } } } },
      },
    },
    '/pets/{petId}': {
      get: {
        parameters: [{ name: 'petId', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: { 200: { description: 'ok', content: { 'application/json': { example: { id: 1, name: 'Rex' } } } } },
      },
    },
  },
});

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
  const form = new FormData();
  form.set('file', new Blob([SPEC], { type: 'application/json' }), 'pets.json');
  const accepted = await fetch(`${mg.url}/api/v2/endpoints/shop/specs`, { method: 'POST', body: form });
  expect(accepted.status).toBe(202);
  const { jobId } = (await accepted.json()) as { jobId: string };
  for (let i = 0; ; i++) {
    const job = (await mg.api.get(`/api/v2/endpoints/shop/jobs/${jobId}`)).body;
    if (job.status === 'COMPLETED') break;
    if (job.status === 'FAILED' || i === 400) throw new Error(`the spec did not import: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
});
afterAll(() => mg.close());

const call = async (method: string, path: string, headers: Record<string, string> = {}, body?: string) => {
  const res = await fetch(`${mg.url}/e/shop${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) };
};
const json = { 'content-type': 'application/json', 'x-api-key': 'k' };

describe('request validation of a spec', () => {
  it('answers a valid request from the spec', async () => {
    expect((await call('GET', '/pets?limit=5')).status).toBe(200);
    expect((await call('POST', '/pets', json, JSON.stringify({ name: 'Rex' }))).status).toBe(201);
  });

  it('refuses invalid parameters with Prism\'s 422, each violation located with a pointer', async () => {
    const res = await call('GET', '/pets?limit=500');
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body).toEqual({
      type: 'https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY',
      title: 'Invalid request',
      status: 422,
      detail: expect.any(String),
      validation: [{ location: ['query', 'limit'], severity: 'Error', code: 'maximum', message: 'must be <= 50', pointer: '/query/limit' }],
    });
    expect((await call('GET', '/pets/abc')).body.validation).toEqual([
      { location: ['path', 'petId'], severity: 'Error', code: 'type', message: 'must be integer', pointer: '/path/petId' },
    ]);
  });

  it('lists every violation of a body', async () => {
    const res = await call('POST', '/pets', json, JSON.stringify({ name: '', age: -1 }));
    expect(res.status).toBe(422);
    expect(res.body.validation.map((v: { pointer: string; code: string }) => `${v.pointer} ${v.code}`)).toEqual(['/body/name minLength', '/body/age minimum']);
    expect((await call('POST', '/pets', { 'x-api-key': 'k' })).body.validation).toMatchObject([{ pointer: '/body', code: 'required' }]);
  });

  it('answers 415 for a media type the operation does not take, 400 for JSON that does not parse', async () => {
    const unsupported = await call('POST', '/pets', { ...json, 'content-type': 'text/plain' }, 'Rex');
    expect(unsupported.status).toBe(415);
    expect(unsupported.body).toMatchObject({ status: 415, validation: [{ pointer: '/header/content-type', code: 'unsupported_media_type' }] });
    const malformed = await call('POST', '/pets', json, '{"name": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ status: 400, validation: [{ pointer: '/body', code: 'invalid_json' }] });
  });

  it('answers 401 naming the scheme when the operation\'s API key is missing', async () => {
    const res = await call('POST', '/pets', { 'content-type': 'application/json' }, JSON.stringify({ name: 'Rex' }));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('ApiKey name="X-API-Key", in="header"');
    expect(res.body).toMatchObject({ type: 'https://stoplight.io/prism/errors#UNAUTHORIZED', title: 'Invalid security scheme used', status: 401 });
  });

  it('answers the same requests once settings.specs.validateRequests is false, and validates again when it is reset', async () => {
    const patched = await mg.api.patch('/api/v2/endpoints/shop/settings', { specs: { validateRequests: false } });
    expect(patched.body.specs).toEqual({ validateRequests: false });
    expect((await call('GET', '/pets?limit=500')).status).toBe(200);
    expect((await call('POST', '/pets', { 'content-type': 'application/json' }, JSON.stringify({ name: '' }))).status).toBe(201);

    await mg.api.patch('/api/v2/endpoints/shop/settings', { specs: null });
    expect((await call('GET', '/pets?limit=500')).status).toBe(422);
  });
});
