// The v2 state API: /api/v2/endpoints/{endpoint}/state and /state/{type}/{key}, with the shapes of the OpenAPI
// document (StateItem, Pagination), pagination and filters, atomic bulk writes, isolation and endpoint deletion.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(() => mg.close());

const state = (e: string) => `/api/v2/endpoints/${e}/state`;
const item = (e: string, type: string, key: string) => `${state(e)}/${type}/${encodeURIComponent(key)}`;
const put = (e: string, items: unknown) => mg.api.put(state(e), { items });
const keys = (body: { data: Array<{ key: string }> }) => body.data.map((i) => i.key);

describe('PUT /state', () => {
  it('upserts: {created, updated}, StateItems readable one by one', async () => {
    const before = Date.now();
    const first = await put('put', [
      { type: 'string', key: 'someStore', value: 'someVal' },
      { type: 'list', key: 'someList', value: ['item1', 'item2', 'item3'] },
    ]);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ created: 2, updated: 0 });
    const second = await put('put', [
      { type: 'list', key: 'someList', value: ['item1'] },
      { type: 'counter', key: 'someCounter', value: 5 },
      { type: 'counter', key: 'someStore', value: 1 }, // same key, another type: another item
    ]);
    expect(second.body).toEqual({ created: 2, updated: 1 });
    const res = await mg.api.get(item('put', 'list', 'someList'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ type: 'list', key: 'someList', value: ['item1'], lastModified: expect.any(Number) });
    expect(Object.keys(res.body)).toEqual(['type', 'key', 'value', 'lastModified']);
    expect(res.body.lastModified).toBeGreaterThanOrEqual(before);
    expect((await mg.api.get(item('put', 'string', 'someStore'))).body.value).toBe('someVal');
    expect((await mg.api.get(item('put', 'counter', 'someStore'))).body.value).toBe(1);
  });

  it('a string item holds any JSON value; lastModified sent back with an item is accepted and ignored', async () => {
    const value = { nested: [1, { deep: true }], n: null };
    expect((await put('any-json', [{ type: 'string', key: 'obj', value, lastModified: 1 }])).body).toEqual({ created: 1, updated: 0 });
    const got = (await mg.api.get(item('any-json', 'string', 'obj'))).body;
    expect(got.value).toEqual(value);
    expect(got.lastModified).toBeGreaterThan(1);
    // what GET returns can be PUT back as is
    expect((await put('any-json', [got])).body).toEqual({ created: 0, updated: 1 });
    // the document's examples show lastModified as an ISO string: accepted and ignored too
    expect((await put('any-json', [{ ...got, lastModified: '2026-01-28T07:50:32.849Z' }])).body).toEqual({ created: 0, updated: 1 });
    expect((await put('any-json', [{ ...got, lastModified: true }])).body.error).toMatchObject({ code: 'validation_error', parameter: '/items/0/lastModified' });
  });

  it('validates like v1, with v2 wording and pointers under /items', async () => {
    const cases: Array<[unknown, string, string?]> = [
      [[{ type: 'string', key: '', value: 1 }], '/items/0/key', '/items/0/key: must NOT have fewer than 1 characters'],
      [[{ type: 'string', key: 'k'.repeat(101), value: 1 }], '/items/0/key', '/items/0/key: must NOT have more than 100 characters'],
      [[{ type: 'counter', key: 'c', value: -1 }], '/items/0/value'],
      [[{ type: 'list', key: 'l', value: 'x' }], '/items/0/value'],
      [[{ type: 'hash', key: 'h', value: 1 }], '/items/0/type', '/items/0/type: must be one of: string, counter, list'],
      [[{ type: 'string', key: 'k', value: 1, ttl: 5 }], '/items/0/ttl', '/items/0/ttl: is not a known property'],
      [[], '/items', '/items: must NOT have fewer than 1 items'],
      [Array.from({ length: 101 }, (_, i) => ({ type: 'counter', key: `c${i}`, value: 0 })), '/items', '/items: must NOT have more than 100 items'],
    ];
    for (const [items, parameter, message] of cases) {
      const res = await put('val', items);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_error');
      expect(res.body.error.parameter).toBe(parameter);
      if (message) expect(res.body.error.message).toBe(message);
    }
    expect((await mg.api.put(state('val'), {})).body.error).toMatchObject({ code: 'validation_error', parameter: '/' });
    const v1Shaped = (await mg.api.put(state('val'), { data: [] })).body.error;
    expect(v1Shaped).toMatchObject({ code: 'validation_error', parameter: '/' });
    expect(v1Shaped.details).toContainEqual({ path: '/data', message: 'is not a known property' });
    // nothing written, endpoint not created
    expect((await mg.api.get('/api/v2/endpoints/val')).status).toBe(404);
  });

  it('keys of 1 and 100 characters are accepted', async () => {
    const k100 = 'x'.repeat(100);
    expect((await put('keylen', [{ type: 'string', key: 'a', value: 1 }, { type: 'string', key: k100, value: 2 }])).body).toEqual({ created: 2, updated: 0 });
    expect((await mg.api.get(item('keylen', 'string', k100))).body.value).toBe(2);
    expect((await mg.api.get(item('keylen', 'string', 'a'))).body.value).toBe(1);
  });

  it('100 items at once', async () => {
    const items = Array.from({ length: 100 }, (_, i) => ({ type: 'counter', key: `k${String(i).padStart(3, '0')}`, value: i }));
    expect((await put('hundred', items)).body).toEqual({ created: 100, updated: 0 });
    expect((await mg.api.get(`${state('hundred')}?limit=1`)).body.pagination.total).toBe(100);
  });

  it('duplicate type+key is 400 duplicate_key', async () => {
    const res = await put('dup', [{ type: 'list', key: 'q', value: [] }, { type: 'LIST', key: 'q', value: [1] }]);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: {
        code: 'duplicate_key',
        message: 'Duplicate key found: type="LIST", key="q". Each type+key combination must be unique in the request.',
        parameter: 'type: LIST, key: q',
      },
    });
    expect((await put('dup', [{ type: 'datastore', key: 'q', value: 1 }, { type: 'string', key: 'q', value: 2 }])).body.error.code).toBe('duplicate_key');
  });

  it('is all or nothing: 100 items with one bad one leave the state unchanged', async () => {
    await put('atomic', [{ type: 'counter', key: 'k050', value: 7 }, { type: 'list', key: 'keep', value: ['a'] }]);
    const before = (await mg.api.get(`${state('atomic')}?limit=1000`)).body;
    const items: unknown[] = Array.from({ length: 100 }, (_, i) => ({ type: 'counter', key: `k${String(i).padStart(3, '0')}`, value: i + 100 }));
    items[99] = { type: 'list', key: 'keep', value: 'not a list' };
    const res = await put('atomic', items);
    expect(res.status).toBe(400);
    expect(res.body.error.parameter).toBe('/items/99/value');
    expect((await mg.api.get(`${state('atomic')}?limit=1000`)).body).toEqual(before);
    expect(before.pagination.total).toBe(2);
    // and a duplicate at the end
    items[99] = { type: 'counter', key: 'k000', value: 1 };
    expect((await put('atomic', items)).body.error.code).toBe('duplicate_key');
    expect((await mg.api.get(`${state('atomic')}?limit=1000`)).body).toEqual(before);
  });

  it('type in any case; datastore is string; output is lowercase', async () => {
    expect((await put('case', [
      { type: 'String', key: 's', value: 'S' },
      { type: 'Counter', key: 'c', value: 1 },
      { type: 'List', key: 'l', value: [] },
      { type: 'DATASTORE', key: 'd', value: 'D' },
    ])).body).toEqual({ created: 4, updated: 0 });
    const { data } = (await mg.api.get(state('case'))).body;
    expect(data.map((i: { type: string; key: string }) => `${i.type}:${i.key}`)).toEqual(['counter:c', 'string:d', 'list:l', 'string:s']);
    expect((await mg.api.get(item('case', 'DataStore', 'd'))).body).toMatchObject({ type: 'string', value: 'D' });
    expect((await mg.api.get(item('case', 'STRING', 's'))).body).toMatchObject({ type: 'string', value: 'S' });
    expect((await mg.api.get(item('case', 'Counter', 'c'))).body).toMatchObject({ type: 'counter', value: 1 });
    expect((await mg.api.get(`${state('case')}?type=LIST`)).body.data).toEqual([expect.objectContaining({ type: 'list', key: 'l' })]);
    expect(keys((await mg.api.get(`${state('case')}?type=datastore`)).body)).toEqual(['d', 's']);
  });
});

describe('GET /state: pagination and filters', () => {
  beforeAll(async () => {
    // inserted out of order: the list is ordered by key
    const items = [
      ...Array.from({ length: 25 }, (_, i) => ({ type: 'counter', key: `cart_${String(24 - i).padStart(2, '0')}`, value: i })),
      { type: 'list', key: 'cart_list', value: [1, 2] },
      { type: 'string', key: 'zeta', value: 'z' },
      { type: 'string', key: 'alpha', value: 'a' },
      { type: 'string', key: 'c%_x', value: 'wild' },
    ];
    expect((await put('page', items)).body).toEqual({ created: 29, updated: 0 });
  });

  it('defaults: limit 20, offset 0; total and hasMore', async () => {
    const res = await mg.api.get(state('page'));
    expect(res.status).toBe(200);
    expect(res.body.pagination).toEqual({ total: 29, limit: 20, offset: 0, hasMore: true });
    expect(res.body.data).toHaveLength(20);
    expect(keys(res.body).slice(0, 4)).toEqual(['alpha', 'c%_x', 'cart_00', 'cart_01']);
    for (const i of res.body.data) expect(Object.keys(i)).toEqual(['type', 'key', 'value', 'lastModified']);
  });

  it('walks the pages with offset: every item once, in key order', async () => {
    const seen: string[] = [];
    let offset = 0;
    for (;;) {
      const { body } = await mg.api.get(`${state('page')}?limit=7&offset=${offset}`);
      expect(body.pagination).toMatchObject({ total: 29, limit: 7, offset });
      seen.push(...keys(body));
      offset += body.data.length;
      expect(body.pagination.hasMore).toBe(offset < 29);
      if (!body.pagination.hasMore) break;
    }
    expect(seen).toEqual([...seen].sort());
    expect(seen).toHaveLength(29);
    expect(new Set(seen).size).toBe(29);
    const past = (await mg.api.get(`${state('page')}?offset=100`)).body;
    expect(past).toEqual({ data: [], pagination: { total: 29, limit: 20, offset: 100, hasMore: false } });
  });

  it('keyPrefix and type filter, alone and together; total follows the filter', async () => {
    const prefixed = (await mg.api.get(`${state('page')}?keyPrefix=cart_&limit=1000`)).body;
    expect(prefixed.pagination).toEqual({ total: 26, limit: 1000, offset: 0, hasMore: false });
    expect(prefixed.data.every((i: { key: string }) => i.key.startsWith('cart_'))).toBe(true);
    const counters = (await mg.api.get(`${state('page')}?keyPrefix=cart_&type=counter&limit=10&offset=20`)).body;
    expect(counters.pagination).toEqual({ total: 25, limit: 10, offset: 20, hasMore: false });
    expect(keys(counters)).toEqual(['cart_20', 'cart_21', 'cart_22', 'cart_23', 'cart_24']);
    expect(keys((await mg.api.get(`${state('page')}?type=list`)).body)).toEqual(['cart_list']);
    expect(keys((await mg.api.get(`${state('page')}?type=string`)).body)).toEqual(['alpha', 'c%_x', 'zeta']);
    // % and _ are plain characters in a prefix
    expect(keys((await mg.api.get(`${state('page')}?keyPrefix=${encodeURIComponent('c%_')}`)).body)).toEqual(['c%_x']);
    expect(keys((await mg.api.get(`${state('page')}?keyPrefix=nothing`)).body)).toEqual([]);
    expect((await mg.api.get(`${state('page')}?keyPrefix=`)).body.pagination.total).toBe(29);
  });

  it('a prefix with characters outside the BMP', async () => {
    await put('emoji', [{ type: 'string', key: '😀-a', value: 1 }, { type: 'string', key: '😀😀', value: 2 }, { type: 'string', key: 'x', value: 3 }]);
    expect(keys((await mg.api.get(`${state('emoji')}?keyPrefix=${encodeURIComponent('😀')}`)).body)).toEqual(['😀-a', '😀😀']);
    expect(keys((await mg.api.get(`${state('emoji')}?keyPrefix=${encodeURIComponent('😀-')}`)).body)).toEqual(['😀-a']);
  });

  it('limit 1 and 1000 are accepted', async () => {
    expect((await mg.api.get(`${state('page')}?limit=1`)).body.pagination).toEqual({ total: 29, limit: 1, offset: 0, hasMore: true });
    expect((await mg.api.get(`${state('page')}?limit=1000`)).body.data).toHaveLength(29);
  });

  it('malformed query values are 400 validation_error naming the parameter', async () => {
    const bad: Array<[string, string]> = [
      ['limit=0', 'limit'], ['limit=1001', 'limit'], ['limit=abc', 'limit'], ['limit=2.5', 'limit'], ['limit=-1', 'limit'],
      ['offset=-1', 'offset'], ['offset=x', 'offset'], ['offset=1e3', 'offset'], ['type=hash', 'type'], ['type=Strings', 'type'],
    ];
    for (const [query, parameter] of bad) {
      const res = await mg.api.get(`${state('page')}?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'validation_error', parameter });
      expect(res.body.error.message.startsWith(`${parameter}: `)).toBe(true);
    }
  });

  it('an unknown endpoint lists nothing and is not created', async () => {
    expect((await mg.api.get(state('nobody'))).body).toEqual({ data: [], pagination: { total: 0, limit: 20, offset: 0, hasMore: false } });
    expect((await mg.api.get('/api/v2/endpoints/nobody')).status).toBe(404);
  });
});

describe('GET and DELETE /state/{type}/{key}', () => {
  it('GET: 404 not_found when absent (also for another type of the same key); 400 for an unknown type', async () => {
    await put('single', [{ type: 'counter', key: 'hits', value: 3 }]);
    const missing = await mg.api.get(item('single', 'list', 'hits'));
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    expect((await mg.api.get(item('single', 'counter', 'nope'))).status).toBe(404);
    const badType = await mg.api.get(item('single', 'hash', 'hits'));
    expect(badType.status).toBe(400);
    expect(badType.body.error).toMatchObject({ code: 'validation_error', parameter: 'type' });
    expect((await mg.api.get(item('unknown-endpoint', 'counter', 'hits'))).status).toBe(404);
    expect((await mg.api.get('/api/v2/endpoints/unknown-endpoint')).status).toBe(404);
  });

  it('keys with slashes, spaces and unicode, percent-encoded in the path', async () => {
    const odd = ['a/b', 'with space', 'ünï', '100%', 'q?x=1#f'];
    await put('odd', odd.map((key) => ({ type: 'string', key, value: key })));
    for (const key of odd) expect((await mg.api.get(item('odd', 'string', key))).body).toMatchObject({ key, value: key });
    expect((await mg.api.delete(item('odd', 'string', 'a/b'))).body).toEqual({ key: 'a/b', deleted: true });
  });

  it('DELETE: {key, deleted: true}, then 404; 400 for an unknown type', async () => {
    await put('single-del', [{ type: 'list', key: 'cart_items', value: ['a'] }, { type: 'string', key: 'cart_items', value: 's' }]);
    const res = await mg.api.delete(item('single-del', 'List', 'cart_items'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ key: 'cart_items', deleted: true });
    expect((await mg.api.get(item('single-del', 'list', 'cart_items'))).status).toBe(404);
    expect((await mg.api.get(item('single-del', 'string', 'cart_items'))).body.value).toBe('s');
    const again = await mg.api.delete(item('single-del', 'list', 'cart_items'));
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('not_found');
    expect((await mg.api.delete(item('single-del', 'bogus', 'cart_items'))).body.error).toMatchObject({ code: 'validation_error', parameter: 'type' });
  });
});

describe('DELETE /state', () => {
  it('{all: true}: {deleted: true, count}', async () => {
    await put('del-all', [{ type: 'string', key: 'a', value: 1 }, { type: 'counter', key: 'b', value: 2 }, { type: 'list', key: 'c', value: [] }]);
    const res = await mg.api.delete(state('del-all'), { all: true });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ deleted: true, count: 3 });
    expect((await mg.api.get(state('del-all'))).body.data).toEqual([]);
    expect((await mg.api.delete(state('del-all'), { all: true })).body).toEqual({ deleted: true, count: 0 });
  });

  it('{items}: count is how many existed', async () => {
    await put('del-some', [{ type: 'string', key: 'a', value: 1 }, { type: 'counter', key: 'b', value: 2 }, { type: 'list', key: 'c', value: [] }]);
    const res = await mg.api.delete(state('del-some'), { items: [{ type: 'String', key: 'a' }, { type: 'counter', key: 'b' }, { type: 'counter', key: 'c' }] });
    expect(res.body).toEqual({ deleted: true, count: 2 });
    expect(keys((await mg.api.get(state('del-some'))).body)).toEqual(['c']);
  });

  it('is atomic: one bad item among 100 deletes nothing', async () => {
    const items = Array.from({ length: 100 }, (_, i) => ({ type: 'string', key: `k${i}`, value: i }));
    await put('del-atomic', items);
    const before = (await mg.api.get(`${state('del-atomic')}?limit=1000`)).body;
    const targets: unknown[] = items.map(({ type, key }) => ({ type, key }));
    targets[50] = { type: 'set', key: 'k50' };
    const res = await mg.api.delete(state('del-atomic'), { items: targets });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_error', parameter: '/items/50/type' });
    expect((await mg.api.get(`${state('del-atomic')}?limit=1000`)).body).toEqual(before);
    targets[50] = { type: 'string', key: 'k50' };
    expect((await mg.api.delete(state('del-atomic'), { items: targets })).body).toEqual({ deleted: true, count: 100 });
  });

  it('a body with neither all nor items, with both, all: false, an empty or too long list, or none at all is 400', async () => {
    const bodies: Array<[unknown, string]> = [
      [{}, '/'],
      [{ all: true, items: [{ type: 'list', key: 'k' }] }, '/'],
      [{ all: false }, '/all'],
      [{ items: [] }, '/items'],
      [{ items: Array.from({ length: 101 }, (_, i) => ({ type: 'list', key: `k${i}` })) }, '/items'],
      [{ items: [{ type: 'list' }] }, '/items/0'],
      [{ ids: ['x'] }, '/ids'],
      [[], '/'],
    ];
    for (const [body, parameter] of bodies) {
      const res = await mg.api.delete(state('del-val'), body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error, JSON.stringify(body)).toMatchObject({ code: 'validation_error', parameter });
    }
    expect((await mg.api.delete(state('del-val'))).status).toBe(400);
  });
});

describe('endpoints', () => {
  it('each endpoint has its own state', async () => {
    await put('iso-a', [{ type: 'counter', key: 'n', value: 1 }]);
    await put('iso-b', [{ type: 'counter', key: 'n', value: 2 }]);
    expect((await mg.api.get(item('iso-a', 'counter', 'n'))).body.value).toBe(1);
    expect((await mg.api.get(item('iso-b', 'counter', 'n'))).body.value).toBe(2);
    await mg.api.delete(state('iso-a'), { all: true });
    expect((await mg.api.get(item('iso-b', 'counter', 'n'))).body.value).toBe(2);
    expect((await mg.api.get(state('iso-a'))).body.pagination.total).toBe(0);
  });

  it('a write creates the endpoint; deleting the endpoint deletes its state', async () => {
    expect((await mg.api.get('/api/v2/endpoints/gone')).status).toBe(404);
    await put('gone', [{ type: 'counter', key: 'n', value: 5 }, { type: 'list', key: 'l', value: [1] }]);
    expect((await mg.api.get('/api/v2/endpoints/gone')).status).toBe(200);
    expect((await mg.api.delete('/api/v2/endpoints/gone')).body).toEqual({ name: 'gone', deleted: true });
    expect((await mg.api.get(state('gone'))).body.pagination.total).toBe(0);
    expect((await mg.api.get(item('gone', 'counter', 'n'))).status).toBe(404);
    // created again, it starts empty
    expect((await put('gone', [{ type: 'counter', key: 'other', value: 0 }])).body).toEqual({ created: 1, updated: 0 });
    expect(keys((await mg.api.get(state('gone'))).body)).toEqual(['other']);
  });

  it('an invalid endpoint name is 400 on every route', async () => {
    const bad = 'Not_Valid';
    const responses = await Promise.all([
      mg.api.get(state(bad)),
      mg.api.put(state(bad), { items: [{ type: 'list', key: 'k', value: [] }] }),
      mg.api.delete(state(bad), { all: true }),
      mg.api.get(item(bad, 'list', 'k')),
      mg.api.delete(item(bad, 'list', 'k')),
      mg.api.post(`${state(bad)}/counter/k/increment`),
    ]);
    for (const res of responses) {
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'validation_error', parameter: 'endpoint' });
    }
  });

  it('malformed JSON is 400 invalid_json_body', async () => {
    for (const method of ['PUT', 'DELETE']) {
      const res = await mg.api.send(method, state('json'), '{"items": [', { 'content-type': 'application/json' });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { code: 'invalid_json_body', message: 'Invalid JSON in request body' } });
    }
    expect((await mg.api.send('POST', `${state('json')}/counter/c/increment`, '{by: 1}')).body.error.code).toBe('invalid_json_body');
  });
});
