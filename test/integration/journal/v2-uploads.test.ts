// Uploads the journal must not lose or garble: a body over the cap is kept as a prefix; an upload the client abandons
// once it has its answer is still journaled promptly.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate({ config: { maxBodyBytes: 100 } });
});
afterAll(() => mg.close());

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('uploads', () => {
  it('keeps a prefix of a body over the cap, never a splice of later chunks', async () => {
    const { port } = new URL(mg.url);
    // the server answers before the body is complete (no rule reads it): wait for both
    await new Promise<void>((resolve, reject) => {
      let pending = 2;
      const settle = () => --pending === 0 && resolve();
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/e/splice/x', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume().on('end', settle);
      });
      req.on('error', reject);
      void (async () => {
        for (const [ch, n] of [['A', 60], ['B', 60], ['C', 30]] as const) {
          req.write(ch.repeat(n));
          await pause(50);
        }
        req.end(settle);
      })();
    });
    await pause(100);
    const [entry] = (await mg.api.get('/api/v2/endpoints/splice/requests?mode=verbose')).body.data;
    expect(entry.request.body).toBe(`${'A'.repeat(60)}${'B'.repeat(40)}`);
    expect(entry.request).toMatchObject({ size: 150, truncated: true });
  });

  it('journals a large upload promptly even when the client stops sending after the answer', async () => {
    const big = Buffer.alloc(8 * 1024 * 1024, 'x');
    const res = await fetch(`${mg.url}/e/abandon/upload`, { method: 'POST', body: big });
    expect(res.status).toBe(200);
    await res.text();
    let count = 0;
    for (let i = 0; i < 40 && count === 0; i++) {
      await pause(100);
      count = (await mg.api.get('/api/v2/endpoints/abandon/requests/count')).body.count;
    }
    expect(count).toBe(1);
    const [entry] = (await mg.api.get('/api/v2/endpoints/abandon/requests?mode=verbose')).body.data;
    expect(entry.request).toMatchObject({ size: big.length, truncated: true });
  });
});
