// The `chaos` block of mock actions end to end: latency (fixed, uniform, log-normal, per in-flight request), a
// throttled or truncated body seen from a raw socket, an injected status, a socket fault, the journal's note.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import { quantile, rawGet, split } from './raw.js';
import { endpointWithRules } from '../../helpers/rule-endpoints.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(async () => {
  await mg.close();
});

const BODY_1000 = 'x'.repeat(990) + '0123456789';

const chaosRule = (chaos: Record<string, unknown>, body = 'hello, chaos') => ({
  enabled: true, method: '*', conditions: [{ type: 'path', operator: 'equals', value: '/c' }],
  action: { type: 'mock', status: 200, headers: [{ key: 'content-type', value: 'text/plain' }], body, chaos },
});

const endpointWith = (rule: object): Promise<string> => endpointWithRules(mg, 'mockchaos', rule);

/** ms from sending to having the whole body. */
async function timed(url: string): Promise<{ ms: number; status: number; body: string }> {
  const started = performance.now();
  const res = await fetch(url);
  const body = await res.text();
  return { ms: performance.now() - started, status: res.status, body };
}

async function journalNotes(name: string): Promise<any[]> {
  const list = await mg.api.get(`/api/v2/endpoints/${name}/requests?limit=100`);
  return Promise.all(list.body.data.map(async (e: { id: string }) => (await mg.api.get(`/api/v2/endpoints/${name}/requests/${e.id}`)).body));
}

describe('mock action chaos: latency', () => {
  it('fixed: every answer waits that long', async () => {
    const name = await endpointWith(chaosRule({ latency: { fixed: 200 } }));
    for (let i = 0; i < 3; i++) {
      const { ms, status, body } = await timed(`${mg.url}/e/${name}/c`);
      expect(status).toBe(200);
      expect(body).toBe('hello, chaos');
      expect(ms).toBeGreaterThanOrEqual(198);
      expect(ms).toBeLessThan(450);
    }
  });

  it('{min, max}: 40 answers each within the bounds, and not all alike', async () => {
    const name = await endpointWith(chaosRule({ latency: { min: 30, max: 90 } }));
    const times = await Promise.all(Array.from({ length: 40 }, () => timed(`${mg.url}/e/${name}/c`)));
    for (const { ms } of times) {
      expect(ms).toBeGreaterThanOrEqual(29);
      expect(ms).toBeLessThan(90 + 150);
    }
    const drawn = (await journalNotes(name)).map((e) => e.chaos.latencyMs as number);
    expect(drawn).toHaveLength(40);
    expect(Math.min(...drawn)).toBeGreaterThanOrEqual(30);
    expect(Math.max(...drawn)).toBeLessThanOrEqual(90);
    expect(new Set(drawn).size).toBeGreaterThan(10);
  });

  it('{median, p99} with a seed: 300 answers have about that median and 99th percentile', async () => {
    const name = await endpointWith(chaosRule({ seed: 5, latency: { median: 5, p99: 40 } }));
    const times: number[] = [];
    for (let i = 0; i < 300; i++) times.push((await timed(`${mg.url}/e/${name}/c`)).ms);
    // generous: the unit test checks the distribution itself; here, that the waits follow it
    expect(quantile(times, 0.5)).toBeGreaterThanOrEqual(4);
    expect(quantile(times, 0.5)).toBeLessThan(15);
    expect(quantile(times, 0.99)).toBeGreaterThan(20);
    expect(quantile(times, 0.99)).toBeLessThan(120);
  });

  it('perInFlight: each of 6 concurrent requests waits 50 ms per request in flight when it was decided', async () => {
    const name = await endpointWith(chaosRule({ latency: { perInFlight: 50 } }));
    const alone = await timed(`${mg.url}/e/${name}/c`);
    expect(alone.ms).toBeGreaterThanOrEqual(49);
    expect(alone.ms).toBeLessThan(250);
    const started = performance.now();
    const times = await Promise.all(Array.from({ length: 6 }, () => timed(`${mg.url}/e/${name}/c`)));
    expect(performance.now() - started).toBeGreaterThanOrEqual(299);
    expect(Math.max(...times.map((t) => t.ms))).toBeGreaterThanOrEqual(299);
    const drawn = (await journalNotes(name)).map((e) => e.chaos.latencyMs as number).sort((a, b) => a - b);
    expect(drawn).toEqual([50, 50, 100, 150, 200, 250, 300]);
  });
});

describe('mock action chaos: delivery', () => {
  it('slowBody 2000 B/s: a 1000-byte body takes about 0.5 s, trickles in and arrives whole', async () => {
    const name = await endpointWith(chaosRule({ slowBody: { bytesPerSecond: 2000 } }, BODY_1000));
    const answer = await rawGet(mg.url, `/e/${name}/c`);
    expect(answer.error).toBeUndefined();
    const { head, body } = split(answer.bytes);
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(head).toMatch(/\r\ncontent-length: 1000(\r\n|$)/i);
    expect(body.toString()).toBe(BODY_1000);
    expect(answer.closedMs).toBeGreaterThanOrEqual(450);
    expect(answer.closedMs).toBeLessThan(900);
    expect(answer.chunks.length).toBeGreaterThanOrEqual(4);
    // the rate between the first and the last chunk: the 800 bytes after the first slice
    const first = answer.chunks[0]!;
    const last = answer.chunks[answer.chunks.length - 1]!;
    const rate = (body.length - (first.length - (answer.bytes.length - body.length))) / ((last.ms - first.ms) / 1000);
    expect(rate).toBeGreaterThan(1500);
    expect(rate).toBeLessThan(2700);
  });

  it('truncate 10 bytes: the headers promise the whole body, 10 bytes come, then the connection closes', async () => {
    const name = await endpointWith(chaosRule({ truncate: { bytes: 10 } }, BODY_1000));
    const answer = await rawGet(mg.url, `/e/${name}/c`);
    const { head, body } = split(answer.bytes);
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(head).toMatch(/\r\ncontent-length: 1000(\r\n|$)/i);
    expect(body.toString()).toBe('xxxxxxxxxx');
    await expect(fetch(`${mg.url}/e/${name}/c`).then((res) => res.text())).rejects.toThrow();
  });

  it('errorStatus: the injected status and JSON error instead of the answer; probability 0 never', async () => {
    const name = await endpointWith(chaosRule({ errorStatus: { status: 429 } }));
    const res = await fetch(`${mg.url}/e/${name}/c`);
    expect(res.status).toBe(429);
    expect(await res.json()).toEqual({ error: { code: 'injected_fault', message: 'status 429 injected by a chaos rule' } });
    const never = await endpointWith(chaosRule({ errorStatus: { status: 429, probability: 0 } }));
    const ok = await timed(`${mg.url}/e/${never}/c`);
    expect(ok).toMatchObject({ status: 200, body: 'hello, chaos' });
  });

  it('socketFault: connection_reset and empty_reply from a raw socket', async () => {
    const reset = await rawGet(mg.url, `/e/${await endpointWith(chaosRule({ socketFault: { fault: 'connection_reset' } }))}/c`);
    expect(reset).toMatchObject({ error: 'ECONNRESET' });
    expect(reset.bytes.length).toBe(0);
    const empty = await rawGet(mg.url, `/e/${await endpointWith(chaosRule({ socketFault: { fault: 'empty_reply' } }))}/c`);
    expect(empty.error).toBeUndefined();
    expect(empty.bytes.length).toBe(0);
  });

  it('the journal notes what chaos did; nothing when nothing fired', async () => {
    const name = await endpointWith(chaosRule({ latency: { fixed: 20 }, truncate: { bytes: 3 } }));
    await rawGet(mg.url, `/e/${name}/c`);
    const [entry] = await journalNotes(name);
    expect(entry).toMatchObject({ status: 200, chaos: { latencyMs: 20, truncateBytes: 3 } });
    const calm = await endpointWith(chaosRule({ errorStatus: { status: 500, probability: 0 } }));
    await timed(`${mg.url}/e/${calm}/c`);
    const [plain] = await journalNotes(calm);
    expect(plain.chaos).toBeUndefined();
  });
});

describe('mock action chaos: rule writes', () => {
  it('refuses min above max at /action/chaos, an unknown fault and an unknown part', async () => {
    const minMax = await mg.api.post('/api/v2/endpoints/mockchaosbad/rules', chaosRule({ latency: { min: 50, max: 10 } }));
    expect(minMax.status).toBe(400);
    expect(minMax.body.error).toMatchObject({ code: 'validation_error', parameter: '/action/chaos' });
    expect(minMax.body.error.message).toMatch(/latency\.min must not exceed latency\.max/);
    const fault = await mg.api.post('/api/v2/endpoints/mockchaosbad/rules', chaosRule({ socketFault: { fault: 'meteor_strike' } }));
    expect(fault.status).toBe(400);
    expect(fault.body.error).toMatchObject({ code: 'validation_error', parameter: '/action/chaos/socketFault/fault' });
    const unknown = await mg.api.post('/api/v2/endpoints/mockchaosbad/rules', chaosRule({ jitter: 5 }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'validation_error' });
    expect((await mg.api.get('/api/v2/endpoints/mockchaosbad/rules')).body.data).toEqual([]);
  });
});
