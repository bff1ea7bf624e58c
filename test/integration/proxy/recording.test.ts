// Recording: start → traffic goes to the real service (before any rule) and is journaled as `recording` → stop →
// snapshot into mock rules → the same answers without the service. And the API's refusals.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import { startUpstream, type Upstream } from './upstream.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe]);

/** A small service: JSON answers that change per call, a Location header, a cookie, a gzip answer, a binary one. */
function service(): Promise<Upstream> {
  let calls = 0;
  return startUpstream((_req, res, seen) => {
    calls++;
    const json = (status: number, value: unknown, headers: Record<string, string | string[]> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-served-by': 'service', ...headers });
      res.end(JSON.stringify(value));
    };
    switch (`${seen.method} ${seen.url}`) {
      case 'GET /users': return json(200, { users: ['alex'], call: calls });
      case 'GET /users?page=2': return json(200, { users: ['kim'], page: 2 });
      case 'GET /users/1': return json(200, { id: 1, name: 'alex' }, { 'set-cookie': 'session=abc; Path=/' });
      case 'POST /users': return json(201, { id: 2, created: seen.body.toString('utf8') }, { location: '/users/2' });
      case 'DELETE /users/1': res.writeHead(204, { 'x-served-by': 'service' }); return void res.end();
      case 'GET /gz': {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        return void res.end(gzipSync(JSON.stringify({ compressed: true })));
      }
      case 'GET /img': res.writeHead(200, { 'content-type': 'image/png' }); return void res.end(PNG);
      default: return json(404, { error: 'no such thing', url: seen.url });
    }
  });
}

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(() => mg.close());

const rec = (endpoint: string, suffix = '') => `/api/v2/endpoints/${endpoint}/recordings${suffix}`;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

interface Answer { status: number; headers: Record<string, string>; body: string }
async function call(path: string, init?: RequestInit): Promise<Answer> {
  const res = await fetch(`${mg.url}${path}`, init);
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'location', 'set-cookie', 'x-served-by']) {
    const value = res.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  return { status: res.status, headers, body: await res.text() };
}

describe('recording and snapshot', () => {
  it('records the service, turns the recording into rules and replays it with the service gone', async () => {
    const upstream = await service();
    // a rule that would answer /users/1: recording goes around it to the real service
    const preexisting = await mg.api.post('/api/v2/endpoints/shop/rules', mockRule({ type: 'path', operator: 'equals', value: '/users/1' }, { body: 'mocked' }));

    const started = await mg.api.post(rec('shop'), { targetUrl: upstream.url });
    expect(started.status).toBe(201);
    expect(started.body).toEqual({ recording: { targetUrl: upstream.url, startedAt: expect.stringMatching(ISO) } });

    const requests: Array<[string, RequestInit?]> = [
      ['/e/shop/users'],
      ['/e/shop/users?page=2'],
      ['/e/shop/users/1'],
      ['/e/shop/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"kim"}' }],
      ['/e/shop/users/1', { method: 'DELETE' }],
      ['/e/shop/gz'],
      ['/e/shop/img'],
      ['/e/shop/users', { method: 'HEAD' }],
      ['/e/shop/users'], // the latest answer of GET /users is the one kept
    ];
    const live: Answer[] = [];
    for (const [path, init] of requests) live.push(await call(path, init));
    expect(live[2]!.body).toBe('{"id":1,"name":"alex"}'); // the service, not the pre-existing rule
    expect(JSON.parse(live[8]!.body)).toMatchObject({ call: 9 });

    const list = await mg.api.get('/api/v2/endpoints/shop/requests?limit=100');
    expect(list.body.data).toHaveLength(requests.length);
    expect(new Set(list.body.data.map((e: { behavior: string }) => e.behavior))).toEqual(new Set(['recording']));

    const stopped = await mg.api.post(rec('shop', '/stop'));
    expect(stopped.status).toBe(200);
    expect(stopped.body).toEqual({ recording: { targetUrl: upstream.url, startedAt: started.body.recording.startedAt,
      stoppedAt: expect.stringMatching(ISO), exchanges: requests.length } });

    const snapshot = await mg.api.post(rec('shop', '/snapshot'), {});
    expect(snapshot.status).toBe(201);
    expect(snapshot.body.created).toBe(6);
    expect(snapshot.body.rules).toHaveLength(6);
    expect(snapshot.body.skipped).toEqual([
      { method: 'GET', path: '/img', reason: expect.stringContaining('binary') },
      { method: 'HEAD', path: '/users', reason: expect.stringContaining('HEAD') },
    ]);
    const rules = (await mg.api.get('/api/v2/endpoints/shop/rules')).body.data;
    expect(rules.map((r: { id: string }) => r.id)).toEqual([preexisting.body.id, ...snapshot.body.rules]);
    const usersRule = rules.find((r: any) => r.method === 'GET' && r.conditions[0].value === '/users');
    expect(usersRule.conditions).toEqual([{ type: 'path', operator: 'equals', value: '/users' }]);
    expect(usersRule.action).toMatchObject({ type: 'mock', status: 200, body: live[8]!.body });
    const headerNames = usersRule.action.headers.map((h: { key: string }) => h.key);
    expect(headerNames).toEqual(expect.arrayContaining(['content-type', 'x-served-by']));
    for (const dropped of ['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']) expect(headerNames).not.toContain(dropped);

    await upstream.close();
    await mg.api.delete(`/api/v2/endpoints/shop/rules/${preexisting.body.id}`);
    const replayed: Answer[] = [];
    for (const [path, init] of requests) replayed.push(await call(path, init));
    // the same answers as recorded; GET /users answers what it answered last
    expect(replayed[0]).toEqual(live[8]);
    for (const i of [1, 2, 3, 4, 5, 8]) expect(replayed[i], requests[i]![0]).toEqual(live[i]);
  });

  it('snapshots only the entries the filters keep, and only this endpoint\'s recorded ones', async () => {
    const upstream = await service();
    await mg.api.post(rec('filtered'), { targetUrl: upstream.url });
    await call('/e/filtered/users');
    await call('/e/filtered/users', { method: 'POST', body: 'a' });
    await call('/e/filtered/gz');
    await mg.api.post(rec('filtered', '/stop'));
    await call('/e/filtered/users'); // not recording any more: the default answer, not a recorded entry
    await upstream.close();

    const posts = await mg.api.post(rec('filtered', '/snapshot'), { pathPrefix: '/users', methods: ['post'] });
    expect(posts.status).toBe(201);
    expect(posts.body).toMatchObject({ created: 1, skipped: [] });
    expect((await call('/e/filtered/users', { method: 'POST', body: 'b' })).status).toBe(201);
    const gz = await call('/e/filtered/gz');
    expect(gz.body).toContain('no rule of endpoint "filtered" matched');

    const rest = await mg.api.post(rec('filtered', '/snapshot'), { methods: ['GET'] });
    expect(rest.body.created).toBe(2);
    // the gzip answer was stored compressed; the rule holds it decoded, without content-encoding
    const replay = await call('/e/filtered/gz');
    expect(replay).toMatchObject({ status: 200, body: '{"compressed":true}', headers: { 'content-type': 'application/json' } });
    expect((await call('/e/other/gz')).body).not.toContain('compressed');
  });

  it('refuses a snapshot that would take the endpoint past 500 rules: 400, nothing added', async () => {
    const upstream = await service();
    const rules = Array.from({ length: 500 }, (_, i) => mockRule({ type: 'path', operator: 'equals', value: `/r${i}` }));
    expect((await mg.api.put('/api/v2/endpoints/full/rules', { rules })).status).toBe(200);
    await mg.api.post(rec('full'), { targetUrl: upstream.url });
    await call('/e/full/users');
    await mg.api.post(rec('full', '/stop'));
    await upstream.close();
    const res = await mg.api.post(rec('full', '/snapshot'));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'validation_error', message: expect.stringContaining('500') } });
    expect((await mg.api.get('/api/v2/endpoints/full/rules')).body.data).toHaveLength(500);
  });
});

describe('recording API refusals', () => {
  it.each([
    { what: 'no body', body: undefined, pointer: '/' },
    { what: 'no targetUrl', body: {}, pointer: '/' },
    { what: 'a targetUrl that is not a string', body: { targetUrl: 42 }, pointer: '/targetUrl' },
    { what: 'a relative targetUrl', body: { targetUrl: '/api' }, pointer: '/targetUrl' },
    { what: 'an ftp targetUrl', body: { targetUrl: 'ftp://example.com/' }, pointer: '/targetUrl' },
    { what: 'an unknown field', body: { targetUrl: 'http://example.com', mode: 'x' }, pointer: '/mode' },
  ])('start with $what: 400 validation_error at $pointer', async ({ body, pointer }) => {
    const res = await mg.api.post(rec('invalid'), body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'validation_error', parameter: pointer } });
    expect((await mg.api.post(rec('invalid', '/stop'))).status).toBe(404);
  });

  it('start while recording: 409 conflict, the first recording goes on', async () => {
    expect((await mg.api.post(rec('twice'), { targetUrl: 'http://127.0.0.1:9/a' })).status).toBe(201);
    const again = await mg.api.post(rec('twice'), { targetUrl: 'http://127.0.0.1:9/b' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'conflict' } });
    expect((await mg.api.post(rec('twice', '/stop'))).body.recording.targetUrl).toBe('http://127.0.0.1:9/a');
  });

  it('stop when not recording: 404 not_found (also for an endpoint that does not exist, and after a stop)', async () => {
    const res = await mg.api.post(rec('never-recorded', '/stop'));
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { code: 'not_found' } });
    await mg.api.post(rec('once'), { targetUrl: 'http://127.0.0.1:9' });
    expect((await mg.api.post(rec('once', '/stop'))).status).toBe(200);
    expect((await mg.api.post(rec('once', '/stop'))).status).toBe(404);
  });

  it('a deleted endpoint stops recording: made again under the same name, it serves its own rules', async () => {
    await mg.api.post(rec('gone'), { targetUrl: 'http://127.0.0.1:9' });
    await new Promise((resolve) => setTimeout(resolve, 5)); // creation times are milliseconds: the new one must differ
    await mg.api.delete('/api/v2/endpoints/gone');
    const res = await call('/e/gone/x');
    expect(res.body).toContain('no rule of endpoint "gone" matched');
    expect((await mg.api.post(rec('gone', '/stop'))).status).toBe(404);
  });

  it.each([
    { what: 'methods that is not an array', body: { methods: 'GET' }, pointer: '/methods' },
    { what: 'a pathPrefix that is not a string', body: { pathPrefix: 7 }, pointer: '/pathPrefix' },
    { what: 'an unknown field', body: { since: 'yesterday' }, pointer: '/since' },
  ])('snapshot with $what: 400 validation_error at $pointer', async ({ body, pointer }) => {
    const res = await mg.api.post(rec('snapinvalid', '/snapshot'), body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'validation_error', parameter: pointer } });
  });

  it('an invalid endpoint name: 400 validation_error', async () => {
    const res = await mg.api.post('/api/v2/endpoints/Bad_Name/recordings', { targetUrl: 'http://example.com' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'validation_error' } });
  });

  it('a recording whose service is down answers 502 bad_gateway; such exchanges never become rules', async () => {
    const upstream = await service();
    await mg.api.post(rec('down'), { targetUrl: upstream.url });
    const answered = await call('/e/down/users/1');
    await upstream.close();
    const failed = await call('/e/down/users/1');
    expect(failed.status).toBe(502);
    expect(JSON.parse(failed.body)).toMatchObject({ error: { code: 'bad_gateway' } });
    expect((await call('/e/down/users')).status).toBe(502);
    const list = await mg.api.get('/api/v2/endpoints/down/requests?limit=1');
    const entry = (await mg.api.get(`/api/v2/endpoints/down/requests/${list.body.data[0].id}`)).body;
    expect(entry).toMatchObject({ status: 502, behavior: 'recording', forwardError: 'bad_gateway' });
    await mg.api.post(rec('down', '/stop'));
    // the latest answer the service gave for GET /users/1 is kept; GET /users it never answered
    expect((await mg.api.post(rec('down', '/snapshot'))).body).toMatchObject({ created: 1, skipped: [] });
    expect(await call('/e/down/users/1')).toEqual(answered);
  });
});
