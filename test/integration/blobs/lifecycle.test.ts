// A blob's life: listed with the rules using it, deleted when no rule uses it any more (or by hand), swept when no
// rule ever used it, gone with its endpoint, kept across restarts.
import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import { binary, blobRule, serveBlob, sha256, upload } from './blob-client.js';

const DAY = 24 * 60 * 60 * 1000;
let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(() => mg.close());

const fileOf = (m: RunningMockgate, endpoint: string, blobPath: string): string => join(m.dataDir, 'blobs', endpoint, blobPath);
const listed = async (m: RunningMockgate, endpoint: string): Promise<Array<{ blobPath: string; usedBy: string[] }>> =>
  (await m.api.get(`/api/v2/endpoints/${endpoint}/blobs`)).body.data;

describe('blob list and delete', () => {
  it('lists each blob with its type, size, digest, date and the rules using it', async () => {
    const bytes = Buffer.from('{"hello":"blob"}');
    const { blobPath, ruleId } = await serveBlob(mg, 'l1', '/a', bytes, 'a.json');
    const second = await mg.api.post('/api/v2/endpoints/l1/rules', blobRule('/b', blobPath));
    const unused = (await upload(mg, 'l1', Buffer.from('spare'), 'spare.txt')).body.blobPath;
    const res = await mg.api.get('/api/v2/endpoints/l1/blobs');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      { blobPath, contentType: 'application/json', size: bytes.length, sha256: sha256(bytes), createdAt: expect.any(String), usedBy: [ruleId, second.body.id] },
      { blobPath: unused, contentType: 'text/plain', size: 5, sha256: sha256(Buffer.from('spare')), createdAt: expect.any(String), usedBy: [] },
    ]);
    expect(Date.parse(res.body.data[0].createdAt)).toBeGreaterThan(Date.now() - 60_000);
    expect((await mg.api.get('/api/v2/endpoints/never-made/blobs')).body).toEqual({ data: [] });
  });

  it('DELETE removes an unused blob (row and file); 409 while a rule uses it; 404 when unknown', async () => {
    const { blobPath, ruleId } = await serveBlob(mg, 'l2', '/a', Buffer.from('used'), 'u.txt');
    const spare = (await upload(mg, 'l2', Buffer.from('spare'), 's.txt')).body.blobPath;
    const conflict = await mg.api.delete(`/api/v2/endpoints/l2/blobs/${blobPath}`);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('conflict');
    expect(conflict.body.error.message).toContain(ruleId);
    expect(existsSync(fileOf(mg, 'l2', blobPath))).toBe(true);

    expect(await mg.api.delete(`/api/v2/endpoints/l2/blobs/${spare}`)).toMatchObject({ status: 200, body: { data: { deleted: true } } });
    expect(existsSync(fileOf(mg, 'l2', spare))).toBe(false);
    const again = await mg.api.delete(`/api/v2/endpoints/l2/blobs/${spare}`);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('not_found');
    expect((await listed(mg, 'l2')).map((b) => b.blobPath)).toEqual([blobPath]);
  });
});

describe('blob cleanup', () => {
  it('deleting the rule (v2) deletes the blob it served: row and file', async () => {
    const { blobPath, ruleId } = await serveBlob(mg, 'c1', '/a', Buffer.from('bye'), 'b.txt');
    expect((await mg.api.delete(`/api/v2/endpoints/c1/rules/${ruleId}`)).status).toBe(200);
    expect(existsSync(fileOf(mg, 'c1', blobPath))).toBe(false);
    expect(await listed(mg, 'c1')).toEqual([]);
  });

  it('a blob two rules share stays until the last of them goes; DELETE all rules and v1 deletes count too', async () => {
    const { blobPath, ruleId } = await serveBlob(mg, 'c2', '/a', Buffer.from('shared'), 's.txt');
    const other = (await mg.api.post('/api/v2/endpoints/c2/rules', blobRule('/b', blobPath))).body.id;
    await mg.api.delete(`/api/v2/endpoints/c2/rules/${ruleId}`);
    expect(existsSync(fileOf(mg, 'c2', blobPath))).toBe(true);
    expect((await listed(mg, 'c2'))[0]?.usedBy).toEqual([other]);
    await mg.api.delete('/api/v1/endpoints/c2/rules');
    expect(existsSync(fileOf(mg, 'c2', blobPath))).toBe(false);

    const v1 = await serveBlob(mg, 'c3', '/a', Buffer.from('v1'), 'v.txt');
    expect((await mg.api.delete(`/api/v1/endpoints/c3/rules/${v1.ruleId}`)).status).toBe(200);
    expect(existsSync(fileOf(mg, 'c3', v1.blobPath))).toBe(false);
  });

  it('replacing the rule with one serving another blob deletes the first blob and keeps the second', async () => {
    const first = await serveBlob(mg, 'c4', '/a', Buffer.from('first'), 'one.txt');
    const second = (await upload(mg, 'c4', Buffer.from('second'), 'two.txt')).body.blobPath as string;
    const replaced = await mg.api.put(`/api/v2/endpoints/c4/rules/${first.ruleId}`, blobRule('/a', second));
    expect(replaced.status).toBe(200);
    expect(existsSync(fileOf(mg, 'c4', first.blobPath))).toBe(false);
    expect(existsSync(fileOf(mg, 'c4', second))).toBe(true);
    expect(await (await fetch(`${mg.url}/e/c4/a`)).text()).toBe('second');
    // a bulk replace that keeps using it keeps it
    expect((await mg.api.put('/api/v2/endpoints/c4/rules', { rules: [blobRule('/z', second)] })).status).toBe(200);
    expect(existsSync(fileOf(mg, 'c4', second))).toBe(true);
  });

  it('a refused rules write deletes nothing', async () => {
    const { blobPath } = await serveBlob(mg, 'c5', '/a', Buffer.from('kept'), 'k.txt');
    const refused = await mg.api.put('/api/v2/endpoints/c5/rules', { rules: [blobRule('/a', 'missing-blob')] });
    expect(refused.status).toBe(400);
    expect(existsSync(fileOf(mg, 'c5', blobPath))).toBe(true);
    expect(await (await fetch(`${mg.url}/e/c5/a`)).text()).toBe('kept');
  });

  it('deleting the endpoint removes its blob directory; an endpoint of that name made again starts empty', async () => {
    await serveBlob(mg, 'c6', '/a', Buffer.from('gone'), 'g.txt');
    await upload(mg, 'c6', Buffer.from('also gone'), 'h.txt');
    expect(readdirSync(join(mg.dataDir, 'blobs', 'c6'))).toHaveLength(2);
    expect((await mg.api.delete('/api/v2/endpoints/c6')).status).toBe(200);
    expect(existsSync(join(mg.dataDir, 'blobs', 'c6'))).toBe(false);
    expect(await listed(mg, 'c6')).toEqual([]);
    expect((await upload(mg, 'c6', Buffer.from('new'), 'n.txt')).status).toBe(201);
    expect(await listed(mg, 'c6')).toHaveLength(1);
  });
});

describe('blobs across restarts', () => {
  it('a restart keeps serving blobs; one no rule uses survives within its grace period', async () => {
    const first = await startMockgate();
    const bytes = binary(300_000);
    const { blobPath } = await serveBlob(first, 'keep', '/k', bytes, 'k.bin');
    const spare = (await upload(first, 'keep', Buffer.from('spare'), 's.txt')).body.blobPath as string;
    await first.close({ removeData: false });
    const second = await startMockgate({ dataDir: first.dataDir });
    try {
      const res = await fetch(`${second.url}/e/keep/k`);
      expect(res.headers.get('content-length')).toBe(String(bytes.length));
      expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(sha256(bytes));
      expect((await listed(second, 'keep')).map((b) => b.blobPath)).toEqual([blobPath, spare]);
    } finally {
      await second.close();
    }
  });

  it('the start-up sweep removes blobs no rule used for a day, and stray files, but not blobs in use or new ones', async () => {
    const first = await startMockgate();
    const used = await serveBlob(first, 'sweep', '/u', Buffer.from('in use'), 'u.txt');
    const stale = (await upload(first, 'sweep', Buffer.from('stale'), 's.txt')).body.blobPath as string;
    await first.close({ removeData: false });
    // a temporary file a crash left mid-upload, two days old
    const stray = join(first.dataDir, 'blobs', 'sweep', '.upload-crashed');
    writeFileSync(stray, 'partial');
    utimesSync(stray, new Date(Date.now() - 2 * DAY), new Date(Date.now() - 2 * DAY));

    const later = Date.now() + DAY + 60_000;
    const second = await startMockgate({ dataDir: first.dataDir, now: () => later });
    try {
      expect(existsSync(fileOf(second, 'sweep', stale))).toBe(false);
      expect(existsSync(stray)).toBe(false);
      const fresh = (await upload(second, 'sweep', Buffer.from('fresh'), 'f.txt')).body.blobPath as string;
      expect((await listed(second, 'sweep')).map((b) => b.blobPath)).toEqual([used.blobPath, fresh]);
      expect(await (await fetch(`${second.url}/e/sweep/u`)).text()).toBe('in use');
    } finally {
      await second.close();
    }
  });
});
