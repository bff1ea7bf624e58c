// v2 history: the compact and verbose entry shapes field by field — a rule-matched request, a weighted rule, an unmatched one,
// a request answered by a fallback step (behavior from its note), and GET /requests/{id}.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_VERSION, definePlugin } from '../../../core/contract.js';
import { BUILTIN_PLUGINS } from '../../../core/plugins/builtin-plugins.js';
import { mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

// A fallback step that answers /proxied/* the way a proxy plugin would, noting its behavior for the journal.
const fakeProxy = definePlugin({
  name: 'fake-proxy',
  contract: CONTRACT_VERSION,
  fallbacks: [{
    name: 'fake-proxy',
    order: 10,
    compile: () => (ex) => {
      if (!ex.request.path.startsWith('/proxied/')) return false;
      ex.annotate({ behavior: 'proxy' });
      ex.respond({ status: 202, headers: { 'content-type': 'text/plain' }, body: 'from upstream' });
      return true;
    },
  }],
});

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate({ plugins: [...BUILTIN_PLUGINS, fakeProxy] });
});
afterAll(() => mg.close());

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const COMPACT_KEYS = ['behavior', 'date', 'id', 'method', 'path', 'rule', 'status', 'timeTaken'];

async function only(endpoint: string, verbose = false): Promise<any> {
  const res = await mg.api.get(`/api/v2/endpoints/${endpoint}/requests${verbose ? '?mode=verbose' : ''}`);
  expect(res.status).toBe(200);
  expect(res.body.data).toHaveLength(1);
  expect(res.body.pagination).toEqual({ cursor: null, hasMore: false, limit: 20 });
  return res.body.data[0];
}

describe('a request a mock rule answered', () => {
  let ruleId: string;
  let sentAt: number;
  let answeredAt: number;

  beforeAll(async () => {
    const created = await mg.api.post('/api/v2/endpoints/shape-rule/rules', mockRule({ type: 'path', operator: 'equals', value: '/hello' }, {
      status: 418,
      body: '{"hello":"world"}',
      headers: [{ key: 'Content-Type', value: 'application/json' }, { key: 'X-Custom', value: 'one' }],
    }));
    ruleId = created.body.id;
    sentAt = Date.now();
    const res = await fetch(`${mg.url}/e/shape-rule/hello?x=1&y=%C3%A9`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Client-Header': 'Abc' },
      body: '{"a":1}',
    });
    expect(res.status).toBe(418);
    await res.text();
    answeredAt = Date.now();
  });

  it('compact: id, date, method, path with query, status, timeTaken, rule, behavior — and nothing else', async () => {
    const e = await only('shape-rule');
    expect(Object.keys(e).sort()).toEqual(COMPACT_KEYS);
    expect(e.id).toMatch(/^[0-9a-z]{11}$/);
    expect(e.date).toMatch(ISO);
    const date = Date.parse(e.date);
    expect(date).toBeGreaterThanOrEqual(sentAt);
    expect(date).toBeLessThanOrEqual(answeredAt);
    expect(e.method).toBe('POST');
    expect(e.path).toBe('/hello?x=1&y=%C3%A9');
    expect(e.status).toBe(418);
    expect(Number.isInteger(e.timeTaken)).toBe(true);
    expect(e.timeTaken).toBeGreaterThanOrEqual(0);
    expect(e.timeTaken).toBeLessThanOrEqual(answeredAt - sentAt + 1);
    expect(e.rule).toEqual({ matched: true, ruleId });
    expect(e.behavior).toBe('mock-rule');
  });

  it('verbose: the compact fields plus request and response', async () => {
    const compact = await only('shape-rule');
    const e = await only('shape-rule', true);
    expect(Object.keys(e).sort()).toEqual([...COMPACT_KEYS, 'request', 'response'].sort());
    for (const key of COMPACT_KEYS) expect(e[key]).toEqual(compact[key]);

    expect(Object.keys(e.request).sort()).toEqual(['body', 'headers', 'httpVersion', 'isMultipart', 'redacted', 'size', 'truncated']);
    expect(e.request.body).toBe('{"a":1}');
    expect(e.request.httpVersion).toBe('HTTP/1.1');
    expect(e.request.redacted).toBe(false);
    expect(e.request.size).toBe(7);
    expect(e.request.truncated).toBe(false);
    expect(e.request.isMultipart).toBe(false);
    expect(e.request.headers).toMatchObject({ 'content-type': 'application/json', 'x-client-header': 'Abc', 'content-length': '7' });
    expect(e.request.headers.host).toMatch(/^127\.0\.0\.1:\d+$/);
    for (const [k, v] of Object.entries(e.request.headers)) {
      expect(k).toBe(k.toLowerCase());
      expect(typeof v).toBe('string');
    }

    expect(e.response).toEqual({
      body: '{"hello":"world"}',
      headers: { 'content-type': 'application/json', 'x-custom': 'one', 'content-length': '17', 'x-beeceptor-rule-id': ruleId },
      httpVersion: 'HTTP/1.1',
      redacted: false,
      size: 17,
      truncated: false,
    });
  });

  it('GET /requests/{id} answers the verbose entry itself', async () => {
    const listed = await only('shape-rule', true);
    const res = await mg.api.get(`/api/v2/endpoints/shape-rule/requests/${listed.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(listed);
  });

  it('GET /requests/{id} of an unknown id is 404 not_found', async () => {
    const res = await mg.api.get('/api/v2/endpoints/shape-rule/requests/nosuchid123');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});

describe('a request a weighted rule answered', () => {
  it('rule.weightedResponse names the response chosen (compact and verbose)', async () => {
    const created = await mg.api.post('/api/v2/endpoints/shape-weighted/rules', {
      enabled: true, method: 'GET', conditions: [{ type: 'path', operator: 'equals', value: '/w' }],
      action: { type: 'weighted', responses: [
        { name: 'Success 200', weight: 50, status: 200, headers: [], body: 'ok' },
        { name: 'Failure 503', weight: 50, status: 503, headers: [], body: 'fail' },
      ] },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${mg.url}/e/shape-weighted/w`);
      await res.text();
      statuses.push(res.status);
    }
    const list = await mg.api.get('/api/v2/endpoints/shape-weighted/requests?limit=100');
    const verbose = await mg.api.get('/api/v2/endpoints/shape-weighted/requests?limit=100&mode=verbose');
    expect(list.body.data).toHaveLength(20);
    const oldestFirst = [...list.body.data].reverse();
    oldestFirst.forEach((e: any, i: number) => {
      expect(e.status).toBe(statuses[i]);
      expect(e.rule).toEqual({ matched: true, ruleId: created.body.id, weightedResponse: e.status === 200 ? 'Success 200' : 'Failure 503' });
      expect(e.behavior).toBe('mock-rule');
    });
    verbose.body.data.forEach((e: any, i: number) => {
      expect(e.rule).toEqual(list.body.data[i].rule);
      expect(e.response.body).toBe(e.status === 200 ? 'ok' : 'fail');
    });
  });
});

describe('a request no rule answered', () => {
  it('rule.matched is false with no ruleId, behavior is default, no rule-id header; an empty request body is null', async () => {
    await mg.api.post('/api/v2/endpoints/shape-none/rules', mockRule({ type: 'path', operator: 'equals', value: '/only-this' }));
    const res = await fetch(`${mg.url}/e/shape-none/other/path`, { method: 'DELETE' });
    const text = await res.text();
    expect(res.status).toBe(200);
    const compact = await only('shape-none');
    expect(compact).toMatchObject({ method: 'DELETE', path: '/other/path', status: 200, behavior: 'default' });
    expect(compact.rule).toEqual({ matched: false });
    const e = await only('shape-none', true);
    expect(e.request.body).toBeNull();
    expect(e.request.size).toBe(0);
    expect(e.request.truncated).toBe(false);
    expect(e.response.body).toBe(text);
    expect(e.response.size).toBe(Buffer.byteLength(text));
    expect(e.response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(e.response.headers).not.toHaveProperty('x-beeceptor-rule-id');
  });

  it('a fallback step’s note sets the behavior (proxy), still unmatched', async () => {
    const res = await fetch(`${mg.url}/e/shape-proxy/proxied/thing`);
    expect(await res.text()).toBe('from upstream');
    const e = await only('shape-proxy', true);
    expect(e).toMatchObject({ status: 202, behavior: 'proxy', rule: { matched: false }, path: '/proxied/thing' });
    expect(e.response.body).toBe('from upstream');
    // the note's behavior is not repeated as an extra field
    expect(e).not.toHaveProperty('weightedResponse');
  });

  it('an empty response body is an empty string, not null', async () => {
    await mg.api.post('/api/v2/endpoints/shape-empty/rules', mockRule({ type: 'path', operator: 'equals', value: '/e' }, { status: 204, body: '' }));
    const res = await fetch(`${mg.url}/e/shape-empty/e`);
    expect(res.status).toBe(204);
    const e = await only('shape-empty', true);
    expect(e.response.body).toBe('');
    expect(e.response.size).toBe(0);
    expect(e.response).not.toHaveProperty('bodyEncoding');
  });
});

describe('timeTaken', () => {
  it('includes the rule’s delay', async () => {
    await mg.api.post('/api/v2/endpoints/shape-delay/rules', {
      ...mockRule({ type: 'path', operator: 'equals', value: '/slow' }),
      action: { type: 'mock', status: 200, headers: [], body: 'late', delay: 300 },
    });
    await (await fetch(`${mg.url}/e/shape-delay/slow`)).text();
    const e = await only('shape-delay');
    expect(e.timeTaken).toBeGreaterThanOrEqual(290);
    expect(e.timeTaken).toBeLessThan(10_000);
  });
});

describe('HEAD and methods', () => {
  it('records the method as sent, upper-case', async () => {
    for (const method of ['GET', 'PUT', 'PATCH', 'OPTIONS', 'HEAD']) await (await fetch(`${mg.url}/e/shape-methods/m`, { method })).text();
    const res = await mg.api.get('/api/v2/endpoints/shape-methods/requests');
    expect(res.body.data.map((e: any) => e.method)).toEqual(['HEAD', 'OPTIONS', 'PATCH', 'PUT', 'GET']);
  });
});
