// `settings.proxy.chaos`: chaos on what the proxy step relays from a real upstream — an injected error or a socket
// fault instead of forwarding, latency before it, the target's answer throttled or cut short on its way back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import { startUpstream, type Upstream } from '../proxy/upstream.js';
import { rawGet, split } from './raw.js';

const BIG = 'y'.repeat(990) + 'abcdefghij';
const CHUNK = 'z'.repeat(1000);

let mg: RunningMockgate;
let up: Upstream;
beforeAll(async () => {
  mg = await startMockgate();
  up = await startUpstream((req, res, seen) => {
    if (req.url === '/big') return void res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 1000, 'x-upstream': 'yes' }).end(BIG);
    if (req.url === '/chunked') {
      res.writeHead(200, { 'content-type': 'text/plain', 'x-upstream': 'yes' });
      res.write(CHUNK);
      setTimeout(() => res.write(CHUNK), 20);
      return void setTimeout(() => res.end(CHUNK), 40);
    }
    res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': 'yes' });
    res.end(JSON.stringify({ method: seen.method, url: seen.url }));
  });
});
afterAll(async () => {
  await mg.close();
  await up.close();
});

let n = 0;
async function proxiedWith(chaos: object | null, name = `proxychaos${++n}`): Promise<string> {
  const res = await mg.api.patch(`/api/v2/endpoints/${name}/settings`, { proxy: { targetUrl: up.url, chaos } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return name;
}
const reached = (url: string): number => up.seen.filter((s) => s.url === url).length;

async function newestEntry(name: string): Promise<any> {
  const list = await mg.api.get(`/api/v2/endpoints/${name}/requests?limit=1`);
  return (await mg.api.get(`/api/v2/endpoints/${name}/requests/${list.body.data[0].id}`)).body;
}

describe('settings.proxy.chaos', () => {
  it('is absent by default, kept when set, removed by null; refused when invalid', async () => {
    expect((await mg.api.get('/api/v2/endpoints/proxychaosset/settings')).body.proxy).toEqual({ targetUrl: '', ignoreSSLErrors: false });
    const chaos = { seed: 3, latency: { min: 1, max: 2 }, errorStatus: { status: 502, probability: 10 } };
    await proxiedWith(chaos, 'proxychaosset');
    expect((await mg.api.get('/api/v2/endpoints/proxychaosset/settings')).body.proxy).toEqual({ targetUrl: up.url, ignoreSSLErrors: false, chaos });
    await proxiedWith(null, 'proxychaosset');
    expect((await mg.api.get('/api/v2/endpoints/proxychaosset/settings')).body.proxy).toEqual({ targetUrl: up.url, ignoreSSLErrors: false });
    const minMax = await mg.api.patch('/api/v2/endpoints/proxychaosset/settings', { proxy: { chaos: { latency: { min: 5, max: 1 } } } });
    expect(minMax.status).toBe(400);
    expect(minMax.body.error).toMatchObject({ code: 'validation_error', parameter: '/proxy/chaos' });
    const fault = await mg.api.patch('/api/v2/endpoints/proxychaosset/settings', { proxy: { chaos: { socketFault: { fault: 'nope' } } } });
    expect(fault.status).toBe(400);
    expect(fault.body.error.code).toBe('validation_error');
    expect((await mg.api.get('/api/v2/endpoints/proxychaosset/settings')).body.proxy).toEqual({ targetUrl: up.url, ignoreSSLErrors: false });
  });

  it('errorStatus: the injected error instead of forwarding; the journal notes proxy and chaos', async () => {
    const name = await proxiedWith({ errorStatus: { status: 503 } });
    const res = await fetch(`${mg.url}/e/${name}/not-forwarded`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: { code: 'injected_fault', message: 'status 503 injected by a chaos rule' } });
    expect(reached('/not-forwarded')).toBe(0);
    expect(await newestEntry(name)).toMatchObject({ behavior: 'proxy', status: 503, chaos: { latencyMs: 0, errorStatus: 503 } });
  });

  it('socketFault connection_reset: ECONNRESET, the target is not asked', async () => {
    const name = await proxiedWith({ socketFault: { fault: 'connection_reset' } });
    const answer = await rawGet(mg.url, `/e/${name}/reset`);
    expect(answer.error).toBe('ECONNRESET');
    expect(answer.bytes.length).toBe(0);
    expect(reached('/reset')).toBe(0);
  });

  it("latency: the target's answer, after the latency", async () => {
    const name = await proxiedWith({ latency: { fixed: 150 } });
    const started = performance.now();
    const res = await fetch(`${mg.url}/e/${name}/late`);
    expect(await res.json()).toEqual({ method: 'GET', url: '/late' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(148);
    expect(res.headers.get('x-upstream')).toBe('yes');
  });

  it("slowBody 2000 B/s: the target's 1000-byte body takes about 0.5 s and arrives whole", async () => {
    const name = await proxiedWith({ slowBody: { bytesPerSecond: 2000 } });
    const answer = await rawGet(mg.url, `/e/${name}/big`);
    expect(answer.error).toBeUndefined();
    const { head, body } = split(answer.bytes);
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(head).toMatch(/\r\nx-upstream: yes\r\n/);
    expect(head).toMatch(/\r\ncontent-length: 1000(\r\n|$)/i);
    expect(body.toString()).toBe(BIG);
    expect(answer.closedMs).toBeGreaterThanOrEqual(450);
    expect(answer.closedMs).toBeLessThan(900);
    const first = answer.chunks[0]!;
    const last = answer.chunks[answer.chunks.length - 1]!;
    const rate = (answer.bytes.length - first.length) / ((last.ms - first.ms) / 1000);
    expect(rate).toBeGreaterThan(1500);
    expect(rate).toBeLessThan(2700);
    expect(await newestEntry(name)).toMatchObject({ behavior: 'proxy', status: 200, chaos: { latencyMs: 0, bytesPerSecond: 2000 } });
  });

  it('slowBody on a chunked answer: re-framed, complete, readable by fetch, kept by the journal', async () => {
    const name = await proxiedWith({ slowBody: { bytesPerSecond: 10_000 } });
    const started = performance.now();
    const res = await fetch(`${mg.url}/e/${name}/chunked`);
    expect(await res.text()).toBe(CHUNK.repeat(3));
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    const entry = await newestEntry(name);
    expect(entry).toMatchObject({ status: 200, behavior: 'proxy', chaos: { bytesPerSecond: 10_000 } });
    expect(entry.response.body).toBe(CHUNK.repeat(3));
    expect(entry.response.headers).toMatchObject({ 'x-upstream': 'yes', 'content-type': 'text/plain' });
  });

  it('truncate 10: the headers promise 1000 bytes, 10 come, the connection closes; fetch rejects', async () => {
    const name = await proxiedWith({ truncate: { bytes: 10 } });
    const answer = await rawGet(mg.url, `/e/${name}/big`);
    const { head, body } = split(answer.bytes);
    expect(head).toMatch(/\r\ncontent-length: 1000(\r\n|$)/i);
    expect(body.toString()).toBe('yyyyyyyyyy');
    await expect(fetch(`${mg.url}/e/${name}/big`).then((res) => res.text())).rejects.toThrow();
    // a chunked answer cut short is broken too
    await expect(fetch(`${mg.url}/e/${name}/chunked`).then((res) => res.text())).rejects.toThrow();
    // an answer within the limit is relayed whole
    const whole = await proxiedWith({ truncate: { bytes: 1000 } });
    const res = await fetch(`${mg.url}/e/${whole}/big`);
    expect(await res.text()).toBe(BIG);
  });

  it('throttled and cut at once', async () => {
    const name = await proxiedWith({ slowBody: { bytesPerSecond: 100 }, truncate: { bytes: 25 } });
    const answer = await rawGet(mg.url, `/e/${name}/big`);
    expect(split(answer.bytes).body.toString()).toBe('y'.repeat(25));
    expect(answer.closedMs).toBeGreaterThanOrEqual(280);
    expect(answer.closedMs).toBeLessThan(800);
  });

  it('a seed replays the same sequence after each settings write', async () => {
    const chaos = { seed: 11, errorStatus: { status: 500, probability: 50 } };
    const name = await proxiedWith(chaos);
    const run = async (): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i < 30; i++) {
        const res = await fetch(`${mg.url}/e/${name}/seq`);
        await res.arrayBuffer();
        out.push(res.status);
      }
      return out;
    };
    const first = await run();
    expect(new Set(first)).toEqual(new Set([200, 500]));
    await proxiedWith(chaos, name);
    expect(await run()).toEqual(first);
  });
});
