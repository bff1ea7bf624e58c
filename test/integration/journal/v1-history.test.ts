// The request history v1 API (history v1 seed) against real traffic: shapes, filters, count, one entry, purges, v1/v2 parity.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

const COMPACT_KEYS = ['id', 'date', 'method', 'path', 'rule', 'status', 'timeTaken'];
const FULL_KEYS = ['id', 'date', 'timeTaken', 'method', 'path', 'status', 'rule', 'req', 'res'];
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const E = 'hist';

interface Sent {
  method: string;
  path: string;
  body?: string;
  contentType?: string;
  /** What the server answered. */
  status: number;
  resBody: string;
  ruleId: string | null;
}

let mg: RunningMockgate;
let startedAt = 0;
let finishedAt = 0;
const rules: Record<string, string> = {};
/** The traffic sent to `hist`, oldest first. */
const sent: Sent[] = [];

async function send(endpoint: string, method: string, path: string, body?: string | Uint8Array, headers: Record<string, string> = {}): Promise<Sent> {
  const res = await fetch(`${mg.url}/e/${endpoint}${path}`, { method, body, headers });
  const resBody = await res.text();
  return { method, path, body: typeof body === 'string' ? body : body && Buffer.from(body).toString('base64'), contentType: headers['content-type'], status: res.status, resBody, ruleId: res.headers.get('x-beeceptor-rule-id') };
}

async function list(endpoint: string, params: Record<string, string> = {}): Promise<any[]> {
  const qs = new URLSearchParams(params).toString();
  const res = await mg.api.get(`/api/v1/endpoints/${endpoint}/requests${qs ? `?${qs}` : ''}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(Object.keys(res.body)).toEqual(['data']);
  expect(Array.isArray(res.body.data)).toBe(true);
  return res.body.data;
}

/** The `method path` of each listed entry, as listed (newest first). */
async function listed(params: Record<string, string> = {}, endpoint = E): Promise<string[]> {
  return (await list(endpoint, params)).map((e) => `${e.method} ${e.path}`);
}

/** The `method path` of the sent requests with these indexes (1-based, as numbered below), newest first. */
const expected = (...indexes: number[]): string[] =>
  indexes.sort((a, b) => b - a).map((i) => `${sent[i - 1]!.method} ${sent[i - 1]!.path}`);
const all = (): string[] => expected(...sent.map((_, i) => i + 1));

async function expectBadRequest(path: string, parameter: string): Promise<void> {
  const res = await mg.api.get(path);
  expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBe(400);
  expect(res.body.error.code).toBe('bad_request');
  expect(res.body.error.parameter).toBe(parameter);
  expect(res.body.error.message).toContain(parameter);
}

beforeAll(async () => {
  mg = await startMockgate();
  const create = async (name: string, rule: unknown) => {
    const res = await mg.api.post(`/api/v2/endpoints/${E}/rules`, rule);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    rules[name] = res.body.id;
  };
  await create('users', mockRule({ type: 'path', operator: 'equals', value: '/api/users' },
    { status: 201, body: '{"created":true}', headers: [{ key: 'Content-Type', value: 'application/json' }, { key: 'X-Mock-Source', value: 'Users-Rule' }] }));
  await create('orders', mockRule({ type: 'path', operator: 'starts_with', value: '/api/orders/' },
    { status: 404, body: 'order not found' }, { method: 'DELETE' }));
  await create('boom', mockRule({ type: 'path', operator: 'equals', value: '/boom' }, { status: 503, body: 'unavailable (try later)' }));

  startedAt = Date.now();
  const json = { 'content-type': 'application/json' };
  sent.push(
    /* 1 */ await send(E, 'GET', '/api/users'),
    /* 2 */ await send(E, 'POST', '/api/users?team=red', '{"name":"alice"}', { ...json, 'X-Trace-Id': 'Trace-ABC' }),
    /* 3 */ await send(E, 'PUT', '/api/users(1)', 'plain text (update', { 'content-type': 'text/plain' }),
    /* 4 */ await send(E, 'DELETE', '/api/orders/7'),
    /* 5 */ await send(E, 'GET', '/boom'),
    /* 6 */ await send(E, 'PATCH', '/profile?lang=en', 'token=XYZ-123', { 'content-type': 'application/x-www-form-urlencoded' }),
    /* 7 */ await send(E, 'GET', '/health'),
    /* 8 */ await send(E, 'POST', '/api/orders', '{"item":"book","qty":2}', json),
  );
  finishedAt = Date.now();
  // another endpoint's traffic, never listed under `hist`
  await send('hist-other', 'GET', '/api/users');
  await send('hist-other', 'POST', '/other', 'alice');
});

afterAll(async () => {
  await mg.close();
});

describe('the traffic itself', () => {
  it('answered as the rules say (rule-matched: 201, 404, 503; the rest: the default 200)', () => {
    expect(sent.map((s) => s.status)).toEqual([201, 201, 200, 404, 503, 200, 200, 200]);
    expect(sent.map((s) => s.ruleId)).toEqual([rules['users'], rules['users'], null, rules['orders'], rules['boom'], null, null, null]);
  });
});

describe('compact mode (the default)', () => {
  it('lists every request, newest first, with exactly the seed keys in the seed order', async () => {
    const data = await list(E);
    expect(data).toHaveLength(8);
    expect(data.map((e) => `${e.method} ${e.path}`)).toEqual(all());
    for (const entry of data) expect(Object.keys(entry)).toEqual(COMPACT_KEYS);
  });

  it('gives each field the seed type and the value of the request', async () => {
    const data = await list(E);
    const newestFirst = [...sent].reverse();
    const ids = new Set<string>();
    let previousDate = Infinity;
    data.forEach((entry, i) => {
      const s = newestFirst[i]!;
      expect(typeof entry.id).toBe('string');
      expect(entry.id).toMatch(/^[0-9a-z]{6,16}$/);
      ids.add(entry.id);
      expect(entry.date).toMatch(ISO_UTC);
      const t = Date.parse(entry.date);
      expect(t).toBeGreaterThanOrEqual(startedAt);
      expect(t).toBeLessThanOrEqual(finishedAt);
      expect(t).toBeLessThanOrEqual(previousDate);
      previousDate = t;
      expect(entry.method).toBe(s.method);
      expect(entry.path).toBe(s.path);
      expect(entry.rule).toBe(s.ruleId !== null);
      expect(entry.status).toBe(s.status);
      expect(Number.isInteger(entry.timeTaken)).toBe(true);
      expect(entry.timeTaken).toBeGreaterThanOrEqual(0);
    });
    expect(ids.size).toBe(8);
  });

  it('keeps the query string in path (as the seed: "/some-prefix-path?name=jain")', async () => {
    const paths = (await list(E)).map((e) => e.path);
    expect(paths).toContain('/api/users?team=red');
    expect(paths).toContain('/profile?lang=en');
  });

  it('has rule as a boolean, never the v2 object', async () => {
    const data = await list(E);
    expect(data.map((e) => e.rule)).toEqual([false, false, false, true, true, false, true, true]);
  });

  it('an unknown (valid) endpoint has an empty history', async () => {
    expect(await list('never-called')).toEqual([]);
  });
});

describe('mode=full', () => {
  it('adds req and res with exactly the seed keys in the seed order', async () => {
    const data = await list(E, { mode: 'full' });
    expect(data).toHaveLength(8);
    for (const entry of data) {
      expect(Object.keys(entry)).toEqual(FULL_KEYS);
      expect(Object.keys(entry.req)).toEqual(['b', 'h']);
      expect(Object.keys(entry.res)).toEqual(['b', 'h']);
    }
  });

  it('has the same id, date, method, path, rule, status and timeTaken as the compact list', async () => {
    const compact = await list(E);
    const full = await list(E, { mode: 'full' });
    expect(full.map(({ req: _req, res: _res, ...rest }) => rest)).toEqual(compact);
  });

  it('req.b and res.b are the bodies as text ("" when empty)', async () => {
    const full = await list(E, { mode: 'full' });
    const newestFirst = [...sent].reverse();
    full.forEach((entry, i) => {
      const s = newestFirst[i]!;
      expect(entry.req.b).toBe(s.body ?? '');
      expect(entry.res.b).toBe(s.resBody);
    });
    const post = full.find((e) => e.path === '/api/users?team=red')!;
    expect(post.req.b).toBe('{"name":"alice"}');
    expect(post.res.b).toBe('{"created":true}');
    expect(full.find((e) => e.path === '/boom')!.res.b).toBe('unavailable (try later)');
    expect(full.find((e) => e.path === '/health')!.res.b).toMatch(/^mockgate: no rule/);
  });

  it('req.h and res.h are maps of lower-case header names to string values', async () => {
    const full = await list(E, { mode: 'full' });
    for (const entry of full) {
      for (const h of [entry.req.h, entry.res.h]) {
        expect(typeof h).toBe('object');
        for (const [k, v] of Object.entries(h)) {
          expect(k).toBe(k.toLowerCase());
          expect(typeof v).toBe('string');
        }
      }
      expect(entry.req.h['host']).toBe(new URL(mg.url).host);
    }
    const post = full.find((e) => e.path === '/api/users?team=red')!;
    expect(post.req.h['x-trace-id']).toBe('Trace-ABC'); // the name lower-cased, the value kept
    expect(post.req.h['content-type']).toBe('application/json');
    expect(post.req.h['content-length']).toBe(String(Buffer.byteLength('{"name":"alice"}')));
    expect(post.res.h['content-type']).toBe('application/json');
    expect(post.res.h['x-mock-source']).toBe('Users-Rule');
    expect(full.find((e) => e.path === '/health')!.res.h['content-type']).toMatch(/^text\/plain/);
  });

  it('res.h names the matched rule in x-beeceptor-rule-id, only when a rule matched', async () => {
    const full = await list(E, { mode: 'full' });
    const newestFirst = [...sent].reverse();
    full.forEach((entry, i) => {
      const ruleId = newestFirst[i]!.ruleId;
      if (ruleId === null) expect(entry.res.h).not.toHaveProperty('x-beeceptor-rule-id');
      else expect(entry.res.h['x-beeceptor-rule-id']).toBe(ruleId);
    });
  });

  it('any other mode value gives the compact form', async () => {
    for (const mode of ['compact', 'FULL', 'verbose', '']) {
      for (const entry of await list(E, { mode })) expect(Object.keys(entry), mode).toEqual(COMPACT_KEYS);
    }
  });

  it('a binary body (not supported by v1, per the seed) still lists, with text bodies for req.b and res.b', async () => {
    const e = 'hist-binary';
    await send(e, 'POST', '/bin', new Uint8Array([0xff, 0xfe, 0x00, 0x80]), { 'content-type': 'application/octet-stream' });
    const [entry] = await list(e, { mode: 'full' });
    expect(Object.keys(entry)).toEqual(FULL_KEYS);
    expect(typeof entry.req.b).toBe('string');
    expect(typeof entry.res.b).toBe('string');
    expect(entry.req.h['content-length']).toBe('4');
  });

  it('combines with filters and count', async () => {
    const data = await list(E, { mode: 'full', method: 'POST', count: '1' });
    expect(data).toHaveLength(1);
    expect(Object.keys(data[0])).toEqual(FULL_KEYS);
    expect(data[0].path).toBe('/api/orders');
    expect(data[0].req.b).toBe('{"item":"book","qty":2}');
  });
});

describe('path filter', () => {
  it('is a regular expression searched anywhere in the path (query string included)', async () => {
    expect(await listed({ path: '/api/users' })).toEqual(expected(1, 2, 3));
    expect(await listed({ path: '^/api/' })).toEqual(expected(1, 2, 3, 4, 8));
    expect(await listed({ path: '^/api/orders/\\d+$' })).toEqual(expected(4));
    expect(await listed({ path: 'team=red$' })).toEqual(expected(2));
    expect(await listed({ path: 'users\\?team' })).toEqual(expected(2));
    expect(await listed({ path: '^/(boom|health)$' })).toEqual(expected(5, 7));
    expect(await listed({ path: '^/h.a' })).toEqual(expected(7));
    expect(await listed({ path: 'nowhere' })).toEqual([]);
  });

  it('a valid regex wins over the literal text: "users?team" is a regex and matches nothing literal', async () => {
    // as a regex: "user", an optional "s", then "team" — not in any path; the literal text is in request 2, but the regex is valid
    expect(await listed({ path: 'users?team' })).toEqual([]);
  });

  it('falls back to a literal search when the regex does not parse', async () => {
    expect(await listed({ path: '/api/users(' })).toEqual(expected(3));
    expect(await listed({ path: '(' })).toEqual(expected(3));
    expect(await listed({ path: 'users(1' })).toEqual(expected(3));
    expect(await listed({ path: '[a-' })).toEqual([]);
  });

  it('regex syntax the linear-time engine refuses (look-ahead, back-references) falls back to literal too', async () => {
    expect(await listed({ path: '(?=/api)' })).toEqual([]);
    expect(await listed({ path: '(a)\\1' })).toEqual([]);
  });

  it('an empty value is no filter', async () => {
    expect(await listed({ path: '' })).toEqual(all());
  });
});

describe('status filter', () => {
  it('filters on the response status', async () => {
    expect(await listed({ status: '201' })).toEqual(expected(1, 2));
    expect(await listed({ status: '200' })).toEqual(expected(3, 6, 7, 8));
    expect(await listed({ status: '404' })).toEqual(expected(4));
    expect(await listed({ status: '503' })).toEqual(expected(5));
  });

  it('a valid status nobody got gives an empty list (200 and 599 are the bounds)', async () => {
    expect(await listed({ status: '599' })).toEqual([]);
    expect(await listed({ status: '202' })).toEqual([]);
  });

  it('an invalid value is ignored: the filter is not applied', async () => {
    for (const status of ['abc', '700', '600', '199', '100', '0', '-200', '2.5', '201abc', '20 1', '']) {
      expect(await listed({ status }), status).toEqual(all());
    }
  });

  it('an invalid status is ignored in combination too, the other filters still apply', async () => {
    expect(await listed({ status: 'abc', method: 'DELETE' })).toEqual(expected(4));
    expect(await listed({ status: '700', path: '^/api/' })).toEqual(expected(1, 2, 3, 4, 8));
  });
});

describe('method filter', () => {
  it('filters on the request method', async () => {
    expect(await listed({ method: 'POST' })).toEqual(expected(2, 8));
    expect(await listed({ method: 'GET' })).toEqual(expected(1, 5, 7));
    expect(await listed({ method: 'PATCH' })).toEqual(expected(6));
    expect(await listed({ method: 'PUT' })).toEqual(expected(3));
    expect(await listed({ method: 'DELETE' })).toEqual(expected(4));
    expect(await listed({ method: 'OPTIONS' })).toEqual([]);
  });

  it('compares case-insensitively', async () => {
    expect(await listed({ method: 'post' })).toEqual(expected(2, 8));
  });
});

describe('reqBody and resBody filters', () => {
  it('reqBody: regex first', async () => {
    expect(await listed({ reqBody: 'alice' })).toEqual(expected(2));
    expect(await listed({ reqBody: '"qty":\\d+' })).toEqual(expected(8));
    expect(await listed({ reqBody: 'a.ice' })).toEqual(expected(2)); // only the regex finds it
    expect(await listed({ reqBody: '^token=XYZ-\\d{3}$' })).toEqual(expected(6));
    expect(await listed({ reqBody: 'bob' })).toEqual([]);
  });

  it('reqBody: literal when the regex does not parse', async () => {
    expect(await listed({ reqBody: 'text (up' })).toEqual(expected(3));
    expect(await listed({ reqBody: '(' })).toEqual(expected(3));
  });

  it('resBody: regex first', async () => {
    expect(await listed({ resBody: 'created' })).toEqual(expected(1, 2));
    expect(await listed({ resBody: 'not found$' })).toEqual(expected(4));
    expect(await listed({ resBody: '^mockgate: no rule' })).toEqual(expected(3, 6, 7, 8));
    expect(await listed({ resBody: '"created":\\s*true' })).toEqual(expected(1, 2));
  });

  it('resBody: literal when the regex does not parse', async () => {
    expect(await listed({ resBody: '(try' })).toEqual(expected(5));
    expect(await listed({ resBody: 'later)' })).toEqual(expected(5));
  });

  it('requests without a body never match a reqBody filter', async () => {
    expect(await listed({ reqBody: '.', method: 'GET' })).toEqual([]);
    expect(await listed({ reqBody: '.' })).toEqual(expected(2, 3, 6, 8));
  });
});

describe('filters combined', () => {
  it('all given filters must match', async () => {
    expect(await listed({ method: 'POST', path: '/api/users' })).toEqual(expected(2));
    expect(await listed({ method: 'GET', status: '201' })).toEqual(expected(1));
    expect(await listed({ status: '200', reqBody: 'token' })).toEqual(expected(6));
    expect(await listed({ resBody: 'created', method: 'GET' })).toEqual(expected(1));
    expect(await listed({ path: '^/api/', status: '200', method: 'POST' })).toEqual(expected(8));
    expect(await listed({ path: '^/api/', reqBody: '\\{', resBody: 'no rule' })).toEqual(expected(8));
    expect(await listed({ status: '201', method: 'DELETE' })).toEqual([]);
    expect(await listed({ path: '/api/users(', status: '200', method: 'PUT', reqBody: 'text (up', resBody: 'no rule' })).toEqual(expected(3));
  });

  it('count applies after the filters', async () => {
    expect(await listed({ path: '^/api/', count: '2' })).toEqual(expected(4, 8));
    expect(await listed({ status: '200', count: '3' })).toEqual(expected(6, 7, 8));
  });

  it('unknown query parameters are ignored', async () => {
    expect(await listed({ foo: 'bar', limit: '1' })).toEqual(all());
  });
});

describe('malformed dates', () => {
  it('dateFrom / dateTo that are not ISO dates are a 400 bad_request naming the parameter', async () => {
    for (const bad of ['yesterday', '12345', '2019-13-45T00:00:00Z', '20/10/2019', 'not-a-date']) {
      await expectBadRequest(`/api/v1/endpoints/${E}/requests?dateFrom=${encodeURIComponent(bad)}`, 'dateFrom');
      await expectBadRequest(`/api/v1/endpoints/${E}/requests?dateTo=${encodeURIComponent(bad)}`, 'dateTo');
    }
  });

  it('a malformed dateRange is a 400 bad_request naming dateRange', async () => {
    for (const bad of ['10', 'm10', '10y', '-10m', '1.5h', 'ten minutes', '10 m']) {
      await expectBadRequest(`/api/v1/endpoints/${E}/requests?dateRange=${encodeURIComponent(bad)}`, 'dateRange');
    }
  });
});

describe('dates with the real clock', () => {
  it('dateFrom before the traffic and dateTo after it keep everything', async () => {
    const from = new Date(startedAt).toISOString();
    const to = new Date(finishedAt + 1).toISOString();
    expect(await listed({ dateFrom: from })).toEqual(all());
    expect(await listed({ dateTo: to })).toEqual(all());
    expect(await listed({ dateFrom: from, dateTo: to })).toEqual(all());
  });

  it('a window outside the traffic is empty', async () => {
    expect(await listed({ dateTo: new Date(startedAt - 1).toISOString() })).toEqual([]);
    expect(await listed({ dateFrom: new Date(finishedAt + 60_000).toISOString() })).toEqual([]);
  });

  it('dateFrom / dateTo cut at each entry date', async () => {
    const data = await list(E);
    const dates = data.map((e) => e.date);
    // the newest entry's own date as dateFrom keeps it (and anything at the same millisecond)
    const fromNewest = await list(E, { dateFrom: dates[0] });
    expect(fromNewest.map((e) => e.id)).toEqual(data.filter((e) => e.date >= dates[0]).map((e) => e.id));
    const toOldest = await list(E, { dateTo: dates[dates.length - 1] });
    expect(toOldest.map((e) => e.id)).toEqual(data.filter((e) => e.date <= dates[dates.length - 1]).map((e) => e.id));
  });

  it('dateRange looks back from now', async () => {
    expect(await listed({ dateRange: '10m' })).toEqual(all());
    expect(await listed({ dateRange: '24h' })).toEqual(all());
    expect(await listed({ dateRange: '1d' })).toEqual(all());
    expect(await listed({ dateRange: '10m', method: 'POST' })).toEqual(expected(2, 8));
  });
});

describe('count', () => {
  it('limits the list to the newest entries', async () => {
    expect(await listed({ count: '1' })).toEqual(expected(8));
    expect(await listed({ count: '3' })).toEqual(expected(6, 7, 8));
    expect(await listed({ count: '8' })).toEqual(all());
    expect(await listed({ count: '500' })).toEqual(all());
  });

  it('out of range or not an integer is a 400 bad_request naming count', async () => {
    for (const bad of ['0', '-1', '501', '1000', 'abc', '2.5', '1e2x', '20 ', ' 5', '1e2', '0x10', '+5', '5abc']) {
      await expectBadRequest(`/api/v1/endpoints/${E}/requests?count=${encodeURIComponent(bad)}`, 'count');
    }
  });

  it('defaults to 20, and allows up to 500', async () => {
    const e = 'hist-count';
    for (let i = 1; i <= 25; i++) await send(e, 'GET', `/n/${i}`);
    const byDefault = await list(e);
    expect(byDefault).toHaveLength(20);
    expect(byDefault.map((x) => x.path)).toEqual(Array.from({ length: 20 }, (_, i) => `/n/${25 - i}`));
    expect(await list(e, { count: '25' })).toHaveLength(25);
    expect(await list(e, { count: '500' })).toHaveLength(25);
    expect((await list(e, { count: '21' })).map((x) => x.path).at(-1)).toBe('/n/5');
    await expectBadRequest(`/api/v1/endpoints/${e}/requests?count=501`, 'count');
    const v2 = await mg.api.get(`/api/v2/endpoints/${e}/requests?limit=100`);
    expect(v2.body.data.map((x: any) => x.id)).toEqual((await list(e, { count: '100' })).map((x) => x.id));
  });

  it('count=500 returns 500 of 510, filtered or not (a text filter scans past one batch)', async () => {
    const e = 'hist-many';
    for (let start = 1; start <= 510; start += 51) {
      await Promise.all(Array.from({ length: 51 }, (_, i) => start + i)
        .map((n) => send(e, n % 2 ? 'POST' : 'GET', `/m/${n}`, n % 2 ? 'x' : undefined)));
    }
    const everything = await list(e, { count: '500' });
    expect(everything).toHaveLength(500);
    expect(new Set(everything.map((x) => x.id)).size).toBe(500);
    expect(await list(e)).toHaveLength(20);
    expect(await list(e, { path: '^/m/\\d+$', count: '500' })).toHaveLength(500);
    expect(await list(e, { path: '^/m/\\d+$' })).toHaveLength(20);
    expect(await list(e, { method: 'POST', count: '500' })).toHaveLength(255);
    expect(await list(e, { reqBody: '^x$', count: '500' })).toHaveLength(255);
    expect(await list(e, { method: 'GET', path: '^/m/\\d*[02468]$', count: '500' })).toHaveLength(255);
    const full = await list(e, { mode: 'full', count: '500' });
    expect(full.map((x) => x.id)).toEqual(everything.map((x) => x.id));
    // v2 pages through the same entries in the same order
    const v2: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await mg.api.get(`/api/v2/endpoints/${e}/requests?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      v2.push(...page.body.data.map((x: any) => x.id));
      cursor = page.body.pagination.cursor;
    } while (cursor !== null);
    expect(v2.slice(0, 500)).toEqual(everything.map((x) => x.id));
    expect(v2).toHaveLength(510);
    // and a purge counts past one scan batch
    const purged = await mg.api.delete(`/api/v1/endpoints/${e}/requests`);
    expect(purged.body).toEqual({ data: { requestsPurged: 510 } });
    expect(await list(e)).toEqual([]);
  });
});

describe('v1 and v2 list the same entries', () => {
  it('same ids in the same order, same fields', async () => {
    const v1 = await list(E);
    const v2 = await mg.api.get(`/api/v2/endpoints/${E}/requests?limit=100`);
    expect(v2.status).toBe(200);
    expect(v2.body.data.map((e: any) => e.id)).toEqual(v1.map((e) => e.id));
    v1.forEach((e, i) => {
      const w = v2.body.data[i];
      expect(w.date).toBe(e.date);
      expect(w.method).toBe(e.method);
      expect(w.path).toBe(e.path);
      expect(w.status).toBe(e.status);
      expect(w.timeTaken).toBe(e.timeTaken);
      expect(w.rule.matched).toBe(e.rule);
    });
  });

  it('and the same entries for the same filter', async () => {
    const v1 = await list(E, { method: 'POST', path: '^/api/' });
    const v2 = await mg.api.get(`/api/v2/endpoints/${E}/requests?method=POST&path=${encodeURIComponent('^/api/')}`);
    expect(v2.body.data.map((e: any) => e.id)).toEqual(v1.map((e) => e.id));
    expect(v1).toHaveLength(2);
  });
});

describe('endpoint isolation', () => {
  it('each endpoint lists only its own requests', async () => {
    const other = await list('hist-other');
    expect(other.map((e) => `${e.method} ${e.path}`)).toEqual(['POST /other', 'GET /api/users']);
    expect(other.every((e) => e.rule === false)).toBe(true); // hist's rules do not apply to hist-other
    expect(await listed()).toEqual(all());
    expect(await listed({ reqBody: 'alice' })).toEqual(expected(2)); // hist-other's "alice" is not listed
  });

  it('one endpoint\'s request id is not found under another endpoint', async () => {
    const [entry] = await list('hist-other');
    const res = await mg.api.get(`/api/v1/endpoints/${E}/requests/${entry.id}`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    const del = await mg.api.delete(`/api/v1/endpoints/${E}/requests/${entry.id}`);
    expect(del.body).toEqual({ data: { requestsPurged: 0 } });
    expect((await list('hist-other')).map((e) => e.id)).toContain(entry.id);
  });
});

describe('invalid endpoint names', () => {
  it('are a 400 bad_request on every v1 history route', async () => {
    for (const name of ['UPPER', '-dash', 'under_score', 'a'.repeat(64)]) {
      for (const [method, path] of [
        ['GET', `/api/v1/endpoints/${name}/requests`],
        ['GET', `/api/v1/endpoints/${name}/requests/abc`],
        ['DELETE', `/api/v1/endpoints/${name}/requests`],
        ['DELETE', `/api/v1/endpoints/${name}/requests/abc`],
      ] as const) {
        const res = method === 'GET' ? await mg.api.get(path) : await mg.api.delete(path);
        expect(res.status, `${method} ${path}`).toBe(400);
        expect(res.body.error.code).toBe('bad_request');
        expect(res.body.error.parameter).toBe('endpoint');
      }
    }
  });
});

describe('one request', () => {
  it('GET .../requests/{id} gives {data:[entry]} in the full form, equal to the full list entry', async () => {
    const full = await list(E, { mode: 'full' });
    for (const entry of full) {
      const res = await mg.api.get(`/api/v1/endpoints/${E}/requests/${entry.id}`);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual(['data']);
      expect(res.body.data).toHaveLength(1);
      expect(Object.keys(res.body.data[0])).toEqual(FULL_KEYS);
      expect(res.body.data[0]).toEqual(entry);
    }
  });

  it('an unknown id is a 404 not_found', async () => {
    for (const id of ['nope', 'zzzzzzzzzzz', '0']) {
      const res = await mg.api.get(`/api/v1/endpoints/${E}/requests/${id}`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
      expect(res.body.error.message).toContain(id);
    }
  });
});

describe('purges', () => {
  it('DELETE .../requests/{id} purges that one request: {data:{requestsPurged:1}}, then 0', async () => {
    const e = 'hist-purge-one';
    for (const p of ['/a', '/b', '/c']) await send(e, 'GET', p);
    const before = await list(e);
    const victim = before[1]!;
    const res = await mg.api.delete(`/api/v1/endpoints/${e}/requests/${victim.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { requestsPurged: 1 } });
    expect((await list(e)).map((x) => x.id)).toEqual([before[0]!.id, before[2]!.id]);
    expect((await mg.api.get(`/api/v1/endpoints/${e}/requests/${victim.id}`)).status).toBe(404);
    const again = await mg.api.delete(`/api/v1/endpoints/${e}/requests/${victim.id}`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ data: { requestsPurged: 0 } });
    // gone for v2 as well
    const v2 = await mg.api.get(`/api/v2/endpoints/${e}/requests`);
    expect(v2.body.data.map((x: any) => x.id)).toEqual([before[0]!.id, before[2]!.id]);
  });

  it('DELETE .../requests/{id} with an unknown id purges nothing: {data:{requestsPurged:0}}', async () => {
    const res = await mg.api.delete(`/api/v1/endpoints/${E}/requests/unknown-id`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { requestsPurged: 0 } });
    expect(await listed()).toEqual(all());
  });

  it('DELETE .../requests purges the whole endpoint: {data:{requestsPurged:N}}, then 0; others keep theirs', async () => {
    const e = 'hist-purge-all';
    for (let i = 0; i < 7; i++) await send(e, i % 2 ? 'POST' : 'GET', `/x/${i}`, i % 2 ? 'body' : undefined);
    const otherBefore = await list('hist-other');
    // filters are not part of the v1 purge: everything goes
    const res = await mg.api.delete(`/api/v1/endpoints/${e}/requests?method=POST`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { requestsPurged: 7 } });
    expect(await list(e)).toEqual([]);
    const again = await mg.api.delete(`/api/v1/endpoints/${e}/requests`);
    expect(again.body).toEqual({ data: { requestsPurged: 0 } });
    expect(await list('hist-other')).toEqual(otherBefore);
    // new traffic is journaled again after a purge
    await send(e, 'GET', '/after');
    expect((await list(e)).map((x) => x.path)).toEqual(['/after']);
  });

  it('DELETE on an endpoint with no history purges 0', async () => {
    const res = await mg.api.delete('/api/v1/endpoints/never-called-either/requests');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { requestsPurged: 0 } });
  });
});
