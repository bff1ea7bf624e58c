// The v1 state API (state v1 seed): POST and DELETE /api/v1/endpoints/{endpoint}/datastore, every example of the
// seed field by field, its limits and errors, atomicity, and the same items seen through v2.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(() => mg.close());

const v1 = (e: string) => `/api/v1/endpoints/${e}/datastore`;
const v2 = (e: string) => `/api/v2/endpoints/${e}/state`;
const listAll = async (e: string) => (await mg.api.get(`${v2(e)}?limit=1000`)).body;
const one = async (e: string, type: string, key: string) => mg.api.get(`${v2(e)}/${type}/${encodeURIComponent(key)}`);

// The seed's "Mixed Data Types" request.
const mixed = {
  data: [
    { type: 'datastore', key: 'user_session', value: { userId: '12345', sessionId: 'sess_abc123', loginTime: '2023-11-02T12:00:00Z' } },
    { type: 'list', key: 'recent_activities', value: ['login', 'view_dashboard', 'update_profile'] },
    { type: 'counter', key: 'page_views', value: 42 },
    { type: 'datastore', key: 'app_config', value: 'production' },
  ],
};

describe('POST /datastore: the seed examples', () => {
  it('mixed data types: 200 {result: {successful: 4}}, each item stored with its type', async () => {
    const before = Date.now();
    const res = await mg.api.post(v1('seed-mixed'), mixed);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ result: { successful: 4 } });
    const session = await one('seed-mixed', 'string', 'user_session');
    expect(session.status).toBe(200);
    expect(session.body).toEqual({ type: 'string', key: 'user_session', value: mixed.data[0]!.value, lastModified: expect.any(Number) });
    expect(session.body.lastModified).toBeGreaterThanOrEqual(before);
    expect(session.body.lastModified).toBeLessThanOrEqual(Date.now());
    expect((await one('seed-mixed', 'list', 'recent_activities')).body.value).toEqual(['login', 'view_dashboard', 'update_profile']);
    expect((await one('seed-mixed', 'counter', 'page_views')).body.value).toBe(42);
    expect((await one('seed-mixed', 'string', 'app_config')).body.value).toBe('production');
    expect((await listAll('seed-mixed')).pagination.total).toBe(4);
  });

  it('counter usage: {successful: 2}, counters 150 and 0', async () => {
    const res = await mg.api.post(v1('seed-counter'), {
      data: [{ type: 'counter', key: 'api_calls_today', value: 150 }, { type: 'counter', key: 'error_count', value: 0 }],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ result: { successful: 2 } });
    expect((await one('seed-counter', 'counter', 'api_calls_today')).body.value).toBe(150);
    expect((await one('seed-counter', 'counter', 'error_count')).body.value).toBe(0);
  });

  it('list storage: {successful: 2}, arrays of objects and of strings kept as sent', async () => {
    const cart = [{ id: 1, name: 'Product A', price: 29.99 }, { id: 2, name: 'Product B', price: 15.5 }];
    const res = await mg.api.post(v1('seed-list'), {
      data: [{ type: 'list', key: 'shopping_cart', value: cart }, { type: 'list', key: 'user_permissions', value: ['read', 'write', 'admin'] }],
    });
    expect(res.body).toEqual({ result: { successful: 2 } });
    expect((await one('seed-list', 'list', 'shopping_cart')).body.value).toEqual(cart);
    expect((await one('seed-list', 'list', 'user_permissions')).body.value).toEqual(['read', 'write', 'admin']);
  });

  it('is an upsert: existing items are replaced, others created', async () => {
    await mg.api.post(v1('upsert'), { data: [{ type: 'counter', key: 'c', value: 1 }, { type: 'list', key: 'l', value: [1] }] });
    const first = (await one('upsert', 'counter', 'c')).body.lastModified as number;
    await new Promise((r) => setTimeout(r, 5));
    const res = await mg.api.post(v1('upsert'), { data: [{ type: 'counter', key: 'c', value: 7 }, { type: 'datastore', key: 's', value: null }] });
    expect(res.body).toEqual({ result: { successful: 2 } });
    const c = (await one('upsert', 'counter', 'c')).body;
    expect(c.value).toBe(7);
    expect(c.lastModified).toBeGreaterThan(first);
    expect((await one('upsert', 'list', 'l')).body.value).toEqual([1]);
    expect((await one('upsert', 'string', 's')).body.value).toBeNull();
  });
});

describe('POST /datastore: validation', () => {
  const post = (e: string, data: unknown) => mg.api.post(v1(e), { data });

  it('an empty key: the seed error, with ajv v8 wording ("should NOT have fewer than 1 characters")', async () => {
    const res = await post('val', [{ type: 'datastore', key: '', value: 'x' }]);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_error');
    expect(res.body.error.message).toBe('/data/0/key: should NOT have fewer than 1 characters');
    expect(res.body.error.parameter).toBe('/data/0/key');
  });

  it('keys of 1 and 100 characters are accepted; 101 is refused', async () => {
    const k100 = 'k'.repeat(100);
    expect((await post('keys', [{ type: 'datastore', key: 'a', value: 1 }, { type: 'datastore', key: k100, value: 2 }])).body)
      .toEqual({ result: { successful: 2 } });
    expect((await one('keys', 'string', k100)).body.value).toBe(2);
    const res = await post('keys', [{ type: 'datastore', key: 'b', value: 1 }, { type: 'datastore', key: 'k'.repeat(101), value: 1 }]);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_error', message: '/data/1/key: should NOT have more than 100 characters', parameter: '/data/1/key' });
    expect((await one('keys', 'string', 'b')).status).toBe(404);
  });

  it('100 items are accepted, 101 refused; an empty list refused', async () => {
    const items = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 'counter', key: `c${i}`, value: i }));
    expect((await post('many', items(100))).body).toEqual({ result: { successful: 100 } });
    const res = await post('many-101', items(101));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_error', message: '/data: should NOT have more than 100 items', parameter: '/data' });
    const empty = await post('many-0', []);
    expect(empty.body.error).toMatchObject({ code: 'validation_error', message: '/data: should NOT have fewer than 1 items', parameter: '/data' });
    // refused writes do not create the endpoint
    expect((await mg.api.get('/api/v2/endpoints/many-101')).status).toBe(404);
  });

  it('value must fit its type; type must be known; value is required', async () => {
    const cases: Array<[unknown, string]> = [
      [{ type: 'counter', key: 'c', value: -1 }, '/data/0/value'],
      [{ type: 'counter', key: 'c', value: 1.5 }, '/data/0/value'],
      [{ type: 'counter', key: 'c', value: '3' }, '/data/0/value'],
      [{ type: 'list', key: 'l', value: 'not a list' }, '/data/0/value'],
      [{ type: 'list', key: 'l', value: { a: 1 } }, '/data/0/value'],
      [{ type: 'queue', key: 'q', value: 1 }, '/data/0/type'],
      [{ type: 'datastore', key: 'd' }, '/data/0'],
      [{ key: 'd', value: 1 }, '/data/0'],
      [{ type: 'datastore', key: 7, value: 1 }, '/data/0/key'],
      [{ type: 'datastore', key: 'd', value: 1, extra: true }, '/data/0/extra'],
    ];
    for (const [item, parameter] of cases) {
      const res = await post('types', [item]);
      expect(res.status, JSON.stringify(item)).toBe(400);
      expect(res.body.error.code).toBe('validation_error');
      expect(res.body.error.parameter, JSON.stringify(item)).toBe(parameter);
      expect(res.body.error.message.startsWith(`${parameter}: `)).toBe(true);
    }
    const unknownType = await post('types', [{ type: 'queue', key: 'q', value: 1 }]);
    expect(unknownType.body.error.message).toBe('/data/0/type: should be one of: datastore, list, counter');
    expect((await mg.api.get('/api/v2/endpoints/types')).status).toBe(404);
  });

  it('a body without data, or not an object, is refused', async () => {
    expect((await mg.api.post(v1('shape'), {})).body.error).toMatchObject({ code: 'validation_error', parameter: '/' });
    expect((await mg.api.post(v1('shape'), [])).body.error).toMatchObject({ code: 'validation_error', parameter: '/' });
    expect((await mg.api.post(v1('shape'), { data: {} })).body.error).toMatchObject({ code: 'validation_error', parameter: '/data' });
    expect((await mg.api.post(v1('shape'))).status).toBe(400);
  });

  it('a duplicate type+key: the seed error, exactly', async () => {
    const res = await post('dup', [
      { type: 'datastore', key: 'user_session', value: 1 },
      { type: 'counter', key: 'user_session', value: 1 },
      { type: 'datastore', key: 'user_session', value: 2 },
    ]);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: {
        code: 'duplicate_key',
        message: 'Duplicate key found: type="datastore", key="user_session". Each type+key combination must be unique in the request.',
        parameter: 'type: datastore, key: user_session',
      },
    });
    expect((await mg.api.get('/api/v2/endpoints/dup')).status).toBe(404);
  });

  it('duplicates are found across spellings of one type, and named as the client wrote the type', async () => {
    const res = await post('dup2', [{ type: 'datastore', key: 'k', value: 1 }, { type: 'String', key: 'k', value: 2 }]);
    expect(res.body.error).toMatchObject({ code: 'duplicate_key', parameter: 'type: String, key: k' });
    expect(res.body.error.message).toBe('Duplicate key found: type="String", key="k". Each type+key combination must be unique in the request.');
  });

  it('one bad item among 100 applies nothing: the state is unchanged', async () => {
    await post('atomic', [{ type: 'counter', key: 'c0', value: 999 }]);
    const before = await listAll('atomic');
    const items = Array.from({ length: 100 }, (_, i) => ({ type: 'counter', key: `c${i}`, value: i }));
    items[73] = { type: 'counter', key: 'c73', value: -5 };
    const res = await post('atomic', items);
    expect(res.status).toBe(400);
    expect(res.body.error.parameter).toBe('/data/73/value');
    expect(await listAll('atomic')).toEqual(before);
    expect(before.data).toEqual([expect.objectContaining({ key: 'c0', value: 999 })]);
  });

  it('type in any case; datastore and string are the same type', async () => {
    const res = await post('case', [
      { type: 'DataStore', key: 'a', value: 'A' },
      { type: 'STRING', key: 'b', value: 'B' },
      { type: 'Counter', key: 'c', value: 3 },
      { type: 'LIST', key: 'l', value: [] },
    ]);
    expect(res.body).toEqual({ result: { successful: 4 } });
    const { data } = await listAll('case');
    expect(data.map((i: { type: string; key: string }) => `${i.type}:${i.key}`)).toEqual(['string:a', 'string:b', 'counter:c', 'list:l']);
  });
});

describe('DELETE /datastore', () => {
  it('all: {data: {scope: "all", successful: N}} and the endpoint is empty', async () => {
    await mg.api.post(v1('del-all'), mixed);
    await mg.api.post(v1('del-all-other'), mixed);
    const res = await mg.api.delete(v1('del-all'), { all: true });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { scope: 'all', successful: 4 } });
    expect((await listAll('del-all')).data).toEqual([]);
    expect((await listAll('del-all-other')).pagination.total).toBe(4);
    expect((await mg.api.delete(v1('del-all'), { all: true })).body).toEqual({ data: { scope: 'all', successful: 0 } });
  });

  it('selective: the seed example, field by field', async () => {
    await mg.api.post(v1('del-some'), mixed);
    const items = [
      { type: 'datastore', key: 'user_session' },
      { type: 'counter', key: 'page_views' },
      { type: 'list', key: 'recent_activities' },
    ];
    const res = await mg.api.delete(v1('del-some'), { data: items });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { scope: 'some', successful: 3, items } });
    expect((await listAll('del-some')).data.map((i: { key: string }) => i.key)).toEqual(['app_config']);
  });

  it('selective: successful counts only what existed; items are echoed as sent', async () => {
    await mg.api.post(v1('del-count'), mixed);
    const items = [{ type: 'DATASTORE', key: 'app_config' }, { type: 'counter', key: 'missing' }, { type: 'list', key: 'page_views' }];
    expect((await mg.api.delete(v1('del-count'), { data: items })).body).toEqual({ data: { scope: 'some', successful: 1, items } });
  });

  it('{data: []}: the seed validation error', async () => {
    const res = await mg.api.delete(v1('del-val'), { data: [] });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_error', message: '/data: should NOT have fewer than 1 items', parameter: '/data' });
  });

  it('refuses more than 100 items, a bad type, neither all nor data, both, all: false, and a missing body', async () => {
    const items = Array.from({ length: 101 }, (_, i) => ({ type: 'counter', key: `c${i}` }));
    expect((await mg.api.delete(v1('del-val'), { data: items })).body.error)
      .toMatchObject({ code: 'validation_error', message: '/data: should NOT have more than 100 items', parameter: '/data' });
    expect((await mg.api.delete(v1('del-val'), { data: [{ type: 'nope', key: 'k' }] })).body.error)
      .toMatchObject({ code: 'validation_error', parameter: '/data/0/type' });
    expect((await mg.api.delete(v1('del-val'), {})).body.error).toMatchObject({ code: 'validation_error', parameter: '/' });
    expect((await mg.api.delete(v1('del-val'), { all: true, data: [{ type: 'list', key: 'k' }] })).body.error)
      .toMatchObject({ code: 'validation_error', parameter: '/' });
    expect((await mg.api.delete(v1('del-val'), { all: false })).body.error).toMatchObject({ code: 'validation_error', parameter: '/all' });
    expect((await mg.api.delete(v1('del-val'), { all: 'yes' })).body.error).toMatchObject({ code: 'validation_error', parameter: '/all' });
    const none = await mg.api.delete(v1('del-val'));
    expect(none.status).toBe(400);
    expect(none.body.error).toMatchObject({ code: 'validation_error', parameter: '/' });
  });

  it('is atomic: one bad item among 100 deletes nothing', async () => {
    const items = Array.from({ length: 100 }, (_, i) => ({ type: 'counter', key: `c${i}`, value: i }));
    await mg.api.post(v1('del-atomic'), { data: items });
    const before = await listAll('del-atomic');
    const keys: Array<{ type: string; key: unknown }> = items.map(({ type, key }) => ({ type, key }));
    keys[99] = { type: 'counter', key: '' };
    const res = await mg.api.delete(v1('del-atomic'), { data: keys });
    expect(res.status).toBe(400);
    expect(res.body.error.parameter).toBe('/data/99/key');
    expect(await listAll('del-atomic')).toEqual(before);
    expect(before.pagination.total).toBe(100);
  });

  it('deleting from an unknown endpoint deletes nothing and does not create it', async () => {
    expect((await mg.api.delete(v1('never-made'), { all: true })).body).toEqual({ data: { scope: 'all', successful: 0 } });
    expect((await mg.api.delete(v1('never-made'), { data: [{ type: 'list', key: 'x' }] })).body)
      .toEqual({ data: { scope: 'some', successful: 0, items: [{ type: 'list', key: 'x' }] } });
    expect((await mg.api.get('/api/v2/endpoints/never-made')).status).toBe(404);
  });
});

describe('v1 and v2 over the same items', () => {
  it('v1 datastore is v2 string, both ways', async () => {
    await mg.api.post(v1('both'), { data: [{ type: 'datastore', key: 'from-v1', value: { a: 1 } }] });
    await mg.api.put(v2('both'), { items: [{ type: 'string', key: 'from-v2', value: 'two' }] });
    const { data } = await listAll('both');
    expect(data.map((i: { type: string; key: string }) => [i.type, i.key])).toEqual([['string', 'from-v1'], ['string', 'from-v2']]);
    const res = await mg.api.delete(v1('both'), { data: [{ type: 'datastore', key: 'from-v2' }] });
    expect(res.body.data.successful).toBe(1);
    expect((await mg.api.delete(`${v2('both')}/string/from-v1`)).body).toEqual({ key: 'from-v1', deleted: true });
    expect((await listAll('both')).data).toEqual([]);
  });
});

describe('errors of the request itself', () => {
  it('malformed JSON is 400 invalid_json_body', async () => {
    const res = await mg.api.send('POST', v1('json'), '{"data": [', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_json_body');
    expect((await mg.api.send('DELETE', v1('json'), '{all: true}')).body.error.code).toBe('invalid_json_body');
  });

  it('an invalid endpoint name is 400', async () => {
    const res = await mg.api.post(v1('Bad_Name'), mixed);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_error', parameter: 'endpoint' });
    expect((await mg.api.delete(v1('-x'), { all: true })).status).toBe(400);
  });
});
