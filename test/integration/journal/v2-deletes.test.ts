// v2 history deletes: filtered DELETE /requests removes exactly the matching entries (count before and after), no filter
// removes all, ?id= and DELETE /requests/{id}; isolation between endpoints; deleting the endpoint deletes its journal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(() => mg.close());

const api = (endpoint: string) => `/api/v2/endpoints/${endpoint}/requests`;
const count = async (endpoint: string, query = ''): Promise<number> => (await mg.api.get(`${api(endpoint)}/count?${query}`)).body.count;
const ids = async (endpoint: string, query = ''): Promise<string[]> =>
  (await mg.api.get(`${api(endpoint)}?limit=100&${query}`)).body.data.map((e: { id: string }) => e.id);

/** 12 requests: 4 GET /users/N (rule, 200), 4 POST /orders (rule, 201, body), 4 GET /misc/N (no rule, 200). */
async function seed(endpoint: string): Promise<void> {
  await mg.api.put(`/api/v2/endpoints/${endpoint}/rules`, { rules: [
    mockRule({ type: 'path', operator: 'starts_with', value: '/users/' }, { body: 'user' }),
    mockRule({ type: 'path', operator: 'equals', value: '/orders' }, { status: 201, body: 'created' }),
  ] });
  for (let i = 0; i < 4; i++) {
    await (await fetch(`${mg.url}/e/${endpoint}/users/${i}`)).text();
    await (await fetch(`${mg.url}/e/${endpoint}/orders`, { method: 'POST', body: `{"order":${i},"vip":${i % 2 === 0}}` })).text();
    await (await fetch(`${mg.url}/e/${endpoint}/misc/${i}`)).text();
  }
}

/** Deletes with the filter; checks it removed exactly what the same filter listed, and nothing else. */
async function deleteExactly(endpoint: string, query: string, expected: number): Promise<void> {
  const all = await ids(endpoint);
  const matching = await ids(endpoint, query);
  expect(matching).toHaveLength(expected);
  expect(await count(endpoint, query)).toBe(expected);
  const res = await mg.api.delete(`${api(endpoint)}?${query}`);
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ deleted: true, count: expected });
  expect(await count(endpoint, query)).toBe(0);
  expect(await ids(endpoint)).toEqual(all.filter((id) => !matching.includes(id)));
}

describe('filtered deletes', () => {
  beforeAll(() => seed('del'));

  it('method + status', async () => {
    await deleteExactly('del', 'method=POST&status=201&requestBody=' + encodeURIComponent('"vip":true'), 2);
  });

  it('ruleMatched=false', async () => {
    await deleteExactly('del', 'ruleMatched=false', 4);
  });

  it('path regex', async () => {
    await deleteExactly('del', 'path=' + encodeURIComponent('^/users/[01]$'), 2);
  });

  it('responseBody', async () => {
    await deleteExactly('del', 'responseBody=created', 2);
  });

  it('a filter matching nothing deletes nothing', async () => {
    await deleteExactly('del', 'status=418', 0);
  });

  it('dateTo in the past deletes nothing; dateRange covering now deletes the rest', async () => {
    await deleteExactly('del', 'dateTo=2000-01-01T00:00:00Z', 0);
    await deleteExactly('del', 'dateRange=1h', 2);
    expect(await count('del')).toBe(0);
  });
});

describe('delete all and by id', () => {
  it('no filter deletes every entry of the endpoint, and only of that endpoint', async () => {
    await seed('del-all');
    await seed('del-all-neighbour');
    const res = await mg.api.delete(api('del-all'));
    expect(res.body).toEqual({ deleted: true, count: 12 });
    expect(await count('del-all')).toBe(0);
    expect(await count('del-all-neighbour')).toBe(12);
    expect((await mg.api.delete(api('del-all'))).body).toEqual({ deleted: true, count: 0 });
  });

  it('?id= deletes that one entry: {id, deleted}', async () => {
    await seed('del-id');
    const [newest, second] = await ids('del-id');
    expect((await mg.api.delete(`${api('del-id')}?id=${second}`)).body).toEqual({ id: second, deleted: true });
    expect(await ids('del-id')).not.toContain(second);
    expect(await ids('del-id')).toContain(newest);
    expect(await count('del-id')).toBe(11);
    // again: nothing left to delete
    expect((await mg.api.delete(`${api('del-id')}?id=${second}`)).body).toEqual({ id: second, deleted: false });
    // id with another filter that excludes it: nothing deleted
    expect((await mg.api.delete(`${api('del-id')}?id=${newest}&status=500`)).body).toEqual({ id: newest, deleted: false });
    expect(await count('del-id')).toBe(11);
  });

  it('DELETE /requests/{id}: {id, deleted: true}, then 404', async () => {
    const [id] = await ids('del-id');
    const res = await mg.api.delete(`${api('del-id')}/${id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id, deleted: true });
    expect((await mg.api.get(`${api('del-id')}/${id}`)).status).toBe(404);
    const again = await mg.api.delete(`${api('del-id')}/${id}`);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('not_found');
    expect(await count('del-id')).toBe(10);
  });
});

describe('isolation between endpoints', () => {
  it('one endpoint cannot read, delete or count another’s entries, even by id', async () => {
    await seed('iso-a');
    await (await fetch(`${mg.url}/e/iso-b/users/1`)).text();
    const [idOfA] = await ids('iso-a');
    expect((await mg.api.get(`${api('iso-b')}/${idOfA}`)).status).toBe(404);
    expect((await mg.api.delete(`${api('iso-b')}/${idOfA}`)).status).toBe(404);
    expect((await mg.api.delete(`${api('iso-b')}?id=${idOfA}`)).body).toEqual({ id: idOfA, deleted: false });
    expect((await mg.api.delete(`${api('iso-b')}?path=users`)).body).toEqual({ deleted: true, count: 1 });
    expect(await count('iso-a')).toBe(12);
    expect((await mg.api.get(`${api('iso-a')}/${idOfA}`)).status).toBe(200);
  });

  it('a path naming another endpoint does not reach it: /e/<a>/... belongs to <a> only', async () => {
    await (await fetch(`${mg.url}/e/iso-c/e/iso-d/x`)).text();
    expect(await count('iso-c')).toBe(1);
    expect(await count('iso-d')).toBe(0);
    expect((await mg.api.get(api('iso-c'))).body.data[0].path).toBe('/e/iso-d/x');
  });
});

describe('deleting the endpoint', () => {
  it('removes its journal (and its files); a new endpoint of the same name starts empty', async () => {
    await seed('gone');
    const form = new FormData();
    form.append('f', new Blob(['file']), 'f.txt');
    await (await fetch(`${mg.url}/e/gone/up`, { method: 'POST', body: form })).text();
    const [uploadId] = await ids('gone');
    expect(await count('gone')).toBe(13);
    await seed('stays');

    const res = await mg.api.delete('/api/v2/endpoints/gone');
    expect(res.status).toBe(200);
    expect(await count('gone')).toBe(0);
    expect((await mg.api.get(`${api('gone')}/${uploadId}`)).status).toBe(404);
    expect((await mg.api.get(`${api('gone')}/${uploadId}/multipart/download?fieldName=f&component=Request`)).status).toBe(404);
    expect(await count('stays')).toBe(12);

    await (await fetch(`${mg.url}/e/gone/fresh`)).text();
    expect((await mg.api.get(api('gone'))).body.data.map((e: { path: string }) => e.path)).toEqual(['/fresh']);
  });

  it('entries still queued when the endpoint is deleted do not come back', async () => {
    // traffic, then at once (no management read that would write the queue first) the deletion
    await Promise.all(Array.from({ length: 10 }, (_, i) => fetch(`${mg.url}/e/gone-fast/q/${i}`).then((r) => r.text())));
    const res = await mg.api.delete('/api/v2/endpoints/gone-fast');
    expect(res.status).toBe(200);
    expect(await count('gone-fast')).toBe(0);
    await (await fetch(`${mg.url}/e/gone-fast/new`)).text();
    expect((await mg.api.get(api('gone-fast'))).body.data.map((e: { path: string }) => e.path)).toEqual(['/new']);
  });
});
