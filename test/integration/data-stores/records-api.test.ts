// Records of a data store: list with pg[…], create (key generated or given), get, put, patch, delete one, delete many or
// all — and the maxSizeMB limit, refused (413) or, with the endpoint's crud.autoDelete, making room by purging the oldest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(() => mg.close());

let endpointCount = 0;
/** A fresh endpoint with one store; returns the store's records URL. */
async function freshStore(maxSizeMB = 1): Promise<{ endpoint: string; id: number; data: string }> {
  const endpoint = `records-${++endpointCount}`;
  const res = await mg.api.post(`/api/v2/endpoints/${endpoint}/data-stores`, { name: 'records', maxSizeMB });
  expect(res.status).toBe(201);
  const { id } = res.body.dataStore;
  return { endpoint, id, data: `/api/v2/endpoints/${endpoint}/data-stores/${id}/data` };
}

const storeInfo = async (endpoint: string, id: number): Promise<any> =>
  (await mg.api.get(`/api/v2/endpoints/${endpoint}/data-stores/${id}`)).body.dataStore;

describe('one record', () => {
  it('creates with a given key (201 {key, data}), reads, replaces, merges and deletes it', async () => {
    const { data } = await freshStore();
    const created = await mg.api.post(data, { key: 'ann', data: { name: 'Ann', age: 30, tags: ['a'] } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ key: 'ann', data: { name: 'Ann', age: 30, tags: ['a'] } });
    expect((await mg.api.get(`${data}/ann`)).body).toEqual(created.body);

    const replaced = await mg.api.put(`${data}/ann`, { data: { name: 'Anne' } });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toEqual({ key: 'ann', data: { name: 'Anne' } });

    const merged = await mg.api.patch(`${data}/ann`, { data: { age: 31, tags: ['b'] } });
    expect(merged.status).toBe(200);
    expect(merged.body).toEqual({ key: 'ann', data: { name: 'Anne', age: 31, tags: ['b'] } });

    const deleted = await mg.api.delete(`${data}/ann`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ key: 'ann', deleted: true });
    expect((await mg.api.get(`${data}/ann`)).status).toBe(404);
  });

  it('generates a key when none is given', async () => {
    const { data } = await freshStore();
    const res = await mg.api.post(data, { data: { n: 1 } });
    expect(res.status).toBe(201);
    expect(res.body.key).toMatch(/^[0-9a-z]{11}$/);
    expect((await mg.api.get(`${data}/${res.body.key}`)).body.data).toEqual({ n: 1 });
  });

  it('answers 409 conflict when the key exists, leaving the record as it was', async () => {
    const { data } = await freshStore();
    await mg.api.post(data, { key: 'k', data: { v: 1 } });
    const res = await mg.api.post(data, { key: 'k', data: { v: 2 } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
    expect((await mg.api.get(`${data}/k`)).body.data).toEqual({ v: 1 });
  });

  it('PUT creates a missing record (201); PATCH and DELETE of a missing one answer 404', async () => {
    const { data } = await freshStore();
    const put = await mg.api.put(`${data}/new`, { data: { a: 1 } });
    expect(put.status).toBe(201);
    expect(put.body).toEqual({ key: 'new', data: { a: 1 } });
    for (const res of [await mg.api.patch(`${data}/none`, { data: { a: 1 } }), await mg.api.delete(`${data}/none`), await mg.api.get(`${data}/none`)]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
  });

  it('keys with slashes and unicode travel percent-encoded', async () => {
    const { data } = await freshStore();
    await mg.api.post(data, { key: 'a/b é', data: { ok: true } });
    expect((await mg.api.get(`${data}/${encodeURIComponent('a/b é')}`)).body).toEqual({ key: 'a/b é', data: { ok: true } });
  });

  it('refuses data that is not an object, unknown fields and keys over 256 characters', async () => {
    const { data } = await freshStore();
    for (const [body, parameter] of [
      [{ data: [1] }, '/data'], [{ data: 'text' }, '/data'], [{}, '/'], [{ data: {}, extra: 1 }, '/extra'],
      [{ key: '', data: {} }, '/key'], [{ key: 'k'.repeat(257), data: {} }, '/key'],
    ] as const) {
      const res = await mg.api.post(data, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'validation_error', parameter });
    }
    expect((await mg.api.put(`${data}/k`, { data: 5 })).body.error.parameter).toBe('/data');
  });

  it('answers 404 for records of a store that does not exist', async () => {
    const { endpoint } = await freshStore();
    const res = await mg.api.post(`/api/v2/endpoints/${endpoint}/data-stores/987654/data`, { data: {} });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});

describe('many records', () => {
  it('lists {records, pg} in insertion order and pages with pg[offset] and pg[limit]', async () => {
    const { data } = await freshStore();
    for (const key of ['c', 'a', 'b', 'd']) await mg.api.post(data, { key, data: { key } });
    const all = await mg.api.get(data);
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ records: ['c', 'a', 'b', 'd'].map((key) => ({ key, data: { key } })), pg: { offset: 0, limit: 100 } });
    // an update keeps a record's place
    await mg.api.put(`${data}/c`, { data: { key: 'c', changed: true } });
    const page = await mg.api.get(`${data}?pg[offset]=1&pg[limit]=2`);
    expect(page.body.records.map((r: any) => r.key)).toEqual(['a', 'b']);
    expect(page.body.pg).toEqual({ offset: 1, limit: 2 });
    expect((await mg.api.get(`${data}?pg[limit]=1`)).body.records).toEqual([{ key: 'c', data: { key: 'c', changed: true } }]);
    expect((await mg.api.get(`${data}?pg[limit]=abc`)).body.error.parameter).toBe('pg[limit]');
  });

  it('deletes the listed keys, or all of them, answering {deleted: N}', async () => {
    const { endpoint, id, data } = await freshStore();
    for (const key of ['a', 'b', 'c', 'd']) await mg.api.post(data, { key, data: {} });
    expect((await mg.api.delete(data, { keys: ['a', 'c', 'zz'] })).body).toEqual({ deleted: 2 });
    expect((await mg.api.get(data)).body.records.map((r: any) => r.key)).toEqual(['b', 'd']);
    expect((await mg.api.delete(data, { all: true })).body).toEqual({ deleted: 2 });
    expect(await storeInfo(endpoint, id)).toMatchObject({ records: 0, size: 0 });
    for (const body of [{}, { all: false }, { keys: [] }, undefined]) {
      const res = await mg.api.delete(data, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_error');
    }
  });
});

describe('maxSizeMB', () => {
  const MB = 1024 * 1024;
  // a record of about 0.4 MB: two fit in 1 MB, three do not
  const big = (n: number) => ({ n, blob: 'x'.repeat(400_000) });
  const sizeOf = (data: unknown): number => Buffer.byteLength(JSON.stringify(data));

  it('refuses a write over the limit with 413 payload_too_large and writes nothing', async () => {
    const { endpoint, id, data } = await freshStore(1);
    expect((await mg.api.post(data, { key: 'r1', data: big(1) })).status).toBe(201);
    expect((await mg.api.post(data, { key: 'r2', data: big(2) })).status).toBe(201);
    const before = await storeInfo(endpoint, id);
    const refused = await mg.api.post(data, { key: 'r3', data: big(3) });
    expect(refused.status).toBe(413);
    expect(refused.body.error.code).toBe('payload_too_large');
    expect(refused.body.error.message).toContain('crud.autoDelete');
    expect(await storeInfo(endpoint, id)).toEqual(before);
    expect((await mg.api.get(`${data}/r3`)).status).toBe(404);
    // growing a record past the limit is refused the same way; shrinking one is fine
    expect((await mg.api.patch(`${data}/r1`, { data: { more: 'y'.repeat(300_000) } })).status).toBe(413);
    expect((await mg.api.put(`${data}/r1`, { data: { n: 1 } })).status).toBe(200);
    expect((await mg.api.post(data, { key: 'r3', data: big(3) })).status).toBe(201);
    expect((await storeInfo(endpoint, id)).size).toBe(sizeOf({ n: 1 }) + sizeOf(big(2)) + sizeOf(big(3)));
  });

  it('with crud.autoDelete on, purges the oldest records to make room', async () => {
    const { endpoint, id, data } = await freshStore(1);
    const settings = await mg.api.patch(`/api/v2/endpoints/${endpoint}/settings`, { crud: { autoDelete: true } });
    expect(settings.body.crud).toEqual({ autoDelete: true });
    for (const n of [1, 2]) expect((await mg.api.post(data, { key: `r${n}`, data: big(n) })).status).toBe(201);
    // r1 is the oldest even after r2 was written again
    expect((await mg.api.put(`${data}/r2`, { data: big(22) })).status).toBe(200);
    const res = await mg.api.post(data, { key: 'r3', data: big(3) });
    expect(res.status).toBe(201);
    expect((await mg.api.get(data)).body.records.map((r: any) => r.key)).toEqual(['r2', 'r3']);
    const info = await storeInfo(endpoint, id);
    expect(info).toMatchObject({ records: 2, size: sizeOf(big(22)) + sizeOf(big(3)) });
    expect(info.size).toBeLessThanOrEqual(MB);
  });

  it('refuses, even with autoDelete, a single record larger than the whole store', async () => {
    const { endpoint, data } = await freshStore(1);
    await mg.api.patch(`/api/v2/endpoints/${endpoint}/settings`, { crud: { autoDelete: true } });
    await mg.api.post(data, { key: 'keep', data: { small: true } });
    await mg.api.post(data, { key: 'grows', data: { a: 'x'.repeat(600_000) } });
    // each request is under the API's 1 MB body limit; the merged record is not under the store's
    const res = await mg.api.patch(`${data}/grows`, { data: { b: 'y'.repeat(600_000) } });
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'payload_too_large', message: expect.stringContaining('can never fit') });
    expect((await mg.api.get(data)).body.records.map((r: any) => [r.key, Object.keys(r.data)])).toEqual([['keep', ['small']], ['grows', ['a']]]);
  });

  it('refuses to lower maxSizeMB below what the store holds (409), and allows it otherwise', async () => {
    const { endpoint, id, data } = await freshStore(3);
    for (const n of [1, 2, 3]) await mg.api.post(data, { key: `r${n}`, data: big(n) });
    const refused = await mg.api.patch(`/api/v2/endpoints/${endpoint}/data-stores/${id}`, { maxSizeMB: 1 });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('conflict');
    expect((await storeInfo(endpoint, id)).maxSizeMB).toBe(3);
    expect((await mg.api.patch(`/api/v2/endpoints/${endpoint}/data-stores/${id}`, { maxSizeMB: 2 })).status).toBe(200);
  });
});
