// mockgate's addition for CI: POST /api/v2/endpoints/{endpoint}/state/counter/{key}/increment, atomic under
// concurrent requests on separate sockets; and state kept across a restart.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(() => mg.close());

const incr = (e: string, key: string) => `/api/v2/endpoints/${e}/state/counter/${encodeURIComponent(key)}/increment`;
const counter = async (e: string, key: string) => (await mg.api.get(`/api/v2/endpoints/${e}/state/counter/${encodeURIComponent(key)}`)).body;

/** One POST on its own TCP connection (no agent, no keep-alive): the server sees truly concurrent sockets. */
function postOnNewSocket(path: string, body: unknown): Promise<{ status: number; body: any }> {
  const url = new URL(path, mg.url);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request({
      host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent: false,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), connection: 'close' },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

describe('increment', () => {
  it('creates the counter at 0 and adds 1 by default; answers the StateItem', async () => {
    const before = Date.now();
    const res = await mg.api.post(incr('inc', 'hits'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ type: 'counter', key: 'hits', value: 1, lastModified: expect.any(Number) });
    expect(res.body.lastModified).toBeGreaterThanOrEqual(before);
    expect((await mg.api.post(incr('inc', 'hits'), {})).body.value).toBe(2);
    const same = (await mg.api.post(incr('inc', 'hits'), { by: 0 })).body;
    expect(same.value).toBe(2);
    expect(await counter('inc', 'hits')).toEqual(same);
  });

  it('by: any integer, negative too; the counter never goes below 0 (409, unchanged)', async () => {
    await mg.api.put('/api/v2/endpoints/inc/state', { items: [{ type: 'counter', key: 'stock', value: 10 }] });
    expect((await mg.api.post(incr('inc', 'stock'), { by: 5 })).body.value).toBe(15);
    expect((await mg.api.post(incr('inc', 'stock'), { by: -15 })).body.value).toBe(0);
    const below = await mg.api.post(incr('inc', 'stock'), { by: -1 });
    expect(below.status).toBe(409);
    expect(below.body.error).toMatchObject({ code: 'conflict', parameter: '/by' });
    expect((await counter('inc', 'stock')).value).toBe(0);
    // a first decrement of a counter that does not exist is refused too, and does not create it
    expect((await mg.api.post(incr('inc', 'fresh'), { by: -1 })).status).toBe(409);
    expect((await mg.api.get('/api/v2/endpoints/inc/state/counter/fresh')).status).toBe(404);
    // beyond a safe integer
    await mg.api.put('/api/v2/endpoints/inc/state', { items: [{ type: 'counter', key: 'big', value: Number.MAX_SAFE_INTEGER - 1 }] });
    expect((await mg.api.post(incr('inc', 'big'))).body.value).toBe(Number.MAX_SAFE_INTEGER);
    expect((await mg.api.post(incr('inc', 'big'))).status).toBe(409);
  });

  it('refuses a bad body or key with 400 validation_error', async () => {
    const bodies: Array<[unknown, string]> = [
      [{ by: 1.5 }, '/by'], [{ by: '2' }, '/by'], [{ by: null }, '/by'], [{ step: 1 }, '/step'], [[], '/'], [{ by: 2 ** 60 }, '/by'],
    ];
    for (const [body, parameter] of bodies) {
      const res = await mg.api.post(incr('inc-val', 'c'), body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'validation_error', parameter });
    }
    const long = await mg.api.post(incr('inc-val', 'k'.repeat(101)));
    expect(long.body.error).toMatchObject({ code: 'validation_error', parameter: 'key' });
    expect((await mg.api.post(incr('inc-val', 'k'.repeat(100)))).body.value).toBe(1);
    expect((await mg.api.get('/api/v2/endpoints/inc-val/state')).body.pagination.total).toBe(1);
  });

  it('counts the same item as PUT, GET and v1 (the counter type), in any case of the path', async () => {
    await mg.api.post('/api/v1/endpoints/inc-v1/datastore', { data: [{ type: 'counter', key: 'views', value: 41 }] });
    const res = await mg.api.post('/api/v2/endpoints/inc-v1/state/Counter/views/increment');
    expect(res.body).toMatchObject({ type: 'counter', key: 'views', value: 42 });
    expect((await mg.api.get('/api/v2/endpoints/inc-v1/state')).body.data).toEqual([res.body]);
  });

  it('200 concurrent increments on 200 sockets leave the counter at exactly 200', async () => {
    const results = await Promise.all(Array.from({ length: 200 }, () => postOnNewSocket(incr('race', 'n'), {})));
    expect(results.every((r) => r.status === 200)).toBe(true);
    // each call saw its own step: the answered values are exactly 1..200
    expect(results.map((r) => r.body.value as number).sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect((await counter('race', 'n')).value).toBe(200);
  });

  it('a parallel mix of +1 and -1 ends where it started', async () => {
    await mg.api.put('/api/v2/endpoints/race-mix/state', { items: [{ type: 'counter', key: 'n', value: 100 }] });
    const steps = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 1 : -1));
    const results = await Promise.all(steps.map((by) => postOnNewSocket(incr('race-mix', 'n'), { by })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect((await counter('race-mix', 'n')).value).toBe(100);
  });

  it('concurrent increments of several counters and endpoints do not interfere', async () => {
    const targets = ['a', 'b', 'c'].flatMap((key) => ['race-x', 'race-y'].map((e) => ({ e, key })));
    await Promise.all(targets.flatMap(({ e, key }) => Array.from({ length: 20 }, () => postOnNewSocket(incr(e, key), { by: 2 }))));
    for (const { e, key } of targets) expect((await counter(e, key)).value).toBe(40);
  });
});

describe('restart', () => {
  it('keeps every item, its value, type and lastModified; counting goes on from there', async () => {
    const first = await startMockgate();
    const { dataDir } = first;
    await first.api.post('/api/v1/endpoints/keep/datastore', { data: [
      { type: 'datastore', key: 'session', value: { user: 'u1' } },
      { type: 'list', key: 'log', value: ['a', 'b'] },
    ] });
    await first.api.put('/api/v2/endpoints/keep/state', { items: [{ type: 'counter', key: 'n', value: 9 }] });
    await first.api.post('/api/v2/endpoints/keep/state/counter/n/increment');
    await first.api.put('/api/v2/endpoints/other/state', { items: [{ type: 'string', key: 'x', value: 'y' }] });
    const before = (await first.api.get('/api/v2/endpoints/keep/state')).body;
    expect(before.pagination.total).toBe(3);
    await first.close({ removeData: false });

    const second = await startMockgate({ dataDir });
    try {
      expect((await second.api.get('/api/v2/endpoints/keep/state')).body).toEqual(before);
      expect((await second.api.get('/api/v2/endpoints/keep/state/counter/n')).body.value).toBe(10);
      expect((await second.api.post('/api/v2/endpoints/keep/state/counter/n/increment')).body.value).toBe(11);
      expect((await second.api.get('/api/v2/endpoints/other/state/string/x')).body.value).toBe('y');
    } finally {
      await second.close();
    }
  });
});
