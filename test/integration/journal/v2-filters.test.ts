// v2 history filters: each alone and combined (list, count and verbose agree), malformed values → 400 naming the
// parameter, unknown parameters ignored, and a catastrophic-backtracking pattern that answers at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_VERSION, definePlugin } from '../../../core/contract.js';
import { BUILTIN_PLUGINS } from '../../../core/plugins/builtin-plugins.js';
import { mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

// A fallback step standing in for a proxy: answers /up/* with behavior `proxy`.
const fakeProxy = definePlugin({
  name: 'fake-proxy',
  contract: CONTRACT_VERSION,
  fallbacks: [{
    name: 'fake-proxy',
    order: 10,
    compile: () => (ex) => {
      if (!ex.request.path.startsWith('/up/')) return false;
      ex.annotate({ behavior: 'proxy' });
      ex.respond({ status: 502, body: 'upstream said no' });
      return true;
    },
  }],
});

let mg: RunningMockgate;
let t = Date.parse('2030-01-01T00:00:00.000Z');
const T0 = t;
const HOUR = 3_600_000;
const E = 'flt';
const base = `/api/v2/endpoints/${E}/requests`;

/** Which traffic was sent, oldest first, with its journal id once known. */
interface Sent {
  name: string;
  method: string;
  path: string;
  body?: string | Buffer;
  contentType?: string;
  at: number;
  id?: string;
}

function multipart(fields: Array<{ name: string; fileName?: string; value: string | Buffer }>): { body: Buffer; contentType: string } {
  const boundary = 'XyZbOuNdArY123';
  const chunks: Buffer[] = [];
  for (const f of fields) {
    const disposition = f.fileName !== undefined ? `form-data; name="${f.name}"; filename="${f.fileName}"` : `form-data; name="${f.name}"`;
    const type = f.fileName !== undefined ? 'Content-Type: application/octet-stream\r\n' : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`), Buffer.from(f.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

const upload = multipart([{ name: 'avatarField', fileName: 'portrait-77.png', value: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff]) }, { name: 'note', value: 'hi' }]);

const traffic: Sent[] = [
  { name: 'getUsers', method: 'GET', path: '/users/1', at: T0 },
  { name: 'postOrder', method: 'POST', path: '/orders?debug=1', body: '{"item":"banana","qty":3}', contentType: 'application/json', at: T0 + 1 * HOUR },
  { name: 'putUser', method: 'PUT', path: '/users/2', body: 'name=alice', contentType: 'application/x-www-form-urlencoded', at: T0 + 2 * HOUR },
  { name: 'deleteOrder', method: 'DELETE', path: '/orders/9', at: T0 + 3 * HOUR },
  { name: 'missing', method: 'GET', path: '/nothing/here', at: T0 + 4 * HOUR },
  { name: 'proxied', method: 'POST', path: '/up/stream', body: 'payload-for-upstream', contentType: 'text/plain', at: T0 + 5 * HOUR },
  { name: 'upload', method: 'POST', path: '/files', body: upload.body, contentType: upload.contentType, at: T0 + 6 * HOUR },
  { name: 'hostile', method: 'GET', path: `/${'a'.repeat(30)}!`, at: T0 + 7 * HOUR },
  { name: 'patchUser', method: 'PATCH', path: '/users/3', body: '{"item":"cherry"}', contentType: 'application/json', at: T0 + 8 * HOUR },
];
const byName = (name: string): Sent => traffic.find((s) => s.name === name)!;

beforeAll(async () => {
  mg = await startMockgate({ now: () => t, plugins: [...BUILTIN_PLUGINS, fakeProxy] });
  await mg.api.put(`/api/v2/endpoints/${E}/rules`, { rules: [
    mockRule({ type: 'path', operator: 'starts_with', value: '/users/' }, { status: 200, body: '{"user":"found"}' }),
    mockRule({ type: 'path', operator: 'starts_with', value: '/orders' }, { status: 201, body: 'order accepted' }),
    mockRule({ type: 'path', operator: 'equals', value: '/files' }, { status: 500, body: 'disk full' }),
    mockRule({ type: 'path', operator: 'regex', value: '^/a+!$' }, { status: 404, body: 'not here' }),
  ] });
  for (const s of traffic) {
    t = s.at;
    const headers: Record<string, string> = s.contentType ? { 'content-type': s.contentType } : {};
    await (await fetch(`${mg.url}/e/${E}${s.path}`, { method: s.method, headers, body: s.body })).arrayBuffer();
  }
  // some traffic on another endpoint, which no filter of this one may ever see
  await (await fetch(`${mg.url}/e/flt-other/users/1`)).text();
  t = T0 + 10 * HOUR;
  const all = await mg.api.get(`${base}?limit=100`);
  expect(all.body.data).toHaveLength(traffic.length);
  [...all.body.data].reverse().forEach((e: any, i: number) => {
    expect(e.path).toBe(traffic[i]!.path);
    traffic[i]!.id = e.id;
  });
});
afterAll(() => mg.close());

/** The names the filter selects, oldest first; also checks /count and verbose mode agree with the list. */
async function select(query: string): Promise<string[]> {
  const list = await mg.api.get(`${base}?limit=100&${query}`);
  expect(list.status, JSON.stringify(list.body)).toBe(200);
  const ids: string[] = list.body.data.map((e: any) => e.id);
  const count = await mg.api.get(`${base}/count?${query}`);
  expect(count.status).toBe(200);
  expect(count.body).toEqual({ count: ids.length });
  const verbose = await mg.api.get(`${base}?limit=100&mode=verbose&${query}`);
  expect(verbose.body.data.map((e: any) => e.id)).toEqual(ids);
  return ids.map((id) => traffic.find((s) => s.id === id)!.name).reverse();
}

describe('each filter alone', () => {
  it('no filter: everything, newest first', async () => {
    expect(await select('')).toEqual(traffic.map((s) => s.name));
  });

  it('id', async () => {
    expect(await select(`id=${byName('putUser').id}`)).toEqual(['putUser']);
    expect(await select('id=doesnotexist')).toEqual([]);
  });

  it('method, case-insensitive', async () => {
    expect(await select('method=POST')).toEqual(['postOrder', 'proxied', 'upload']);
    expect(await select('method=get')).toEqual(['getUsers', 'missing', 'hostile']);
    expect(await select('method=Patch')).toEqual(['patchUser']);
    expect(await select('method=TRACE')).toEqual([]);
  });

  it('status', async () => {
    expect(await select('status=200')).toEqual(['getUsers', 'putUser', 'missing', 'patchUser']);
    expect(await select('status=201')).toEqual(['postOrder', 'deleteOrder']);
    expect(await select('status=502')).toEqual(['proxied']);
    expect(await select('status=500')).toEqual(['upload']);
    expect(await select('status=404')).toEqual(['hostile']);
    expect(await select('status=599')).toEqual([]);
  });

  it('path: regex over the path with its query', async () => {
    expect(await select('path=' + encodeURIComponent('^/users/\\d$'))).toEqual(['getUsers', 'putUser', 'patchUser']);
    expect(await select('path=' + encodeURIComponent('debug=1$'))).toEqual(['postOrder']);
    expect(await select('path=' + encodeURIComponent('/orders/[0-9]+'))).toEqual(['deleteOrder']);
  });

  it('path: a plain substring', async () => {
    expect(await select('path=orders')).toEqual(['postOrder', 'deleteOrder']);
    expect(await select('path=users')).toEqual(['getUsers', 'putUser', 'patchUser']);
  });

  it('path: an invalid regex is searched as literal text', async () => {
    // a valid pattern is a regex, even when it was meant as text: here "?" makes the "s" optional
    expect(await select('path=' + encodeURIComponent('/orders?debug'))).toEqual([]);
    expect(await select('path=' + encodeURIComponent('?debug=1'))).toEqual(['postOrder']); // invalid regex (nothing to repeat)
    expect(await select('path=' + encodeURIComponent('[oops'))).toEqual([]);
  });

  it('behavior', async () => {
    expect(await select('behavior=mock-rule')).toEqual(['getUsers', 'postOrder', 'putUser', 'deleteOrder', 'upload', 'hostile', 'patchUser']);
    expect(await select('behavior=default')).toEqual(['missing']);
    expect(await select('behavior=proxy')).toEqual(['proxied']);
    for (const b of ['callout', 'crud', 'grpc', 'graphql', 'wsdl', 'oas', 'tunnel']) expect(await select(`behavior=${b}`)).toEqual([]);
  });

  it('ruleMatched', async () => {
    expect(await select('ruleMatched=true')).toEqual(['getUsers', 'postOrder', 'putUser', 'deleteOrder', 'upload', 'hostile', 'patchUser']);
    expect(await select('ruleMatched=false')).toEqual(['missing', 'proxied']);
  });

  it('isMultipart and its alias hasAttachments', async () => {
    expect(await select('isMultipart=true')).toEqual(['upload']);
    expect(await select('hasAttachments=true')).toEqual(['upload']);
    expect(await select('isMultipart=false')).toEqual(traffic.map((s) => s.name).filter((n) => n !== 'upload'));
    expect(await select('hasAttachments=false')).toHaveLength(traffic.length - 1);
  });

  it('dateFrom and dateTo are inclusive bounds', async () => {
    const iso = (ms: number) => new Date(ms).toISOString();
    expect(await select(`dateFrom=${iso(T0 + 6 * HOUR)}`)).toEqual(['upload', 'hostile', 'patchUser']);
    expect(await select(`dateTo=${iso(T0 + 1 * HOUR)}`)).toEqual(['getUsers', 'postOrder']);
    expect(await select(`dateFrom=${iso(T0 + 2 * HOUR)}&dateTo=${iso(T0 + 3 * HOUR)}`)).toEqual(['putUser', 'deleteOrder']);
    // a date without time, and an offset
    expect(await select('dateTo=2030-01-01')).toEqual(['getUsers']);
    expect(await select(`dateFrom=${encodeURIComponent('2030-01-01T08:00:00+02:00')}`)).toEqual(['upload', 'hostile', 'patchUser']);
  });

  it('dateRange alone reaches back from now (the server clock)', async () => {
    // now is T0 + 10 h
    expect(await select('dateRange=2h')).toEqual(['patchUser']);
    expect(await select('dateRange=190m')).toEqual(['hostile', 'patchUser']);
    expect(await select('dateRange=10h')).toEqual(traffic.map((s) => s.name));
    expect(await select('dateRange=1d')).toEqual(traffic.map((s) => s.name));
    expect(await select('dateRange=1w')).toEqual(traffic.map((s) => s.name));
    expect(await select('dateRange=3600s')).toEqual([]);
  });

  it('dateRange with one of dateFrom / dateTo extends from it', async () => {
    const iso = (ms: number) => new Date(ms).toISOString();
    expect(await select(`dateFrom=${iso(T0 + HOUR)}&dateRange=1h`)).toEqual(['postOrder', 'putUser']);
    expect(await select(`dateTo=${iso(T0 + 8 * HOUR)}&dateRange=1h`)).toEqual(['hostile', 'patchUser']);
  });

  it('requestBody: regex or text over the request body', async () => {
    expect(await select('requestBody=item')).toEqual(['postOrder', 'patchUser']);
    expect(await select('requestBody=' + encodeURIComponent('"qty":\\d'))).toEqual(['postOrder']);
    expect(await select('requestBody=alice')).toEqual(['putUser']);
    expect(await select('requestBody=' + encodeURIComponent('^payload-'))).toEqual(['proxied']);
  });

  it('requestBody: multipart field and file names', async () => {
    expect(await select('requestBody=avatarField')).toEqual(['upload']);
    expect(await select('requestBody=' + encodeURIComponent('portrait-\\d+\\.png'))).toEqual(['upload']);
  });

  it('responseBody', async () => {
    expect(await select('responseBody=found')).toEqual(['getUsers', 'putUser', 'patchUser']);
    expect(await select('responseBody=' + encodeURIComponent('^order accepted$'))).toEqual(['postOrder', 'deleteOrder']);
    expect(await select('responseBody=upstream')).toEqual(['proxied']);
    expect(await select('responseBody=' + encodeURIComponent('no rule of endpoint'))).toEqual(['missing']);
  });

  it('an empty value is no filter', async () => {
    expect(await select('method=&status=&path=&behavior=')).toEqual(traffic.map((s) => s.name));
  });

  it('unknown parameters are ignored', async () => {
    expect(await select('colour=blue&status=201&sort=asc')).toEqual(['postOrder', 'deleteOrder']);
  });
});

describe('filters combined', () => {
  it('are all applied (AND)', async () => {
    expect(await select('method=POST&ruleMatched=true')).toEqual(['postOrder', 'upload']);
    expect(await select('method=POST&ruleMatched=true&status=201')).toEqual(['postOrder']);
    expect(await select('path=users&requestBody=item')).toEqual(['patchUser']);
    expect(await select('behavior=mock-rule&responseBody=found&dateRange=5h')).toEqual(['patchUser']);
    expect(await select(`dateFrom=${new Date(T0 + 2 * HOUR).toISOString()}&ruleMatched=false&method=post`)).toEqual(['proxied']);
    expect(await select('isMultipart=false&method=POST&path=' + encodeURIComponent('^/(orders|up)'))).toEqual(['postOrder', 'proxied']);
    expect(await select('status=200&path=users&method=GET&requestBody=nope')).toEqual([]);
    expect(await select(`id=${byName('upload').id}&isMultipart=true&status=500&behavior=mock-rule`)).toEqual(['upload']);
    expect(await select(`id=${byName('upload').id}&status=200`)).toEqual([]);
  });

  it('filters page correctly: limit 1 walks the filtered set', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await mg.api.get(`${base}?limit=1&path=users${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.body.data.length).toBeLessThanOrEqual(1);
      seen.push(...res.body.data.map((e: any) => e.id));
      cursor = res.body.pagination.cursor;
      expect(res.body.pagination.hasMore).toBe(cursor !== null);
    } while (cursor !== null);
    expect(seen).toEqual(['patchUser', 'putUser', 'getUsers'].map((n) => byName(n).id));
  });
});

describe('malformed parameters: 400 validation_error naming the parameter', () => {
  const cases: Array<[string, string]> = [
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=-5', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=2.5', 'limit'],
    ['cursor=%21%21%21', 'cursor'],
    ['cursor=not-a-cursor', 'cursor'],
    ['status=abc', 'status'],
    ['status=99', 'status'],
    ['status=600', 'status'],
    ['status=200.5', 'status'],
    ['status=0x12C', 'status'],
    ['status=2e2', 'status'],
    ['behavior=magic', 'behavior'],
    ['behavior=MOCK-RULE', 'behavior'],
    ['ruleMatched=yes', 'ruleMatched'],
    ['ruleMatched=1', 'ruleMatched'],
    ['isMultipart=maybe', 'isMultipart'],
    ['hasAttachments=TRUE', 'hasAttachments'],
    ['isMultipart=true&hasAttachments=perhaps', 'hasAttachments'],
    ['dateFrom=yesterday', 'dateFrom'],
    ['dateFrom=2030-13-45T00:00:00Z', 'dateFrom'],
    ['dateTo=1700000000000', 'dateTo'],
    ['dateRange=10', 'dateRange'],
    ['dateRange=h', 'dateRange'],
    ['dateRange=10y', 'dateRange'],
    ['dateRange=-1h', 'dateRange'],
    ['dateRange=1.5h', 'dateRange'],
    [`dateFrom=2030-01-01T00:00:00Z&dateTo=2030-01-02T00:00:00Z&dateRange=1h`, 'dateRange'],
  ];

  it.each(cases)('GET ?%s → 400 naming %s', async (query, parameter) => {
    const res = await mg.api.get(`${base}?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_error', parameter });
    expect(res.body.error.message).toContain(parameter);
  });

  it.each(cases.filter(([q]) => !q.startsWith('limit') && !q.startsWith('cursor')))('count and DELETE ?%s → 400 naming %s, nothing deleted', async (query, parameter) => {
    const count = await mg.api.get(`${base}/count?${query}`);
    expect(count.status).toBe(400);
    expect(count.body.error).toMatchObject({ code: 'validation_error', parameter });
    const del = await mg.api.delete(`${base}?${query}`);
    expect(del.status).toBe(400);
    expect(del.body.error).toMatchObject({ code: 'validation_error', parameter });
    expect((await mg.api.get(`${base}/count`)).body.count).toBe(traffic.length);
  });

  it('mode other than verbose → 400 naming mode', async () => {
    const res = await mg.api.get(`${base}?mode=full`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_error', parameter: 'mode' });
  });

  it('a valid limit at the bounds is accepted', async () => {
    expect((await mg.api.get(`${base}?limit=1`)).body.pagination).toMatchObject({ limit: 1, hasMore: true });
    expect((await mg.api.get(`${base}?limit=100`)).body.pagination).toEqual({ limit: 100, hasMore: false, cursor: null });
    expect((await mg.api.get(`${base}`)).body.pagination.limit).toBe(20);
  });
});

describe('a hostile pattern', () => {
  it('(a+)+$ against a path of 30 a’s and ! answers at once', async () => {
    const started = performance.now();
    const res = await mg.api.get(`${base}?path=${encodeURIComponent('(a+)+$')}`);
    expect(res.status).toBe(200);
    // no journaled path ends in "a" (the hostile one ends in "!"): the classic exponential case, answered in linear time
    expect(res.body.data.map((e: any) => e.path)).toEqual([]);
    const anchored = await mg.api.get(`${base}?path=${encodeURIComponent('^/(a+)+!$')}`);
    expect(anchored.body.data.map((e: any) => e.path)).toEqual([byName('hostile').path]);
    const body = await mg.api.get(`${base}/count?requestBody=${encodeURIComponent('(x+x+)+y')}&responseBody=${encodeURIComponent('(.*a){20}')}`);
    expect(body.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('isolation', () => {
  it('no filter ever sees another endpoint’s entries', async () => {
    expect((await mg.api.get('/api/v2/endpoints/flt-other/requests/count')).body).toEqual({ count: 1 });
    expect((await mg.api.get(`/api/v2/endpoints/flt-other/requests?id=${byName('getUsers').id}`)).body.data).toEqual([]);
    expect((await mg.api.get('/api/v2/endpoints/flt-nobody/requests')).body).toEqual({ data: [], pagination: { cursor: null, hasMore: false, limit: 20 } });
  });
});
