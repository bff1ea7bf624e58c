// Endpoints: both routing styles, isolation, auto-create, and the endpoint API.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(() => mg.close());

/** GET with an explicit Host header (fetch does not allow setting it). */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string; ruleId?: string }> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () =>
        resolve({ status: res.statusCode!, body, ruleId: res.headers['x-beeceptor-rule-id'] as string | undefined }));
    }).on('error', reject).end();
  });
}

describe('routing', () => {
  it('reaches an endpoint by path prefix /e/<name>/ and by Host <name>.localhost[:port]', async () => {
    await mg.api.post('/api/v2/endpoints/demo/rules', mockRule({ type: 'path', operator: 'equals', value: '/hello' }, { body: 'hi' }));
    expect(await (await fetch(`${mg.url}/e/demo/hello`)).text()).toBe('hi');
    const port = new URL(mg.url).port;
    expect((await getWithHost(`${mg.url}/hello`, `demo.localhost:${port}`)).body).toBe('hi');
    expect((await getWithHost(`${mg.url}/hello`, 'DEMO.localhost')).body).toBe('hi');
  });

  it('the path after /e/<name> is what conditions see; /e/<name> alone is /', async () => {
    await mg.api.post('/api/v2/endpoints/root/rules', mockRule({ type: 'path', operator: 'equals', value: '/' }, { body: 'root' }));
    expect(await (await fetch(`${mg.url}/e/root`)).text()).toBe('root');
    expect(await (await fetch(`${mg.url}/e/root/`)).text()).toBe('root');
    expect(await (await fetch(`${mg.url}/e/root?x=1`)).text()).toBe('root');
  });

  it('a Host that is not an endpoint host goes to the management API', async () => {
    const res = await getWithHost(`${mg.url}/api/health`, 'localhost');
    expect(JSON.parse(res.body)).toMatchObject({ status: 'ok' });
    const other = await getWithHost(`${mg.url}/hello`, 'a.b.localhost');
    expect(other.status).toBe(404);
  });

  it('honours another base domain', async () => {
    const custom = await startMockgate({ config: { baseDomain: 'mock.test' } });
    try {
      await custom.api.post('/api/v2/endpoints/shop/rules', mockRule({ type: 'path', operator: 'equals', value: '/' }, { body: 'shop' }));
      expect((await getWithHost(`${custom.url}/`, 'shop.mock.test')).body).toBe('shop');
      expect((await getWithHost(`${custom.url}/api/health`, 'shop.localhost')).status).toBe(200);
    } finally {
      await custom.close();
    }
  });

  it('an invalid name in /e/ is a 404 JSON error that says how names look', async () => {
    const res = await fetch(`${mg.url}/e/Bad_Name/x`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).error.message).toMatch(/\[a-z0-9\]/);
  });
});

describe('isolation', () => {
  it('rules and settings of one endpoint are invisible to another', async () => {
    await mg.api.post('/api/v2/endpoints/iso-a/rules', mockRule({ type: 'path', operator: 'equals', value: '/x' }, { body: 'a' }));
    await mg.api.patch('/api/v2/endpoints/iso-a/settings', { locale: 'fr' });
    expect(await (await fetch(`${mg.url}/e/iso-a/x`)).text()).toBe('a');
    expect(await (await fetch(`${mg.url}/e/iso-b/x`)).text()).toMatch(/^mockgate: no rule of endpoint "iso-b"/);
    expect((await mg.api.get('/api/v2/endpoints/iso-b/rules')).body).toEqual({ data: [] });
    expect((await mg.api.get('/api/v2/endpoints/iso-b/settings')).body.locale).toBe('en');
    const ruleId = (await mg.api.get('/api/v2/endpoints/iso-a/rules')).body.data[0].id;
    expect((await mg.api.get(`/api/v2/endpoints/iso-b/rules/${ruleId}`)).status).toBe(404);
  });
});

describe('endpoint API', () => {
  it('creates on first traffic, lists, creates by POST, refuses duplicates, deletes everything it owns', async () => {
    await fetch(`${mg.url}/e/by-traffic/anything`);
    const created = await mg.api.post('/api/v2/endpoints', { name: 'by-api' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'by-api', rules: 0 });
    expect((await mg.api.post('/api/v2/endpoints', { name: 'by-api' })).status).toBe(409);
    expect((await mg.api.post('/api/v2/endpoints', { name: 'UPPER' })).body.error).toMatchObject({ code: 'validation_error' });
    expect((await mg.api.post('/api/v2/endpoints', {})).body.error).toMatchObject({ code: 'validation_error', parameter: '/name' });
    const names = (await mg.api.get('/api/v2/endpoints')).body.data.map((e: { name: string }) => e.name);
    expect(names).toEqual(expect.arrayContaining(['by-traffic', 'by-api']));

    await mg.api.post('/api/v2/endpoints/by-api/rules', mockRule({ type: 'path', operator: 'equals', value: '/x' }, { body: 'x' }));
    await mg.api.patch('/api/v2/endpoints/by-api/settings', { locale: 'ja' });
    expect((await mg.api.delete('/api/v2/endpoints/by-api')).body).toEqual({ name: 'by-api', deleted: true });
    expect((await mg.api.delete('/api/v2/endpoints/by-api')).status).toBe(404);
    expect((await mg.api.get('/api/v2/endpoints/by-api/rules')).body).toEqual({ data: [] });
    expect((await mg.api.get('/api/v2/endpoints/by-api/settings')).body.locale).toBe('en');
    expect(await (await fetch(`${mg.url}/e/by-api/x`)).text()).toMatch(/^mockgate: no rule/);
  });

  it('with auto-create off, unknown endpoints are 404 until created', async () => {
    const strict = await startMockgate({ config: { autoCreateEndpoints: false } });
    try {
      const res = await fetch(`${strict.url}/e/ghost/x`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as any).error.code).toBe('not_found');
      await strict.api.post('/api/v2/endpoints', { name: 'ghost' });
      expect((await fetch(`${strict.url}/e/ghost/x`)).status).toBe(200);
    } finally {
      await strict.close();
    }
  });

  it('health answers with status and version', async () => {
    expect((await mg.api.get('/api/health')).body).toMatchObject({ status: 'ok', version: expect.any(String) });
  });
});
