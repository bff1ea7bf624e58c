// Journaling stays off the response path: responses arrive while their entries are only queued (the live feed already has
// them), a management read writes the queue first so answered requests are always visible, and a full batch writes itself.
import { request } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
let db: Database.Database;
/** Entries on disk, read through a connection of our own: what the writer has stored, not what the API says. */
const stored = (): number => (db.prepare('SELECT count(*) AS n FROM journal').get() as { n: number }).n;

beforeAll(async () => {
  mg = await startMockgate();
  // White-box, test only: stretch the flush timer so that only a read (or a full batch) writes the queue — then
  // "answered before written" is certain, not a race against the timer.
  (mg.mockgate.journal as unknown as { options: { flushIntervalMs?: number } }).options.flushIntervalMs = 10 * 60_000;
  db = new Database(join(mg.dataDir, 'mockgate.db'), { readonly: true });
  await mg.api.post('/api/v2/endpoints/lat/rules', mockRule({ type: 'path', operator: 'starts_with', value: '/' }, { body: 'ok' }));
});
afterAll(async () => {
  db.close();
  await mg.close();
});


describe('recording does not delay responses', () => {
  it('responses arrive while nothing has been written; the next read makes all of them visible', async () => {
    const before = stored();
    const started = performance.now();
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${mg.url}/e/lat/r/${i}`, { method: 'POST', body: 'x'.repeat(10_000) });
      expect(await res.text()).toBe('ok');
    }
    // generous: the point is that no response waited for a write (which, here, would never come by itself)
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(stored()).toBe(before);

    const list = await mg.api.get('/api/v2/endpoints/lat/requests?limit=100');
    expect(list.body.data).toHaveLength(20);
    expect(list.body.data[0].path).toBe('/r/19');
    expect(stored()).toBe(before + 20);
  });

  it('the live feed has the entry as soon as the response is sent, before any write', async () => {
    const before = stored();
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
      expect(stored()).toBe(before);
      expect((await mg.api.get('/api/v2/endpoints/lat-live/requests/count')).body.count).toBe(1);
      expect(stored()).toBe(before + 1);
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
      const before = stored();
      await (await fetch(`${mg.url}/e/lat-r/x`)).text();
      expect(stored(), name).toBe(before);
      await read();
      // the delete removes the entry it just made visible
      expect(stored(), name).toBe(name === 'delete' ? before : before + 1);
    }
    // by id: even for an id that is not there, the queue is written first
    const before = stored();
    await (await fetch(`${mg.url}/e/lat-r/y`)).text();
    const missing = await mg.api.get('/api/v2/endpoints/lat-r/requests/nosuchid000');
    expect(missing.status).toBe(404);
    expect(stored()).toBe(before + 1);
  });

  it('a full batch writes itself without any read (the queue is bounded), the rest on the next read', async () => {
    const before = stored();
    const total = 1000;
    let next = 0;
    await Promise.all(Array.from({ length: 25 }, async () => {
      while (next < total) {
        const i = next++;
        await (await fetch(`${mg.url}/e/lat-batch/b/${i}`)).text();
      }
    }));
    for (let i = 0; i < 100 && stored() === before; i++) await new Promise((r) => setTimeout(r, 20));
    // whatever the batch size (at most 1000), full batches were written without a read
    expect(stored()).toBeGreaterThan(before);
    expect(stored()).toBeLessThanOrEqual(before + total);
    expect((await mg.api.get('/api/v2/endpoints/lat-batch/requests/count')).body.count).toBe(total);
    expect(stored()).toBe(before + total);
  });
});
