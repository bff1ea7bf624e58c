// Journaling stays off the response path: responses arrive while their entries are only queued (the live feed already has
// them), a management read writes the queue first so answered requests are always visible, and a full batch writes itself.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
/** Row counts of each batch the journal wrote to the store. */
const writes: number[] = [];

beforeAll(async () => {
  mg = await startMockgate();
  // White-box, test only: watch the store writes, and stretch the flush timer so that only a read (or a full batch)
  // writes the queue — then "answered before written" is certain, not a race against a 100 ms timer.
  const internals = mg.mockgate.journal as unknown as {
    options: { flushIntervalMs?: number; store: { insert(entries: readonly unknown[]): void } };
  };
  internals.options.flushIntervalMs = 10 * 60_000;
  const { store } = internals.options;
  const insert = store.insert.bind(store);
  store.insert = (entries) => {
    writes.push(entries.length);
    insert(entries);
  };
  await mg.api.post('/api/v2/endpoints/lat/rules', mockRule({ type: 'path', operator: 'starts_with', value: '/' }, { body: 'ok' }));
});
afterAll(() => mg.close());

describe('recording does not delay responses', () => {
  it('responses arrive while nothing has been written; the next read makes all of them visible', async () => {
    writes.length = 0;
    const started = performance.now();
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${mg.url}/e/lat/r/${i}`, { method: 'POST', body: 'x'.repeat(10_000) });
      expect(await res.text()).toBe('ok');
    }
    // generous: the point is that no response waited for a write (which, here, would never come by itself)
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(writes).toEqual([]);

    const list = await mg.api.get('/api/v2/endpoints/lat/requests?limit=100');
    expect(list.body.data).toHaveLength(20);
    expect(list.body.data[0].path).toBe('/r/19');
    expect(writes).toEqual([20]);
  });

  it('the live feed has the entry as soon as the response is sent, before any write', async () => {
    writes.length = 0;
    const events: string[] = [];
    const stream = await new Promise<import('node:http').ClientRequest>((resolve, reject) => {
      const req = request(`${mg.url}/api/v2/endpoints/lat-live/requests/stream`, (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          for (const m of chunk.matchAll(/^data: (.*)$/gm)) events.push(JSON.parse(m[1]!).path);
        });
        resolve(req);
      });
      req.on('error', reject);
      req.end();
    });
    try {
      expect(await (await fetch(`${mg.url}/e/lat-live/now`)).text()).toMatch(/no rule/);
      for (let i = 0; i < 100 && events.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(events).toEqual(['/now']);
      expect(writes).toEqual([]);
      expect((await mg.api.get('/api/v2/endpoints/lat-live/requests/count')).body.count).toBe(1);
      expect(writes).toEqual([1]);
    } finally {
      stream.destroy();
    }
  });

  it('every kind of management read writes the queue first', async () => {
    const reads: Array<[string, () => Promise<unknown>]> = [
      ['list', async () => expect((await mg.api.get('/api/v2/endpoints/lat-r/requests')).body.data).toHaveLength(1)],
      ['count', async () => expect((await mg.api.get('/api/v2/endpoints/lat-r/requests/count')).body.count).toBe(1)],
      ['delete', async () => expect((await mg.api.delete('/api/v2/endpoints/lat-r/requests')).body.count).toBe(1)],
    ];
    for (const [name, read] of reads) {
      await mg.api.delete('/api/v2/endpoints/lat-r/requests');
      writes.length = 0;
      await (await fetch(`${mg.url}/e/lat-r/x`)).text();
      expect(writes, name).toEqual([]);
      await read();
      expect(writes, name).toEqual([1]);
    }
    // by id: even for an id that is not there, the queue is written first
    writes.length = 0;
    await (await fetch(`${mg.url}/e/lat-r/y`)).text();
    const missing = await mg.api.get('/api/v2/endpoints/lat-r/requests/nosuchid000');
    expect(missing.status).toBe(404);
    expect(writes).toEqual([1]);
  });

  it('a full batch writes itself without any read (the queue is bounded), the rest on the next read', async () => {
    writes.length = 0;
    const total = 1000;
    let next = 0;
    await Promise.all(Array.from({ length: 25 }, async () => {
      while (next < total) {
        const i = next++;
        await (await fetch(`${mg.url}/e/lat-batch/b/${i}`)).text();
      }
    }));
    for (let i = 0; i < 100 && writes.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    // whatever the batch size (at most 1000), full batches were written, all of the same size
    expect(writes.length).toBeGreaterThan(0);
    expect(new Set(writes).size).toBe(1);
    expect(writes[0]! * writes.length).toBeLessThanOrEqual(total);
    expect((await mg.api.get('/api/v2/endpoints/lat-batch/requests/count')).body.count).toBe(total);
    expect(writes.reduce((a, b) => a + b, 0)).toBe(total);
  });
});
