// The security gate: a request without the endpoint's header, or with another value, gets 401 unauthorized_api_key,
// reaches no rule, does not count against the rate limit, and is journaled as rejected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import { send } from './http-client.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(() => mg.close());

const SECURITY = { enabled: true, headerKey: 'X-Api-Key', headerValue: 's3cret' };
const MISSING = '{"error":{"code":"unauthorized_api_key","message":"this endpoint requires the header \\"X-Api-Key\\"; see its security settings"}}';
const WRONG = '{"error":{"code":"unauthorized_api_key","message":"the header \\"X-Api-Key\\" does not carry the value this endpoint requires"}}';

/** An endpoint whose every request (any method, path /hello) a rule answers with 200 "hi". */
async function securedEndpoint(name: string, settings: Record<string, unknown> = { security: SECURITY }): Promise<void> {
  const rule = await mg.api.post(`/api/v2/endpoints/${name}/rules`, mockRule({ type: 'path', operator: 'equals', value: '/hello' }, { body: 'hi' }));
  expect(rule.status, JSON.stringify(rule.body)).toBe(201);
  const patched = await mg.api.patch(`/api/v2/endpoints/${name}/settings`, settings);
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
}

async function journal(name: string, count: number): Promise<any[]> {
  for (let i = 0; i < 100; i++) {
    const res = await mg.api.get(`/api/v2/endpoints/${name}/requests`);
    if (res.body.data.length >= count) return res.body.data;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the journal of ${name} never reached ${count} entries`);
}

describe('security gate', () => {
  beforeAll(() => securedEndpoint('sec'));

  it('answers 401 unauthorized_api_key in the JSON envelope when the header is missing', async () => {
    const res = await send(mg.url, 'GET', '/e/sec/hello');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['x-beeceptor-rule-id']).toBeUndefined();
    expect(res.body).toBe(MISSING);
  });

  it('answers 401 when the header carries another value (case and repeats count)', async () => {
    for (const value of ['S3CRET', 's3cret2', 's3cre', ['s3cret', 's3cret']]) {
      const res = await send(mg.url, 'POST', '/e/sec/hello', { 'x-api-key': value }, '{"a":1}');
      expect(res.status, String(value)).toBe(401);
      expect(res.body, String(value)).toBe(WRONG);
    }
  });

  it('lets the exact value through to the rules, whatever the header name case', async () => {
    const res = await send(mg.url, 'GET', '/e/sec/hello', { 'X-API-KEY': 's3cret' });
    expect(res.status).toBe(200);
    expect(res.body).toBe('hi');
    expect(res.headers['x-beeceptor-rule-id']).toMatch(/.+/);
  });

  it('journals a refused request with behavior "rejected" and no rule', async () => {
    await securedEndpoint('sec-journal');
    expect((await send(mg.url, 'PUT', '/e/sec-journal/hello?x=1', { 'x-api-key': 'nope' }, 'body')).status).toBe(401);
    const [entry] = await journal('sec-journal', 1);
    expect(entry).toMatchObject({ method: 'PUT', path: '/hello?x=1', status: 401, rule: { matched: false }, behavior: 'rejected' });
    const verbose = await mg.api.get(`/api/v2/endpoints/sec-journal/requests/${entry.id}`);
    expect(verbose.body.response.body).toBe(WRONG);
    expect(verbose.body.request.body).toBe('body');
  });

  it('is off again once disabled', async () => {
    await securedEndpoint('sec-off');
    expect((await send(mg.url, 'GET', '/e/sec-off/hello')).status).toBe(401);
    await mg.api.patch('/api/v2/endpoints/sec-off/settings', { security: { enabled: false } });
    expect(await send(mg.url, 'GET', '/e/sec-off/hello')).toMatchObject({ status: 200, body: 'hi' });
  });

  it('refused requests do not count against the rate limit (security runs first)', async () => {
    await securedEndpoint('sec-rate', { security: SECURITY, rateLimit: { enabled: true, rate: 2, period: 'Minute' } });
    for (let i = 0; i < 5; i++) expect((await send(mg.url, 'GET', '/e/sec-rate/hello')).status).toBe(401);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await send(mg.url, 'GET', '/e/sec-rate/hello', { 'x-api-key': 's3cret' })).status);
    expect(statuses).toEqual([200, 200, 429]);
    // past the limit, a request without the key is still a 401, not a 429
    expect((await send(mg.url, 'GET', '/e/sec-rate/hello')).status).toBe(401);
  });

  it('an empty headerValue requires the header to be present and empty', async () => {
    await securedEndpoint('sec-empty', { security: { enabled: true, headerKey: 'x-flag', headerValue: '' } });
    expect((await send(mg.url, 'GET', '/e/sec-empty/hello')).status).toBe(401);
    expect((await send(mg.url, 'GET', '/e/sec-empty/hello', { 'x-flag': 'x' })).status).toBe(401);
    expect((await send(mg.url, 'GET', '/e/sec-empty/hello', { 'x-flag': '' })).status).toBe(200);
  });
});
