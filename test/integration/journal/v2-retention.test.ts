// v2 history retention: by count (config journalMaxEntries, per-endpoint settings.journal.maxEntries), oldest purged first;
// by age (journalRetentionDays) with an injected clock: purgeExpired(), and the purge at start.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

const DAY = 86_400_000;

async function hit(mg: RunningMockgate, endpoint: string, path: string, init: RequestInit = {}): Promise<void> {
  const res = await fetch(`${mg.url}/e/${endpoint}${path}`, init);
  await res.arrayBuffer();
}

async function paths(mg: RunningMockgate, endpoint: string): Promise<string[]> {
  const res = await mg.api.get(`/api/v2/endpoints/${endpoint}/requests?limit=100`);
  expect(res.status).toBe(200);
  return res.body.data.map((e: { path: string }) => e.path);
}

async function upload(mg: RunningMockgate, endpoint: string, path: string): Promise<void> {
  const form = new FormData();
  form.append('f', new Blob([randomBytes(100)]), 'f.bin');
  await hit(mg, endpoint, path, { method: 'POST', body: form });
}

describe('retention by count', () => {
  let mg: RunningMockgate;
  beforeAll(async () => {
    mg = await startMockgate({ config: { journalMaxEntries: 5 } });
  });
  afterAll(() => mg.close());

  it('config journalMaxEntries: 5 keeps the 5 newest of 8', async () => {
    for (let i = 0; i < 8; i++) await hit(mg, 'cnt-global', `/r/${i}`);
    expect(await paths(mg, 'cnt-global')).toEqual(['/r/7', '/r/6', '/r/5', '/r/4', '/r/3']);
    expect((await mg.api.get('/api/v2/endpoints/cnt-global/requests/count')).body.count).toBe(5);
  });

  it('across batches the oldest go first', async () => {
    for (let i = 0; i < 4; i++) await hit(mg, 'cnt-batches', `/a/${i}`);
    expect(await paths(mg, 'cnt-batches')).toEqual(['/a/3', '/a/2', '/a/1', '/a/0']);
    for (let i = 0; i < 3; i++) {
      await hit(mg, 'cnt-batches', `/b/${i}`);
      await paths(mg, 'cnt-batches'); // one write per request
    }
    expect(await paths(mg, 'cnt-batches')).toEqual(['/b/2', '/b/1', '/b/0', '/a/3', '/a/2']);
  });

  it('settings.journal.maxEntries: 3 overrides it for that endpoint only', async () => {
    const res = await mg.api.patch('/api/v2/endpoints/cnt-local/settings', { journal: { maxEntries: 3 } });
    expect(res.status).toBe(200);
    for (let i = 0; i < 6; i++) await hit(mg, 'cnt-local', `/r/${i}`);
    expect(await paths(mg, 'cnt-local')).toEqual(['/r/5', '/r/4', '/r/3']);
    for (let i = 0; i < 2; i++) await hit(mg, 'cnt-local', `/s/${i}`);
    expect(await paths(mg, 'cnt-local')).toEqual(['/s/1', '/s/0', '/r/5']);
  });

  it('a per-endpoint limit can also be higher than the server’s', async () => {
    await mg.api.patch('/api/v2/endpoints/cnt-high/settings', { journal: { maxEntries: 8 } });
    for (let i = 0; i < 10; i++) await hit(mg, 'cnt-high', `/r/${i}`);
    expect(await paths(mg, 'cnt-high')).toEqual(['/r/9', '/r/8', '/r/7', '/r/6', '/r/5', '/r/4', '/r/3', '/r/2']);
  });

  it('one endpoint filling up purges nothing of another', async () => {
    await hit(mg, 'cnt-quiet', '/only');
    for (let i = 0; i < 12; i++) await hit(mg, 'cnt-busy', `/r/${i}`);
    expect(await paths(mg, 'cnt-quiet')).toEqual(['/only']);
    expect(await paths(mg, 'cnt-busy')).toHaveLength(5);
  });

  it('a purged entry takes its uploaded files with it', async () => {
    await upload(mg, 'cnt-files', '/up');
    const [entry] = (await mg.api.get('/api/v2/endpoints/cnt-files/requests')).body.data;
    const dl = `/api/v2/endpoints/cnt-files/requests/${entry.id}/multipart/download?fieldName=f&component=Request`;
    expect((await mg.api.get(dl)).status).toBe(200);
    for (let i = 0; i < 5; i++) await hit(mg, 'cnt-files', `/r/${i}`);
    expect(await paths(mg, 'cnt-files')).not.toContain('/up');
    expect((await mg.api.get(dl)).status).toBe(404);
    expect((await mg.api.get(`/api/v2/endpoints/cnt-files/requests/${entry.id}`)).status).toBe(404);
  });
});

describe('retention by age (default 10 days, injected clock)', () => {
  let mg: RunningMockgate;
  const T = Date.now();
  let t = T;
  beforeAll(async () => {
    mg = await startMockgate({ now: () => t });
  });
  afterAll(() => mg.close());

  it('entries are dated by the clock', async () => {
    await hit(mg, 'age', '/day0/a');
    const [e] = (await mg.api.get('/api/v2/endpoints/age/requests')).body.data;
    expect(e.date).toBe(new Date(T).toISOString());
  });

  it('11-day-old entries are purged, 9-day-old ones kept', async () => {
    await hit(mg, 'age', '/day0/b');
    await upload(mg, 'age', '/day0/upload');
    t = T + 2 * DAY;
    await hit(mg, 'age', '/day2/a');
    await hit(mg, 'age-other', '/day2/other');
    await upload(mg, 'age', '/day2/upload');
    expect(await paths(mg, 'age')).toEqual(['/day2/upload', '/day2/a', '/day0/upload', '/day0/b', '/day0/a']);
    const ids = Object.fromEntries((await mg.api.get('/api/v2/endpoints/age/requests')).body.data.map((e: any) => [e.path, e.id]));

    t = T + 11 * DAY;
    await mg.mockgate.journal.purgeExpired();
    expect(await paths(mg, 'age')).toEqual(['/day2/upload', '/day2/a']);
    expect(await paths(mg, 'age-other')).toEqual(['/day2/other']);
    const download = (id: string) => mg.api.get(`/api/v2/endpoints/age/requests/${id}/multipart/download?fieldName=f&component=Request`);
    expect((await download(ids['/day0/upload'])).status).toBe(404);
    expect((await download(ids['/day2/upload'])).status).toBe(200);
  });

  it('requests arriving now are kept; the next purge takes what has grown old', async () => {
    await hit(mg, 'age', '/day11');
    await mg.mockgate.journal.purgeExpired();
    expect(await paths(mg, 'age')).toEqual(['/day11', '/day2/upload', '/day2/a']);
    t = T + 12 * DAY + 1;
    await mg.mockgate.journal.purgeExpired();
    expect(await paths(mg, 'age')).toEqual(['/day11']);
    expect(await paths(mg, 'age-other')).toEqual([]);
  });

  it('exactly 10 days old is kept; a millisecond more is not', async () => {
    const start = t;
    await hit(mg, 'age-edge', '/edge');
    t = start + 10 * DAY;
    await mg.mockgate.journal.purgeExpired();
    expect(await paths(mg, 'age-edge')).toEqual(['/edge']);
    t = start + 10 * DAY + 1;
    await mg.mockgate.journal.purgeExpired();
    expect(await paths(mg, 'age-edge')).toEqual([]);
  });
});

describe('retention by age: configured days and the purge at start', () => {
  it('journalRetentionDays: 1, and a restart later purges at start without being asked', async () => {
    const T = Date.now();
    let t = T;
    const first = await startMockgate({ now: () => t, config: { journalRetentionDays: 1 } });
    const { dataDir } = first;
    try {
      await hit(first, 'cfg', '/old');
      t = T + 2 * 3_600_000;
      await hit(first, 'cfg', '/newer');
      t = T + 25 * 3_600_000;
      expect(await paths(first, 'cfg')).toEqual(['/newer', '/old']);
      await first.mockgate.journal.purgeExpired();
      expect(await paths(first, 'cfg')).toEqual(['/newer']);
    } finally {
      await first.close({ removeData: false });
    }
    // 30 h after /newer: past the day
    t = T + 32 * 3_600_000;
    const second = await startMockgate({ now: () => t, dataDir, config: { journalRetentionDays: 1 } });
    try {
      expect(await paths(second, 'cfg')).toEqual([]);
    } finally {
      await second.close();
    }
  });
});
