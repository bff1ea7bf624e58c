// The Swagger Petstore, 3.0 (YAML) and 2.0 (JSON), uploaded as specs: the import job, every operation answering its
// first 2xx with a body valid against its schema, base paths, Prefer, Accept, headers, 405, security, the journal,
// rules made from the spec, DELETE, and a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDocument, type LoadedSpec } from '../../../plugins/openapi/load-spec.js';
import { parseDocument } from '../../../plugins/openapi/parse-document.js';
import { fixture, importSpec, schemaErrors, settleJob, uploadSpec } from '../../helpers/openapi.js';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
const specs: Record<string, LoadedSpec> = {};
const CREDENTIALS = { api_key: 'special-key', authorization: 'Bearer token' };

beforeAll(async () => {
  mg = await startMockgate();
  for (const [endpoint, name] of [['v3', 'petstore-v3.yaml'], ['v2', 'petstore-v2.json']] as const) {
    specs[endpoint] = loadDocument(parseDocument(fixture(name).toString(), name), false);
    await importSpec(mg, endpoint, name);
  }
}, 60_000);
afterAll(() => mg?.close());

const call = (endpoint: string, method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
  fetch(`${mg.url}/e/${endpoint}${path}`, { method, headers: { ...CREDENTIALS, ...headers }, ...(body === undefined ? {} : { body }) });

/** A request each operation of the Petstores accepts: its path parameters filled, its required query and body given. */
function requestFor(method: string, template: string): { path: string; body?: string; headers: Record<string, string> } {
  const path = template.replace('{petId}', '7').replace('{orderId}', '3').replace('{username}', 'user1');
  const query = path.endsWith('findByStatus') ? '?status=available' : path.endsWith('findByTags') ? '?tags=a'
    : path.endsWith('login') ? '?username=u&password=p' : '';
  const pet = JSON.stringify({ name: 'doggie', photoUrls: ['https://x.example/1.png'] });
  const bodies: Record<string, string> = {
    'POST /pet': pet, 'PUT /pet': pet, 'POST /store/order': JSON.stringify({ petId: 7, quantity: 1 }),
    'POST /user': JSON.stringify({ username: 'u' }), 'PUT /user/{username}': JSON.stringify({ username: 'u' }),
    'POST /user/createWithList': JSON.stringify([{ username: 'u' }]), 'POST /user/createWithArray': JSON.stringify([{ username: 'u' }]),
  };
  const body = bodies[`${method} ${template}`];
  return { path: path + query, headers: body === undefined ? {} : { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body }) };
}

/** The journal entry of the request to `url`, once the journal has it. */
async function journaled(endpoint: string, url: string): Promise<any> {
  for (let i = 0; i < 100; i++) {
    const entries = (await mg.api.get(`/api/v2/endpoints/${endpoint}/requests`)).body.data as any[];
    const entry = entries.find((e) => JSON.stringify(e).includes(url));
    if (entry !== undefined) return entry;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no journal entry for ${url}`);
}

/** The schema of the response the spec declares for a status (or its default) and media type. */
function responseSchema(spec: LoadedSpec, operation: any, status: number, type: string): unknown {
  const response = spec.deref(operation.responses[String(status)] ?? operation.responses.default);
  return spec.version === '2.0' ? response?.schema : response?.content?.[type]?.schema;
}

describe.each(['v3', 'v2'])('Petstore %s', (endpoint) => {
  const base = endpoint === 'v3' ? '/api/v3' : '/v2';

  it('answers every operation with its first 2xx and a body valid against its schema', async () => {
    const spec = specs[endpoint]!;
    let checked = 0;
    for (const op of spec.operations) {
      const { path, headers, body } = requestFor(op.method, op.pathTemplate);
      const res = await call(endpoint, op.method, base + path, headers, body);
      const statuses = Object.keys(op.operation.responses);
      const expected = statuses.filter((s) => /^2\d\d$/.test(s)).sort()[0] ?? (statuses.includes('default') ? '200' : statuses[0]);
      expect(`${op.method} ${op.pathTemplate} ${res.status}`).toBe(`${op.method} ${op.pathTemplate} ${expected}`);
      const type = res.headers.get('content-type');
      const text = await res.text();
      const schema = responseSchema(spec, op.operation, res.status, type ?? '');
      if (schema === undefined) continue;
      expect(type).toBe('application/json');
      expect(schemaErrors(spec, schema, JSON.parse(text)), `${op.method} ${op.pathTemplate}: ${text}`).toEqual([]);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(9);
  });

  it('serves only under the spec\'s base path: elsewhere the next step (the default answer) answers', async () => {
    expect((await call(endpoint, 'GET', `${base}/pet/7`)).status).toBe(200);
    const outside = await call(endpoint, 'GET', '/pet/7');
    expect(await outside.text()).toMatch(/no rule of endpoint/);
  });

  it('answers the response Prefer asks for, and a problem when the spec has none', async () => {
    const notFound = await call(endpoint, 'GET', `${base}/pet/7`, { prefer: 'code=404' });
    expect(notFound.status).toBe(404);
    expect(await notFound.text()).toBe('');
    const missing = await call(endpoint, 'GET', `${base}/pet/7`, { prefer: 'code=418' });
    expect(missing.status).toBe(500);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect((await missing.json() as any).detail).toBe('GET /pet/{petId} declares no 418 response (responses: 200, 400, 404)');
  });

  it('negotiates the media type: XML when asked, JSON for */*, 406 when nothing fits', async () => {
    const xml = await call(endpoint, 'GET', `${base}/pet/7`, { accept: 'application/xml' });
    expect(xml.headers.get('content-type')).toBe('application/xml');
    expect(await xml.text()).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<Pet>.*<name>[^<]+<\/name>.*<photoUrls>(<photoUrl>[^<]+<\/photoUrl>)+<\/photoUrls>.*<\/Pet>$/is);
    expect((await call(endpoint, 'GET', `${base}/pet/7`, { accept: '*/*' })).headers.get('content-type')).toBe('application/json');
    const refused = await call(endpoint, 'GET', `${base}/pet/7`, { accept: 'text/csv' });
    expect(refused.status).toBe(406);
    expect((await refused.json() as any).detail).toMatch(/answers application\/(json|xml), application\/(json|xml); the request accepts text\/csv/);
  });

  it('generates the response headers the spec declares', async () => {
    const res = await call(endpoint, 'GET', `${base}/user/login?username=u&password=p`);
    expect(res.headers.get('x-rate-limit')).toMatch(/^\d+$/);
    expect(Number.isNaN(Date.parse(res.headers.get('x-expires-after') ?? ''))).toBe(false);
  });

  it('answers 405 with Allow for a path the spec has without that method', async () => {
    const res = await call(endpoint, 'PATCH', `${base}/pet/7`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, POST, DELETE, HEAD');
  });

  it('answers 401 when the operation\'s credential is missing, and journals the answers as behavior oas', async () => {
    const res = await fetch(`${mg.url}/e/${endpoint}${base}/pet/7?unauthenticated`);
    expect(res.status).toBe(401);
    expect(await journaled(endpoint, `${base}/pet/7?unauthenticated`)).toMatchObject({ behavior: 'oas' });
  });
});

describe('rules from the Petstore', () => {
  it('makes one editable rule per operation, which answers as the spec did', async () => {
    const spec = specs.v3!;
    const made = await mg.api.post('/api/v2/endpoints/v3/specs/rules');
    expect(made.status).toBe(201);
    expect(made.body.created).toBe(spec.operations.length);
    const rules = (await mg.api.get('/api/v2/endpoints/v3/rules')).body.data;
    expect(rules.find((r: any) => r.description === 'getPetById: Find pet by ID')).toMatchObject({
      method: 'GET', conditions: [{ type: 'path', operator: 'template', value: '/api/v3/pet/:petId' }],
      action: { type: 'mock', status: 200, headers: [{ key: 'Content-Type', value: 'application/json' }] },
    });
    // literal paths come first, so /pet/findByStatus is not taken for a pet id
    const order = rules.map((r: any) => r.conditions[0].value);
    expect(order.indexOf('/api/v3/pet/findByStatus')).toBeLessThan(order.indexOf('/api/v3/pet/:petId'));

    for (const op of spec.operations) {
      const { path, headers, body } = requestFor(op.method, op.pathTemplate);
      const res = await call('v3', op.method, `/api/v3${path}`, headers, body);
      const text = await res.text();
      const rule = rules.find((r: any) => r.description.startsWith(`${op.operation.operationId}:`));
      // the rule's own bytes answer (generated answers would differ), with the status and type the spec step gives
      expect(`${op.method} ${op.pathTemplate} ${res.status} ${text}`).toBe(`${op.method} ${op.pathTemplate} ${rule.action.status} ${rule.action.body}`);
      const schema = responseSchema(spec, op.operation, res.status, res.headers.get('content-type') ?? '');
      if (schema !== undefined) expect(schemaErrors(spec, schema, JSON.parse(text)), text).toEqual([]);
    }
    // the spec step answers what no rule does
    await mg.api.delete('/api/v2/endpoints/v3/rules');
  });
});

describe('the spec\'s lifecycle', () => {
  it('imports a document PUT at the plugin\'s own path the same way', async () => {
    const put = await mg.api.send('PUT', '/api/v2/endpoints/put/openapi', fixture('petstore-v3.yaml'), { 'content-type': 'application/yaml' });
    expect(put.status).toBe(201);
    expect((await call('put', 'GET', '/api/v3/store/inventory')).status).toBe(200);
    const refused = await mg.api.send('PUT', '/api/v2/endpoints/put/openapi', 'openapi: 3.0.3\ninfo: {}\n', { 'content-type': 'application/yaml' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('is not a valid OpenAPI document');
    expect((await call('put', 'GET', '/api/v3/store/inventory')).status).toBe(200);
  });

  it('reports the import as a job whose progress moves through its stages', async () => {
    const seen: Array<{ progress: number; stage: string }> = [];
    const { jobId, type } = await uploadSpec(mg, 'again', 'petstore-v3.yaml', fixture('petstore-v3.yaml'));
    expect(type).toBe('oas');
    const job = await settleJob(mg, 'again', jobId, seen);
    expect(job).toMatchObject({ status: 'COMPLETED', progress: 100, result: { operations: 19, paths: 13, schemas: 8 } });
    expect(new Set(seen.map((s) => s.progress)).size).toBeGreaterThan(1);
    expect(seen.map((s) => s.progress)).toEqual([...seen.map((s) => s.progress)].sort((a, b) => a - b));
    expect(new Set(seen.map((s) => s.stage))).toContain('validating');
    expect((await mg.api.get('/api/v2/endpoints/again/specs')).body.data).toMatchObject({ type: 'openapi', operations: expect.arrayContaining(['GET /pet/{petId}']) });
  });

  it('keeps answering across a restart; DELETE …/specs stops it', async () => {
    const { dataDir } = mg;
    await mg.close({ removeData: false });
    mg = await startMockgate({ dataDir });
    expect((await call('v2', 'GET', '/v2/pet/7')).status).toBe(200);
    expect((await mg.api.delete('/api/v2/endpoints/v2/specs')).body).toEqual({ data: { deleted: true } });
    expect(await (await call('v2', 'GET', '/v2/pet/7')).text()).toMatch(/no rule of endpoint/);
  });
});
