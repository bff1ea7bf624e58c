// The `crud` action over real HTTP: create, list (filters, paging), get, put, patch, delete, errors as JSON, the store it
// makes on first write (listed like any other), a store named by dataStoreId, basePath, restarts, endpoint isolation.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
beforeEach(async () => {
  mg = await startMockgate();
});
afterEach(() => mg.close());

function crudRule(path: string, action: Record<string, unknown> = {}) {
  return {
    enabled: true,
    method: '*',
    conditions: [{ type: 'path', operator: 'starts_with', value: path }],
    action: { type: 'crud', idField: 'id', ...action },
  };
}

async function addRule(endpoint: string, rule: object): Promise<string> {
  const res = await mg.api.post(`/api/v2/endpoints/${endpoint}/rules`, rule);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

/** A request to an endpoint; the answer must be JSON, errors included. */
async function call(endpoint: string, method: string, path: string, body?: unknown, raw?: string): Promise<Reply> {
  const res = await fetch(`${mg.url}/e/${endpoint}${path}`, {
    method,
    headers: body === undefined && raw === undefined ? {} : { 'content-type': 'application/json' },
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  expect(res.headers.get('content-type')).toBe('application/json');
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) };
}

describe('a collection, end to end', () => {
  it('creates, lists, filters, pages, reads, replaces, merges and deletes', async () => {
    await addRule('shop', crudRule('/users'));

    expect((await call('shop', 'GET', '/users')).body).toEqual([]);

    const ann = await call('shop', 'POST', '/users', { name: 'Ann', role: 'admin' });
    expect(ann.status).toBe(201);
    expect(ann.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'Ann', role: 'admin' });
    expect(ann.headers.get('location')).toBe(`/e/shop/users/${ann.body.id}`);

    const bob = await call('shop', 'POST', '/users', { id: 7, name: 'Bob', role: 'user' });
    expect(bob.status).toBe(201);
    expect(bob.body).toEqual({ id: 7, name: 'Bob', role: 'user' });
    expect(bob.headers.get('location')).toBe('/e/shop/users/7');
    const cid = await call('shop', 'POST', '/users/', { id: 'c-1', name: 'Cid', role: 'user', active: true });
    expect(cid.headers.get('location')).toBe('/e/shop/users/c-1');

    const taken = await call('shop', 'POST', '/users', { id: 7, name: 'Bobby' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('conflict');

    const names = async (query: string): Promise<string[]> => {
      const res = await call('shop', 'GET', `/users${query}`);
      expect(res.status).toBe(200);
      return res.body.map((u: any) => u.name);
    };
    expect(await names('')).toEqual(['Ann', 'Bob', 'Cid']);
    expect(await names('?role=user')).toEqual(['Bob', 'Cid']);
    expect(await names('?role=user&name=Cid')).toEqual(['Cid']);
    expect(await names('?id=7')).toEqual(['Bob']);
    expect(await names('?active=true')).toEqual(['Cid']);
    expect(await names('?role=nobody')).toEqual([]);
    expect(await names('?limit=2')).toEqual(['Ann', 'Bob']);
    expect(await names('?offset=1&limit=1')).toEqual(['Bob']);
    expect(await names('?role=user&offset=1')).toEqual(['Cid']);
    const badLimit = await call('shop', 'GET', '/users?limit=-1');
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error).toMatchObject({ code: 'validation_error', parameter: 'limit' });

    expect((await call('shop', 'GET', '/users/7')).body).toEqual({ id: 7, name: 'Bob', role: 'user' });
    expect((await call('shop', 'GET', `/users/${ann.body.id}`)).body.name).toBe('Ann');

    // PUT replaces the whole record; the id in the path wins over the body's
    const put = await call('shop', 'PUT', '/users/7', { id: 99, name: 'Robert' });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ id: 7, name: 'Robert' });
    // PATCH merges top-level fields
    const patch = await call('shop', 'PATCH', '/users/7', { role: 'owner', id: 'ignored' });
    expect(patch.body).toEqual({ id: 7, name: 'Robert', role: 'owner' });
    expect((await call('shop', 'GET', '/users/7')).body).toEqual(patch.body);

    const deleted = await call('shop', 'DELETE', '/users/7');
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ id: 7, name: 'Robert', role: 'owner' });
    expect(await names('')).toEqual(['Ann', 'Cid']);
  });

  it('answers 404 as JSON for an unknown id, whatever the method', async () => {
    await addRule('shop', crudRule('/users'));
    await call('shop', 'POST', '/users', { id: 1 });
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
      const res = await call('shop', method, '/users/404', method === 'PUT' || method === 'PATCH' ? { a: 1 } : undefined);
      expect(res.status, method).toBe(404);
      expect(res.body.error.code).toBe('not_found');
      expect(res.body.error.message).toContain('404');
    }
    // before anything was written, there is no store and still a 404
    await addRule('shop', crudRule('/empty'));
    expect((await call('shop', 'GET', '/empty/1')).status).toBe(404);
  });

  it('answers 400 JSON errors for invalid JSON, a body that is not an object, a bad id and an unmapped method', async () => {
    await addRule('shop', crudRule('/users'));
    for (const [method, path, raw] of [['POST', '/users', '{"name":'], ['POST', '/users', ''], ['PUT', '/users/1', 'nope']] as const) {
      if (method === 'PUT') await call('shop', 'POST', '/users', { id: 1 });
      const res = await call('shop', method, path, undefined, raw);
      expect(res.status, `${method} ${raw}`).toBe(400);
      expect(res.body.error.code).toBe('invalid_json_body');
    }
    const array = await call('shop', 'POST', '/users', [1, 2]);
    expect(array.body.error).toMatchObject({ code: 'validation_error', parameter: '/' });
    const badId = await call('shop', 'POST', '/users', { id: { nested: true } });
    expect(badId.body.error).toMatchObject({ code: 'validation_error', parameter: '/id' });
    const collectionDelete = await call('shop', 'DELETE', '/users');
    expect(collectionDelete.status).toBe(400);
    expect(collectionDelete.body.error.code).toBe('bad_request');
    expect((await call('shop', 'POST', '/users/1', { a: 1 })).body.error.code).toBe('bad_request');
    expect((await call('shop', 'GET', '/users')).body).toEqual([{ id: 1 }]);
  });

  it('notes behavior "crud" in the journal', async () => {
    const ruleId = await addRule('journaled', crudRule('/things'));
    await call('journaled', 'POST', '/things', { id: 'a' });
    await call('journaled', 'GET', '/things/missing');
    const { body } = await mg.api.get('/api/v2/endpoints/journaled/requests');
    expect(body.data.map((e: any) => [e.method, e.status, e.behavior, e.rule])).toEqual([
      ['GET', 404, 'crud', { matched: true, ruleId }],
      ['POST', 201, 'crud', { matched: true, ruleId }],
    ]);
  });
});

describe('where the records live', () => {
  it('creates a store named after the collection on first write, lists it, and reuses it', async () => {
    await addRule('auto', crudRule('/users'));
    await addRule('auto', crudRule('/orders'));
    await call('auto', 'GET', '/users');
    expect((await mg.api.get('/api/v2/endpoints/auto/data-stores')).body.dataStores).toEqual([]);

    await call('auto', 'POST', '/users', { id: 'u1', name: 'Ann' });
    await call('auto', 'POST', '/users', { id: 'u2', name: 'Bob' });
    await call('auto', 'POST', '/orders', { id: 'o1' });
    const list = (await mg.api.get('/api/v2/endpoints/auto/data-stores')).body.dataStores;
    expect(list.map((s: any) => [s.name, s.records])).toEqual([['/orders', 1], ['/users', 2]]);
    const users = list.find((s: any) => s.name === '/users');
    expect(users).toMatchObject({ maxSizeMB: 10, datastructureId: null, size: expect.any(Number) });

    // the records API sees the action's records under their ids, and the action sees the API's writes
    const records = await mg.api.get(`/api/v2/endpoints/auto/data-stores/${users.id}/data`);
    expect(records.body.records).toEqual([{ key: 'u1', data: { id: 'u1', name: 'Ann' } }, { key: 'u2', data: { id: 'u2', name: 'Bob' } }]);
    await mg.api.post(`/api/v2/endpoints/auto/data-stores/${users.id}/data`, { key: 'u3', data: { id: 'u3', name: 'Cid' } });
    expect((await call('auto', 'GET', '/users/u3')).body.name).toBe('Cid');

    // renamed, it is still the collection's store
    await mg.api.patch(`/api/v2/endpoints/auto/data-stores/${users.id}`, { name: 'People' });
    await call('auto', 'POST', '/users', { id: 'u4' });
    expect((await mg.api.get(`/api/v2/endpoints/auto/data-stores/${users.id}`)).body.dataStore).toMatchObject({ name: 'People', records: 4 });
  });

  it('keeps records in the store named by dataStoreId, with its structure and size limit', async () => {
    const structure = (await mg.api.post('/api/v2/endpoints/named/data-structures', {
      name: 'Item', schema: { type: 'object', properties: { price: { type: 'number' } } },
    })).body.dataStructure;
    const store = (await mg.api.post('/api/v2/endpoints/named/data-stores', { name: 'Items', maxSizeMB: 1, datastructureId: structure.id })).body.dataStore;
    await addRule('named', crudRule('/items', { dataStoreId: store.id }));

    expect((await call('named', 'POST', '/items', { id: 'i1', price: 5 })).status).toBe(201);
    const invalid = await call('named', 'POST', '/items', { id: 'i2', price: 'free' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toMatchObject({ code: 'validation_error', parameter: '/data/price' });

    const big = (id: string) => ({ id, blob: 'x'.repeat(600_000) });
    expect((await call('named', 'POST', '/items', big('b1'))).status).toBe(201);
    const full = await call('named', 'POST', '/items', big('b2'));
    expect(full.status).toBe(413);
    expect(full.body.error.code).toBe('payload_too_large');
    await mg.api.patch('/api/v2/endpoints/named/settings', { crud: { autoDelete: true } });
    expect((await call('named', 'POST', '/items', big('b2'))).status).toBe(201);
    expect((await call('named', 'GET', '/items')).body.map((i: any) => i.id)).toEqual(['b2']);

    expect((await mg.api.get('/api/v2/endpoints/named/data-stores')).body.dataStores.map((s: any) => s.id)).toEqual([store.id]);
    // deleted anyway (confirmed), the rule answers 404 naming the store
    await mg.api.delete('/api/v2/endpoints/named/data-stores?confirmed=true', { ids: [store.id] });
    const gone = await call('named', 'GET', '/items');
    expect(gone.status).toBe(404);
    expect(gone.body.error.message).toContain(String(store.id));
  });

  it('basePath names a nested collection; paths beyond one id segment are 404', async () => {
    await addRule('nested', { ...crudRule('/api/v1/users', { basePath: '/api/v1/users/' }) });
    const created = await call('nested', 'POST', '/api/v1/users', { name: 'Ann' });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/e/nested/api/v1/users/${created.body.id}`);
    expect((await call('nested', 'GET', `/api/v1/users/${created.body.id}`)).body.name).toBe('Ann');
    expect((await call('nested', 'GET', '/api/v1/users')).body).toHaveLength(1);
    expect((await call('nested', 'GET', `/api/v1/users/${created.body.id}/extra`)).status).toBe(404);
    expect((await call('nested', 'GET', '/api/v1/usersx')).status).toBe(404);
    expect((await mg.api.get('/api/v2/endpoints/nested/data-stores')).body.dataStores.map((s: any) => s.name)).toEqual(['/api/v1/users']);
  });

  it('without basePath, a path of two or more segments is an item of its parent', async () => {
    await addRule('derived', { ...crudRule('/', {}), conditions: [{ type: 'path', operator: 'template', value: '/shop/:id' }] });
    await addRule('derived', crudRule('/shop'));
    await call('derived', 'POST', '/shop', { id: 'x1' });
    expect((await call('derived', 'GET', '/shop/x1')).body).toEqual({ id: 'x1' });
    expect((await call('derived', 'GET', '/shop')).body).toEqual([{ id: 'x1' }]);
  });

  it('keeps records across a restart', async () => {
    await addRule('durable', crudRule('/notes'));
    const note = await call('durable', 'POST', '/notes', { text: 'remember me' });
    const { dataDir } = mg;
    await mg.close({ removeData: false });
    mg = await startMockgate({ dataDir });
    expect((await call('durable', 'GET', `/notes/${note.body.id}`)).body).toEqual(note.body);
    await call('durable', 'POST', '/notes', { text: 'second' });
    expect((await call('durable', 'GET', '/notes')).body.map((n: any) => n.text)).toEqual(['remember me', 'second']);
    expect((await mg.api.get('/api/v2/endpoints/durable/data-stores')).body.dataStores).toHaveLength(1);
  });

  it('keeps endpoints apart, and deleting an endpoint deletes its stores', async () => {
    await addRule('left', crudRule('/users'));
    await addRule('right', crudRule('/users'));
    await call('left', 'POST', '/users', { id: 'same', side: 'left' });
    await call('right', 'POST', '/users', { id: 'same', side: 'right' });
    expect((await call('left', 'GET', '/users/same')).body.side).toBe('left');
    expect((await call('right', 'GET', '/users/same')).body.side).toBe('right');
    await call('right', 'DELETE', '/users/same');
    expect((await call('left', 'GET', '/users')).body).toHaveLength(1);

    expect((await mg.api.delete('/api/v2/endpoints/left')).status).toBe(200);
    expect((await mg.api.get('/api/v2/endpoints/left/data-stores')).body.dataStores).toEqual([]);
    await addRule('left', crudRule('/users'));
    expect((await call('left', 'GET', '/users')).body).toEqual([]);
    expect((await mg.api.get('/api/v2/endpoints/right/data-stores')).body.dataStores).toHaveLength(1);
  });
});

describe('without the journal', () => {
  it('still reads request bodies (the action asks for them)', async () => {
    await mg.close();
    mg = await startMockgate({ config: { journal: false } });
    await addRule('quiet', crudRule('/users'));
    const created = await call('quiet', 'POST', '/users', { id: 'q', name: 'Quiet' });
    expect(created.status).toBe(201);
    expect((await call('quiet', 'PATCH', '/users/q', { more: 1 })).body).toEqual({ id: 'q', name: 'Quiet', more: 1 });
  });
});
