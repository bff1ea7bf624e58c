// Data stores API (002_5dc962f70136089c.txt, per endpoint): list with pg[…] sorting and paging, create, get, patch,
// delete with `confirmed`, endpoint isolation, endpoint deletion and restarts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
beforeEach(async () => {
  mg = await startMockgate();
});
afterEach(() => mg.close());

const base = (endpoint: string): string => `/api/v2/endpoints/${endpoint}/data-stores`;

async function createStore(endpoint: string, body: Record<string, unknown>): Promise<any> {
  const res = await mg.api.post(base(endpoint), body);
  expect(res.status).toBe(201);
  return res.body.dataStore;
}

async function addRecords(endpoint: string, id: number, count: number, payload = 'x'): Promise<void> {
  for (let i = 0; i < count; i++) {
    expect((await mg.api.post(`${base(endpoint)}/${id}/data`, { key: `k${i}`, data: { v: payload } })).status).toBe(201);
  }
}

describe('create, get and patch', () => {
  it('creates a store and answers 201 with {dataStore: {id, name, records, size, maxSizeMB, datastructureId}}', async () => {
    const res = await mg.api.post(base('shop'), { name: 'Customers', maxSizeMB: 1 });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ dataStore: { id: expect.any(Number), name: 'Customers', records: 0, size: 0, maxSizeMB: 1, datastructureId: null } });
    expect(Number.isInteger(res.body.dataStore.id)).toBe(true);
    const got = await mg.api.get(`${base('shop')}/${res.body.dataStore.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
  });

  it('creates the endpoint when it does not exist yet', async () => {
    await createStore('fresh-endpoint', { name: 'a', maxSizeMB: 1 });
    expect((await mg.api.get('/api/v2/endpoints/fresh-endpoint')).status).toBe(200);
  });

  it('counts records and the bytes of their JSON', async () => {
    const store = await createStore('shop', { name: 'Orders', maxSizeMB: 2 });
    await addRecords('shop', store.id, 3);
    const { body } = await mg.api.get(`${base('shop')}/${store.id}`);
    expect(body.dataStore.records).toBe(3);
    expect(body.dataStore.size).toBe(3 * Buffer.byteLength(JSON.stringify({ v: 'x' })));
  });

  it('names need not be unique, and may be 128 characters but not 129 or empty', async () => {
    const a = await createStore('shop', { name: 'same', maxSizeMB: 1 });
    const b = await createStore('shop', { name: 'same', maxSizeMB: 1 });
    expect(a.id).not.toBe(b.id);
    await createStore('shop', { name: 'n'.repeat(128), maxSizeMB: 1 });
    for (const name of ['n'.repeat(129), '']) {
      const res = await mg.api.post(base('shop'), { name, maxSizeMB: 1 });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'validation_error', parameter: '/name' });
    }
  });

  it('refuses a body without name or maxSizeMB, a maxSizeMB below 1 or not an integer, and unknown fields', async () => {
    const cases: Array<[unknown, string]> = [
      [{ maxSizeMB: 1 }, '/'],
      [{ name: 'a' }, '/'],
      [{ name: 'a', maxSizeMB: 0 }, '/maxSizeMB'],
      [{ name: 'a', maxSizeMB: 1.5 }, '/maxSizeMB'],
      [{ name: 'a', maxSizeMB: 1, teamId: 1 }, '/teamId'],
    ];
    for (const [body, parameter] of cases) {
      const res = await mg.api.post(base('shop'), body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'validation_error', parameter });
    }
  });

  it('refuses a datastructureId that names no data structure of the endpoint', async () => {
    const res = await mg.api.post(base('shop'), { name: 'a', maxSizeMB: 1, datastructureId: 999 });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_error', parameter: '/datastructureId' });
  });

  it('PATCH changes only the given properties and never the records', async () => {
    const store = await createStore('shop', { name: 'Before', maxSizeMB: 3 });
    await addRecords('shop', store.id, 2);
    const renamed = await mg.api.patch(`${base('shop')}/${store.id}`, { name: 'After' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.dataStore).toMatchObject({ id: store.id, name: 'After', maxSizeMB: 3, records: 2 });
    const resized = await mg.api.patch(`${base('shop')}/${store.id}`, { maxSizeMB: 5 });
    expect(resized.body.dataStore).toMatchObject({ name: 'After', maxSizeMB: 5, records: 2 });
    expect((await mg.api.get(`${base('shop')}/${store.id}/data`)).body.records).toHaveLength(2);
    const bad = await mg.api.patch(`${base('shop')}/${store.id}`, { maxSizeMB: 'big' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.parameter).toBe('/maxSizeMB');
  });

  it('answers 404 not_found for an unknown id and 400 for an id that is not an integer', async () => {
    const missing = await mg.api.get(`${base('shop')}/4242`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    expect((await mg.api.patch(`${base('shop')}/4242`, { name: 'x' })).status).toBe(404);
    const bad = await mg.api.get(`${base('shop')}/abc`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'validation_error', parameter: 'dataStoreId' });
  });
});

describe('list', () => {
  it('answers {dataStores, pg} sorted by name ascending by default', async () => {
    for (const name of ['beta', 'alpha', 'Gamma']) await createStore('lister', { name, maxSizeMB: 1 });
    const res = await mg.api.get(base('lister'));
    expect(res.status).toBe(200);
    expect(res.body.dataStores.map((s: any) => s.name)).toEqual(['alpha', 'beta', 'Gamma']);
    expect(res.body.pg).toEqual({ sortBy: 'name', sortDir: 'asc', offset: 0, limit: 100 });
    expect(Object.keys(res.body.dataStores[0]).sort()).toEqual(['datastructureId', 'id', 'maxSizeMB', 'name', 'records', 'size']);
  });

  it('sorts by name, records or size in either direction and pages with pg[offset] and pg[limit]', async () => {
    const a = await createStore('lister', { name: 'a', maxSizeMB: 1 });
    const b = await createStore('lister', { name: 'b', maxSizeMB: 1 });
    const c = await createStore('lister', { name: 'c', maxSizeMB: 1 });
    await addRecords('lister', a.id, 3);
    await addRecords('lister', b.id, 1, 'a much longer value than the others');
    await addRecords('lister', c.id, 2);
    const names = async (query: string): Promise<string[]> =>
      (await mg.api.get(`${base('lister')}?${query}`)).body.dataStores.map((s: any) => s.name);
    expect(await names('pg[sortDir]=desc')).toEqual(['c', 'b', 'a']);
    expect(await names('pg[sortBy]=records')).toEqual(['b', 'c', 'a']);
    expect(await names('pg[sortBy]=records&pg[sortDir]=desc')).toEqual(['a', 'c', 'b']);
    // sizes: c 2 × 9 bytes, a 3 × 9, b 43
    expect(await names('pg[sortBy]=size&pg[sortDir]=asc')).toEqual(['c', 'a', 'b']);
    expect(await names('pg[sortBy]=size&pg[sortDir]=desc')).toEqual(['b', 'a', 'c']);
    expect(await names('pg[offset]=1&pg[limit]=1')).toEqual(['b']);
    expect(await names('pg[offset]=3')).toEqual([]);
    const res = await mg.api.get(`${base('lister')}?pg%5BsortBy%5D=records&pg%5Blimit%5D=2`);
    expect(res.body.pg).toEqual({ sortBy: 'records', sortDir: 'asc', offset: 0, limit: 2 });
  });

  it('refuses unknown sort keys, directions and bad numbers, naming the parameter', async () => {
    for (const [query, parameter] of [
      ['pg[sortBy]=id', 'pg[sortBy]'], ['pg[sortDir]=up', 'pg[sortDir]'], ['pg[limit]=0', 'pg[limit]'],
      ['pg[limit]=10001', 'pg[limit]'], ['pg[offset]=-1', 'pg[offset]'], ['pg[offset]=x', 'pg[offset]'],
    ] as const) {
      const res = await mg.api.get(`${base('lister')}?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'validation_error', parameter });
    }
  });

  it('answers an empty list for an endpoint that does not exist, without creating it', async () => {
    expect((await mg.api.get(base('nobody'))).body.dataStores).toEqual([]);
    expect((await mg.api.get('/api/v2/endpoints/nobody')).status).toBe(404);
  });
});

describe('delete', () => {
  const crudRule = (dataStoreId: number) => ({
    enabled: true, method: '*', conditions: [{ type: 'path', operator: 'starts_with', value: '/users' }],
    action: { type: 'crud', idField: 'id', dataStoreId },
  });

  it('deletes by ids and answers {dataStores: [deleted ids]}; unknown ids are left out', async () => {
    const a = await createStore('del', { name: 'a', maxSizeMB: 1 });
    const b = await createStore('del', { name: 'b', maxSizeMB: 1 });
    await addRecords('del', a.id, 2);
    const res = await mg.api.delete(`${base('del')}?confirmed=false`, { ids: [a.id, 999999] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ dataStores: [a.id] });
    expect((await mg.api.get(`${base('del')}/${a.id}`)).status).toBe(404);
    expect((await mg.api.get(base('del'))).body.dataStores.map((s: any) => s.id)).toEqual([b.id]);
  });

  it('refuses with 409 conflict, deleting nothing, while a crud rule uses a store — until confirmed=true', async () => {
    const used = await createStore('del', { name: 'used', maxSizeMB: 1 });
    const free = await createStore('del', { name: 'free', maxSizeMB: 1 });
    const rule = await mg.api.post('/api/v2/endpoints/del/rules', crudRule(used.id));
    expect(rule.status).toBe(201);

    for (const query of ['', '?confirmed=false']) {
      const refused = await mg.api.delete(`${base('del')}${query}`, { ids: [free.id, used.id] });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('conflict');
      expect(refused.body.error.message).toContain(rule.body.id);
    }
    expect((await mg.api.get(base('del'))).body.dataStores).toHaveLength(2);

    const done = await mg.api.delete(`${base('del')}?confirmed=true`, { ids: [free.id, used.id] });
    expect(done.status).toBe(200);
    expect(done.body.dataStores.sort()).toEqual([used.id, free.id].sort());
    expect((await mg.api.get(base('del'))).body.dataStores).toEqual([]);
  });

  it('needs a non-empty ids array and a boolean confirmed', async () => {
    for (const body of [undefined, {}, { ids: [] }, { ids: ['1'] }]) {
      const res = await mg.api.delete(base('del'), body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_error');
    }
    const res = await mg.api.delete(`${base('del')}?confirmed=yes`, { ids: [1] });
    expect(res.body.error).toMatchObject({ code: 'validation_error', parameter: 'confirmed' });
  });
});

describe('endpoints own their stores', () => {
  it('keeps stores apart: another endpoint neither lists nor reaches them', async () => {
    const mine = await createStore('one', { name: 'mine', maxSizeMB: 1 });
    await addRecords('one', mine.id, 1);
    expect((await mg.api.get(base('two'))).body.dataStores).toEqual([]);
    expect((await mg.api.get(`${base('two')}/${mine.id}`)).status).toBe(404);
    expect((await mg.api.get(`${base('two')}/${mine.id}/data`)).status).toBe(404);
    expect((await mg.api.post(`${base('two')}/${mine.id}/data`, { data: {} })).status).toBe(404);
    expect((await mg.api.delete(`${base('two')}?confirmed=true`, { ids: [mine.id] })).body.dataStores).toEqual([]);
    expect((await mg.api.get(`${base('one')}/${mine.id}`)).body.dataStore.records).toBe(1);
  });

  it('deleting the endpoint deletes its stores, records and structures', async () => {
    const structure = await mg.api.post('/api/v2/endpoints/doomed/data-structures', { name: 's', schema: { type: 'object' } });
    const store = await createStore('doomed', { name: 'gone', maxSizeMB: 1, datastructureId: structure.body.dataStructure.id });
    await addRecords('doomed', store.id, 2);
    expect((await mg.api.delete('/api/v2/endpoints/doomed')).status).toBe(200);
    expect((await mg.api.get(base('doomed'))).body.dataStores).toEqual([]);
    expect((await mg.api.get(`${base('doomed')}/${store.id}`)).status).toBe(404);
    expect((await mg.api.get('/api/v2/endpoints/doomed/data-structures')).body.dataStructures).toEqual([]);
    // a new endpoint of the same name starts empty
    await createStore('doomed', { name: 'new', maxSizeMB: 1 });
    expect((await mg.api.get(base('doomed'))).body.dataStores.map((s: any) => s.name)).toEqual(['new']);
  });

  it('keeps stores, records and structures across a restart', async () => {
    const structure = (await mg.api.post('/api/v2/endpoints/keep/data-structures', { name: 's', schema: { type: 'object' } })).body.dataStructure;
    const store = await createStore('keep', { name: 'kept', maxSizeMB: 1, datastructureId: structure.id });
    await addRecords('keep', store.id, 2);
    const before = (await mg.api.get(base('keep'))).body;
    const { dataDir } = mg;
    await mg.close({ removeData: false });
    mg = await startMockgate({ dataDir });
    expect((await mg.api.get(base('keep'))).body).toEqual(before);
    expect((await mg.api.get(`${base('keep')}/${store.id}/data/k1`)).body).toEqual({ key: 'k1', data: { v: 'x' } });
    expect((await mg.api.get(`/api/v2/endpoints/keep/data-structures/${structure.id}`)).body.dataStructure).toEqual(structure);
    // ids keep counting after a restart
    const next = await createStore('keep', { name: 'next', maxSizeMB: 1 });
    expect(next.id).toBeGreaterThan(store.id);
  });
});
