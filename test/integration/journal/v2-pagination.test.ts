// v2 history paging: cursor walks over 250 entries (limit 100 and 7) while new traffic keeps arriving — newest first,
// no duplicates, no gaps, exactly the entries older than the walk's first page; deletes between pages; limit bounds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
const SEEDED = 250;

async function hit(endpoint: string, path: string): Promise<void> {
  const res = await fetch(`${mg.url}/e/${endpoint}${path}`);
  expect(res.status).toBe(200);
  await res.text();
}

beforeAll(async () => {
  mg = await startMockgate();
  for (const endpoint of ['walk100', 'walk7', 'walkdel']) {
    await mg.api.post(`/api/v2/endpoints/${endpoint}/rules`, mockRule({ type: 'path', operator: 'starts_with', value: '/' }, { body: 'ok' }));
    // sequential, so the journal order is the send order
    for (let i = 0; i < SEEDED; i++) await hit(endpoint, `/seed/${i}`);
  }
});
afterAll(() => mg.close());

interface Page {
  data: Array<{ id: string; path: string; date: string }>;
  pagination: { cursor: string | null; hasMore: boolean; limit: number };
}

async function page(endpoint: string, limit: number, cursor: string | null): Promise<Page> {
  const res = await mg.api.get<Page>(`/api/v2/endpoints/${endpoint}/requests?limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** Walks every page; between the first page and the end, `concurrent` more requests per page race each page read. */
async function walkWhileTrafficArrives(endpoint: string, limit: number, concurrent: number): Promise<{ pages: Page[]; late: number }> {
  const pages = [await page(endpoint, limit, null)];
  let late = 0;
  while (pages[pages.length - 1]!.pagination.cursor !== null) {
    const cursor = pages[pages.length - 1]!.pagination.cursor;
    const sends = Array.from({ length: concurrent }, () => hit(endpoint, `/late/${late++}`));
    const [next] = await Promise.all([page(endpoint, limit, cursor), ...sends]);
    pages.push(next);
  }
  return { pages, late };
}

function checkWalk(pages: Page[], limit: number): void {
  const entries = pages.flatMap((p) => p.data);
  // exactly the seeded entries, newest first: no late arrival, no duplicate, no gap
  expect(entries.map((e) => e.path)).toEqual(Array.from({ length: SEEDED }, (_, i) => `/seed/${SEEDED - 1 - i}`));
  expect(new Set(entries.map((e) => e.id)).size).toBe(SEEDED);
  for (let i = 1; i < entries.length; i++) expect(Date.parse(entries[i]!.date)).toBeLessThanOrEqual(Date.parse(entries[i - 1]!.date));
  // full pages until the last; hasMore and cursor agree
  const expectedPages = Math.ceil(SEEDED / limit);
  expect(pages).toHaveLength(expectedPages);
  pages.forEach((p, i) => {
    const last = i === expectedPages - 1;
    expect(p.data).toHaveLength(last ? SEEDED - limit * (expectedPages - 1) : limit);
    expect(p.pagination.limit).toBe(limit);
    expect(p.pagination.hasMore).toBe(!last);
    if (last) expect(p.pagination.cursor).toBeNull();
    else expect(typeof p.pagination.cursor).toBe('string');
  });
}

describe('cursor walk while traffic arrives', () => {
  it('limit 100: 3 pages, exactly the 250 older entries', async () => {
    const { pages, late } = await walkWhileTrafficArrives('walk100', 100, 10);
    checkWalk(pages, 100);
    expect(late).toBeGreaterThan(0);
    // the late traffic is there, newest first, for a fresh walk
    expect((await mg.api.get('/api/v2/endpoints/walk100/requests/count')).body.count).toBe(SEEDED + late);
    const fresh = await page('walk100', 100, null);
    expect(fresh.data.slice(0, late).every((e) => e.path.startsWith('/late/'))).toBe(true);
    expect(fresh.data[late]!.path).toBe(`/seed/${SEEDED - 1}`);
  });

  it('limit 7: 36 pages, exactly the 250 older entries', async () => {
    const { pages, late } = await walkWhileTrafficArrives('walk7', 7, 3);
    checkWalk(pages, 7);
    expect(late).toBe(35 * 3);
    expect((await mg.api.get('/api/v2/endpoints/walk7/requests/count')).body.count).toBe(SEEDED + late);
  });

  it('a cursor keeps working after the entries around it are deleted', async () => {
    const first = await page('walkdel', 10, null);
    const cursorEntry = first.data[9]!;
    // delete the entry the cursor names, and the first two entries of the next page
    expect((await mg.api.delete(`/api/v2/endpoints/walkdel/requests/${cursorEntry.id}`)).body).toEqual({ id: cursorEntry.id, deleted: true });
    await mg.api.delete(`/api/v2/endpoints/walkdel/requests?path=${encodeURIComponent(`^/seed/(${SEEDED - 11}|${SEEDED - 12})$`)}`);
    const second = await page('walkdel', 10, first.pagination.cursor);
    expect(second.data.map((e) => e.path)).toEqual(Array.from({ length: 10 }, (_, i) => `/seed/${SEEDED - 13 - i}`));
  });

  it('the same cursor gives the same page again', async () => {
    const first = await page('walk100', 5, null);
    const a = await page('walk100', 5, first.pagination.cursor);
    await hit('walk100', '/later');
    const b = await page('walk100', 5, first.pagination.cursor);
    expect(b).toEqual(a);
  });
});

describe('a filtered walk', () => {
  it('pages through sparse matches (a regex filter scanned in batches) without gaps', async () => {
    // 25 of the 250 seeded entries of walk7 end in 7; the late traffic of the other tests does not match
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: any = await mg.api.get(`/api/v2/endpoints/walk7/requests?limit=4&path=${encodeURIComponent('^/seed/\\d*7$')}${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.body.data.map((e: any) => e.path));
      cursor = res.body.pagination.cursor;
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(7);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `/seed/${247 - 10 * i}`));
  });
});

describe('page size', () => {
  it('defaults to 20 and allows 1 to 100', async () => {
    const d = await page('walk7', 20, null);
    expect((await mg.api.get<Page>('/api/v2/endpoints/walk7/requests')).body.data.map((e) => e.id)).toEqual(d.data.map((e) => e.id));
    expect(d.data).toHaveLength(20);
    expect((await page('walk7', 1, null)).data).toHaveLength(1);
    expect((await page('walk7', 100, null)).data).toHaveLength(100);
  });

  it('an exact fit: the last full page says hasMore false and no cursor', async () => {
    await mg.api.post('/api/v2/endpoints/fit/rules', mockRule({ type: 'path', operator: 'starts_with', value: '/' }));
    for (let i = 0; i < 6; i++) await hit('fit', `/f/${i}`);
    const p1 = await page('fit', 3, null);
    expect(p1.pagination.hasMore).toBe(true);
    const p2 = await page('fit', 3, p1.pagination.cursor);
    expect(p2.data.map((e) => e.path)).toEqual(['/f/2', '/f/1', '/f/0']);
    expect(p2.pagination).toEqual({ cursor: null, hasMore: false, limit: 3 });
    expect(await page('fit', 6, null)).toMatchObject({ pagination: { cursor: null, hasMore: false, limit: 6 } });
  });
});
