// The CORS gate: preflights answered from the settings before security and rules, CORS headers on every answer to
// an allowed origin (rules, fallbacks, errors, 401, 429), none for a disallowed origin or a request without Origin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import { corsHeaders, send } from './http-client.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate({ config: { maxBodyBytes: 64 } });
});
afterAll(() => mg.close());

const DEFAULT_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD';
const APP = 'https://app.example.com';
const PREFLIGHT = { origin: APP, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-token, content-type' };

/** An endpoint with a rule answering every method on /hello (so a preflight that reached the rules would get "hi"). */
async function endpoint(name: string, settings?: Record<string, unknown>): Promise<void> {
  const rule = await mg.api.post(`/api/v2/endpoints/${name}/rules`, mockRule({ type: 'path', operator: 'equals', value: '/hello' }, { body: 'hi' }));
  expect(rule.status, JSON.stringify(rule.body)).toBe(201);
  if (settings === undefined) return;
  const patched = await mg.api.patch(`/api/v2/endpoints/${name}/settings`, settings);
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
}

describe('CORS by default: origins [] allows any origin', () => {
  beforeAll(() => endpoint('open'));

  it('answers a preflight 204 from the defaults, echoing the requested headers, without reaching the rules', async () => {
    const res = await send(mg.url, 'OPTIONS', '/e/open/hello', PREFLIGHT);
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    expect(res.headers['x-beeceptor-rule-id']).toBeUndefined();
    expect(corsHeaders(res.headers)).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': DEFAULT_METHODS,
      'access-control-allow-headers': 'x-token, content-type',
      'access-control-max-age': '600',
      vary: 'Access-Control-Request-Headers',
    });
  });

  it('a preflight without requested headers allows none', async () => {
    const res = await send(mg.url, 'OPTIONS', '/e/open/anything', { origin: APP, 'access-control-request-method': 'DELETE' });
    expect(res.status).toBe(204);
    expect(corsHeaders(res.headers)).toEqual({
      'access-control-allow-origin': '*', 'access-control-allow-methods': DEFAULT_METHODS, 'access-control-max-age': '600',
    });
  });

  it('an OPTIONS request without Access-Control-Request-Method is no preflight: the rules answer it', async () => {
    const res = await send(mg.url, 'OPTIONS', '/e/open/hello', { origin: APP });
    expect(res.status).toBe(200);
    expect(res.body).toBe('hi');
    expect(corsHeaders(res.headers)).toEqual({ 'access-control-allow-origin': '*' });
  });

  it('puts Access-Control-Allow-Origin: * on a rule answer and on the fallback answer', async () => {
    const ruled = await send(mg.url, 'GET', '/e/open/hello', { origin: APP });
    expect(ruled.status).toBe(200);
    expect(ruled.body).toBe('hi');
    expect(corsHeaders(ruled.headers)).toEqual({ 'access-control-allow-origin': '*' });
    const fallback = await send(mg.url, 'POST', '/e/open/nothing', { origin: 'http://localhost:5173' }, 'x');
    expect(fallback.status).toBe(200);
    expect(fallback.body).toBe('mockgate: no rule of endpoint "open" matched POST /nothing\n');
    expect(corsHeaders(fallback.headers)).toEqual({ 'access-control-allow-origin': '*' });
  });

  it('sends no CORS headers at all to a request without Origin', async () => {
    for (const [method, path] of [['GET', '/e/open/hello'], ['GET', '/e/open/nothing'], ['OPTIONS', '/e/open/hello']] as const) {
      const res = await send(mg.url, method, path, { 'access-control-request-method': 'PUT' });
      expect(res.status, `${method} ${path}`).toBe(200);
      expect(corsHeaders(res.headers), `${method} ${path}`).toEqual({});
    }
  });

  it('puts them on errors too: 413 payload_too_large from a rule that reads the body', async () => {
    const rule = await mg.api.post('/api/v2/endpoints/open-body/rules', mockRule({ type: 'body', operator: 'contains', value: 'x' }));
    expect(rule.status).toBe(201);
    const res = await send(mg.url, 'POST', '/e/open-body/upload', { origin: APP }, 'x'.repeat(200));
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error.code).toBe('payload_too_large');
    expect(corsHeaders(res.headers)).toEqual({ 'access-control-allow-origin': '*' });
  });
});

describe('CORS with listed origins', () => {
  beforeAll(() => endpoint('listed', { cors: { origins: [APP, 'localhost:3000'] } }));

  it('echoes a listed origin with Vary: Origin, on preflights and answers', async () => {
    const preflight = await send(mg.url, 'OPTIONS', '/e/listed/hello', PREFLIGHT);
    expect(preflight.status).toBe(204);
    expect(corsHeaders(preflight.headers)).toEqual({
      'access-control-allow-origin': APP,
      'access-control-allow-methods': DEFAULT_METHODS,
      'access-control-allow-headers': 'x-token, content-type',
      'access-control-max-age': '600',
      vary: 'Origin, Access-Control-Request-Headers',
    });
    const res = await send(mg.url, 'GET', '/e/listed/hello', { origin: APP });
    expect(res.body).toBe('hi');
    expect(corsHeaders(res.headers)).toEqual({ 'access-control-allow-origin': APP, vary: 'Origin' });
  });

  it('matches a full origin in any case, and an entry without scheme on any scheme', async () => {
    for (const origin of ['HTTPS://App.Example.com', 'http://localhost:3000', 'https://localhost:3000']) {
      const res = await send(mg.url, 'GET', '/e/listed/hello', { origin });
      expect(corsHeaders(res.headers), origin).toEqual({ 'access-control-allow-origin': origin, vary: 'Origin' });
    }
  });

  it('gives a disallowed origin no CORS headers: its preflight is refused 403, its requests are served', async () => {
    for (const origin of ['https://evil.example.com', 'http://app.example.com', 'http://localhost:3001', 'null']) {
      const preflight = await send(mg.url, 'OPTIONS', '/e/listed/hello', { ...PREFLIGHT, origin });
      expect(preflight.status, origin).toBe(403);
      expect(JSON.parse(preflight.body), origin).toEqual({
        error: { code: 'forbidden', message: `origin "${origin}" is not allowed by this endpoint's CORS settings` },
      });
      expect(corsHeaders(preflight.headers), origin).toEqual({});
      const res = await send(mg.url, 'GET', '/e/listed/hello', { origin });
      expect(res.status, origin).toBe(200);
      expect(res.body, origin).toBe('hi');
      expect(corsHeaders(res.headers), origin).toEqual({});
    }
  });

  it('`*` in the list allows any origin', async () => {
    await endpoint('star', { cors: { origins: ['https://one.example.com', '*'] } });
    const res = await send(mg.url, 'GET', '/e/star/hello', { origin: 'https://other.example.com' });
    expect(corsHeaders(res.headers)).toEqual({ 'access-control-allow-origin': '*' });
  });
});

describe("CORS with mockgate's additions", () => {
  it('credentials: echoes any origin with Vary: Origin and Allow-Credentials; exposes the listed headers', async () => {
    await endpoint('creds', { cors: { credentials: true, exposeHeaders: ['X-Total', 'ETag'] } });
    const res = await send(mg.url, 'GET', '/e/creds/hello', { origin: APP });
    expect(corsHeaders(res.headers)).toEqual({
      'access-control-allow-origin': APP,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'X-Total, ETag',
      vary: 'Origin',
    });
    const preflight = await send(mg.url, 'OPTIONS', '/e/creds/hello', PREFLIGHT);
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(APP);
    expect(preflight.headers['access-control-allow-credentials']).toBe('true');
  });

  it('methods, headers and maxAge replace the defaults in the preflight answer', async () => {
    await endpoint('custom', { cors: { methods: ['GET', 'POST'], headers: ['X-Token', 'Content-Type'], maxAge: 60 } });
    const res = await send(mg.url, 'OPTIONS', '/e/custom/hello', PREFLIGHT);
    expect(res.status).toBe(204);
    expect(corsHeaders(res.headers)).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'X-Token, Content-Type',
      'access-control-max-age': '60',
    });
    await mg.api.patch('/api/v2/endpoints/custom/settings', { cors: { headers: [] } });
    const none = await send(mg.url, 'OPTIONS', '/e/custom/hello', PREFLIGHT);
    expect(none.headers['access-control-allow-headers']).toBeUndefined();
  });

  it('settings: absent until set, stored when set, unset by null; invalid values are refused', async () => {
    expect((await mg.api.get('/api/v2/endpoints/fresh/settings')).body.cors).toEqual({ origins: [] });
    const set = await mg.api.patch('/api/v2/endpoints/fresh/settings', { cors: { methods: ['GET'], credentials: true, maxAge: 0 } });
    expect(set.body.cors).toEqual({ origins: [], methods: ['GET'], credentials: true, maxAge: 0 });
    const unset = await mg.api.patch('/api/v2/endpoints/fresh/settings', { cors: { methods: null, maxAge: null } });
    expect(unset.body.cors).toEqual({ origins: [], credentials: true });
    for (const [patch, pointer] of [
      [{ cors: { maxAge: -1 } }, '/cors/maxAge'],
      [{ cors: { maxAge: 86_401 } }, '/cors/maxAge'],
      [{ cors: { methods: ['GE T'] } }, '/cors/methods/0'],
      [{ cors: { headers: ['bad header'] } }, '/cors/headers/0'],
      [{ cors: { exposeHeaders: 'X-Total' } }, '/cors/exposeHeaders'],
      [{ cors: { credentials: 'yes' } }, '/cors/credentials'],
      [{ cors: { origins: ['https://a b'] } }, '/cors/origins/0'],
    ] as const) {
      const res = await mg.api.patch('/api/v2/endpoints/fresh/settings', patch);
      expect(res.status, pointer).toBe(400);
      expect(res.body.error.parameter, JSON.stringify(res.body.error)).toBe(pointer);
    }
  });
});

describe('CORS with the other gates', () => {
  beforeAll(() => endpoint('guarded', {
    security: { enabled: true, headerKey: 'x-api-key', headerValue: 'k' },
    rateLimit: { enabled: true, rate: 1, period: 'Minute' },
  }));

  it('answers a preflight before security and without counting it against the rate limit', async () => {
    for (let i = 0; i < 3; i++) expect((await send(mg.url, 'OPTIONS', '/e/guarded/hello', PREFLIGHT)).status).toBe(204);
  });

  it('puts CORS headers on the 401 and the 429', async () => {
    const refused = await send(mg.url, 'GET', '/e/guarded/hello', { origin: APP });
    expect(refused.status).toBe(401);
    expect(corsHeaders(refused.headers)).toEqual({ 'access-control-allow-origin': '*' });
    const first = await send(mg.url, 'GET', '/e/guarded/hello', { origin: APP, 'x-api-key': 'k' });
    expect(first.status).toBe(200);
    const limited = await send(mg.url, 'GET', '/e/guarded/hello', { origin: APP, 'x-api-key': 'k' });
    expect(limited.status).toBe(429);
    expect(corsHeaders(limited.headers)).toEqual({ 'access-control-allow-origin': '*' });
    expect(limited.headers['retry-after']).toMatch(/^[1-9]\d*$/);
  });

  it('journals an answered preflight as "cors-preflight" and a refused one as "rejected"', async () => {
    await endpoint('cors-journal', { cors: { origins: [APP] } });
    expect((await send(mg.url, 'OPTIONS', '/e/cors-journal/a', PREFLIGHT)).status).toBe(204);
    expect((await send(mg.url, 'OPTIONS', '/e/cors-journal/b', { ...PREFLIGHT, origin: 'https://evil.example.com' })).status).toBe(403);
    let data: any[] = [];
    for (let i = 0; i < 100 && data.length < 2; i++) {
      data = (await mg.api.get('/api/v2/endpoints/cors-journal/requests')).body.data;
      if (data.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(data.map((e) => [e.path, e.status, e.behavior, e.rule.matched])).toEqual([
      ['/b', 403, 'rejected', false],
      ['/a', 204, 'cors-preflight', false],
    ]);
  });
});
