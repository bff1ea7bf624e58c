// v2 history across a restart: entries (verbose, identical), uploaded files, order and cursors survive; entries still
// queued when the server closes are written, not lost.
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mockRule, startMockgate } from '../../helpers/start-mockgate.js';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('restart', () => {
  it('keeps every entry, its files and the order; new entries come first', async () => {
    const first = await startMockgate();
    const { dataDir } = first;
    const file = randomBytes(20_000);
    let before: any[];
    let uploadId: string;
    try {
      await first.api.post('/api/v2/endpoints/keep/rules', mockRule({ type: 'path', operator: 'equals', value: '/hit' }, { status: 201, body: 'hit' }));
      for (let i = 0; i < 30; i++) await (await fetch(`${first.url}/e/keep/hit?i=${i}`)).text();
      const form = new FormData();
      form.append('doc', new Blob([file], { type: 'application/pdf' }), 'Ünïcødé.pdf');
      await (await fetch(`${first.url}/e/keep/up`, { method: 'POST', body: form })).text();
      await (await fetch(`${first.url}/e/keep-too/x`)).text();
      before = (await first.api.get('/api/v2/endpoints/keep/requests?limit=100&mode=verbose')).body.data;
      expect(before).toHaveLength(31);
      uploadId = before[0].id;
    } finally {
      await first.close({ removeData: false });
    }

    const second = await startMockgate({ dataDir });
    try {
      expect((await second.api.get('/api/v2/endpoints/keep/requests?limit=100&mode=verbose')).body.data).toEqual(before);
      expect((await second.api.get('/api/v2/endpoints/keep-too/requests/count')).body.count).toBe(1);
      expect((await second.api.get(`/api/v2/endpoints/keep/requests/${before[5].id}`)).body).toEqual(before[5]);

      const dl = await fetch(`${second.url}/api/v2/endpoints/keep/requests/${uploadId}/multipart/download?fieldName=doc&component=Request`);
      expect(dl.status).toBe(200);
      expect(dl.headers.get('content-type')).toBe('application/pdf');
      expect(sha256(Buffer.from(await dl.arrayBuffer()))).toBe(sha256(file));

      // filters work on the reloaded entries
      expect((await second.api.get('/api/v2/endpoints/keep/requests/count?status=201&ruleMatched=true')).body.count).toBe(30);
      expect((await second.api.get('/api/v2/endpoints/keep/requests/count?requestBody=Ünïcødé')).body.count).toBe(1);

      // new traffic goes on top; a cursor walk covers old and new without a gap
      await (await fetch(`${second.url}/e/keep/hit?i=new`)).text();
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = (await second.api.get(`/api/v2/endpoints/keep/requests?limit=7${cursor ? `&cursor=${cursor}` : ''}`)).body;
        seen.push(...page.data.map((e: any) => e.id));
        cursor = page.pagination.cursor;
      } while (cursor);
      expect(seen).toHaveLength(32);
      expect(seen.slice(1)).toEqual(before.map((e) => e.id));
    } finally {
      await second.close();
    }
  });

  it('entries still queued at close are written before the store closes', async () => {
    const first = await startMockgate();
    const { dataDir } = first;
    try {
      // no management read in between: these are only in the queue when close() begins
      await Promise.all(Array.from({ length: 20 }, (_, i) => fetch(`${first.url}/e/queued/q/${i}`).then((r) => r.text())));
    } finally {
      await first.close({ removeData: false });
    }
    const second = await startMockgate({ dataDir });
    try {
      const paths = (await second.api.get('/api/v2/endpoints/queued/requests?limit=100')).body.data.map((e: any) => e.path);
      expect(paths.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `/q/${i}`).sort());
    } finally {
      await second.close();
    }
  });
});
