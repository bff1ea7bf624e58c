// Data structures: JSON schemas for records. The schema must compile (400 at /schema); a record that does not fit its
// store's structure is refused with 400 validation_error at /data/…; changes that existing records would not fit are 409.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(() => mg.close());

const structures = (endpoint: string): string => `/api/v2/endpoints/${endpoint}/data-structures`;
const stores = (endpoint: string): string => `/api/v2/endpoints/${endpoint}/data-stores`;

const PERSON = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 }, email: { type: 'string', format: 'email' } },
};

async function createStructure(endpoint: string, name: string, schema: object): Promise<any> {
  const res = await mg.api.post(structures(endpoint), { name, schema });
  expect(res.status).toBe(201);
  return res.body.dataStructure;
}

describe('the data structures API', () => {
  it('creates ({dataStructure: {id, name, schema}}), gets, lists, patches and deletes', async () => {
    const created = await mg.api.post(structures('ds-api'), { name: 'Person', schema: PERSON });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ dataStructure: { id: expect.any(Number), name: 'Person', schema: PERSON } });
    const { id } = created.body.dataStructure;
    expect((await mg.api.get(`${structures('ds-api')}/${id}`)).body).toEqual(created.body);
    await createStructure('ds-api', 'Address', { type: 'object' });

    const list = await mg.api.get(structures('ds-api'));
    expect(list.body.dataStructures.map((s: any) => s.name)).toEqual(['Address', 'Person']);
    expect(list.body.pg).toEqual({ offset: 0, limit: 100 });
    expect((await mg.api.get(`${structures('ds-api')}?pg[offset]=1`)).body.dataStructures.map((s: any) => s.name)).toEqual(['Person']);

    const renamed = await mg.api.patch(`${structures('ds-api')}/${id}`, { name: 'Human' });
    expect(renamed.body.dataStructure).toEqual({ id, name: 'Human', schema: PERSON });

    const deleted = await mg.api.delete(`${structures('ds-api')}/${id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ dataStructure: id });
    expect((await mg.api.get(`${structures('ds-api')}/${id}`)).status).toBe(404);
    expect((await mg.api.get(`${structures('other')}/${id}`)).status).toBe(404);
  });

  it('refuses a schema that does not compile with 400 at /schema', async () => {
    for (const schema of [{ type: 'nonsense' }, { properties: { a: { minimum: 'zero' } } }, { $ref: '#/definitions/missing' }]) {
      const res = await mg.api.post(structures('ds-bad'), { name: 'bad', schema });
      expect(res.status, JSON.stringify(schema)).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'validation_error', parameter: '/schema' });
    }
    const notObject = await mg.api.post(structures('ds-bad'), { name: 'bad', schema: 'string' });
    expect(notObject.body.error).toMatchObject({ code: 'validation_error', parameter: '/schema' });
    const { id } = await createStructure('ds-bad', 'good', { type: 'object' });
    const patched = await mg.api.patch(`${structures('ds-bad')}/${id}`, { schema: { type: 'nonsense' } });
    expect(patched.status).toBe(400);
    expect(patched.body.error.parameter).toBe('/schema');
  });
});

describe('records of a store with a structure', () => {
  it('accepts records that fit and refuses others with 400 at /data/<field>', async () => {
    const structure = await createStructure('ds-rec', 'Person', PERSON);
    const store = (await mg.api.post(stores('ds-rec'), { name: 'people', maxSizeMB: 1, datastructureId: structure.id })).body.dataStore;
    expect(store.datastructureId).toBe(structure.id);
    const data = `${stores('ds-rec')}/${store.id}/data`;

    expect((await mg.api.post(data, { key: 'ann', data: { name: 'Ann', age: 30, email: 'ann@example.com' } })).status).toBe(201);

    const cases: Array<[string, () => Promise<any>, string]> = [
      ['wrong type', () => mg.api.post(data, { data: { name: 42 } }), '/data/name'],
      ['below minimum', () => mg.api.post(data, { data: { name: 'B', age: -1 } }), '/data/age'],
      ['bad format', () => mg.api.post(data, { data: { name: 'B', email: 'not-an-email' } }), '/data/email'],
      ['missing required', () => mg.api.post(data, { data: { age: 3 } }), '/data'],
      ['PUT', () => mg.api.put(`${data}/ann`, { data: { name: 1 } }), '/data/name'],
      ['PATCH merges first, then checks', () => mg.api.patch(`${data}/ann`, { data: { age: 'old' } }), '/data/age'],
    ];
    for (const [what, send, parameter] of cases) {
      const res = await send();
      expect(res.status, what).toBe(400);
      expect(res.body.error, what).toMatchObject({ code: 'validation_error', parameter });
    }
    expect((await mg.api.get(data)).body.records).toEqual([{ key: 'ann', data: { name: 'Ann', age: 30, email: 'ann@example.com' } }]);
    // PATCH with a fitting field works on the merged record
    expect((await mg.api.patch(`${data}/ann`, { data: { age: 31 } })).body.data).toEqual({ name: 'Ann', age: 31, email: 'ann@example.com' });
  });

  it('a schema change applies to later writes', async () => {
    const structure = await createStructure('ds-change', 'Loose', { type: 'object' });
    const store = (await mg.api.post(stores('ds-change'), { name: 's', maxSizeMB: 1, datastructureId: structure.id })).body.dataStore;
    const data = `${stores('ds-change')}/${store.id}/data`;
    await mg.api.post(data, { key: 'a', data: { n: 1 } });
    const patched = await mg.api.patch(`${structures('ds-change')}/${structure.id}`, { schema: { type: 'object', properties: { n: { type: 'integer' } } } });
    expect(patched.status).toBe(200);
    const res = await mg.api.post(data, { key: 'b', data: { n: 'one' } });
    expect(res.body.error).toMatchObject({ code: 'validation_error', parameter: '/data/n' });
  });

  it('refuses (409) a schema or a store structure that existing records do not fit', async () => {
    const loose = await createStructure('ds-fit', 'Loose', { type: 'object' });
    const strict = await createStructure('ds-fit', 'Strict', { type: 'object', required: ['id'] });
    const store = (await mg.api.post(stores('ds-fit'), { name: 's', maxSizeMB: 1, datastructureId: loose.id })).body.dataStore;
    await mg.api.post(`${stores('ds-fit')}/${store.id}/data`, { key: 'no-id', data: { name: 'x' } });

    const schemaChange = await mg.api.patch(`${structures('ds-fit')}/${loose.id}`, { schema: { type: 'object', required: ['id'] } });
    expect(schemaChange.status).toBe(409);
    expect(schemaChange.body.error.code).toBe('conflict');
    expect(schemaChange.body.error.message).toContain('no-id');
    expect((await mg.api.get(`${structures('ds-fit')}/${loose.id}`)).body.dataStructure.schema).toEqual({ type: 'object' });

    const storeChange = await mg.api.patch(`${stores('ds-fit')}/${store.id}`, { datastructureId: strict.id });
    expect(storeChange.status).toBe(409);
    expect((await mg.api.get(`${stores('ds-fit')}/${store.id}`)).body.dataStore.datastructureId).toBe(loose.id);

    // detaching the structure is always possible
    const detached = await mg.api.patch(`${stores('ds-fit')}/${store.id}`, { datastructureId: null });
    expect(detached.body.dataStore.datastructureId).toBeNull();
  });

  it('refuses (409) to delete a structure a store uses', async () => {
    const structure = await createStructure('ds-del', 'Used', { type: 'object' });
    const store = (await mg.api.post(stores('ds-del'), { name: 's', maxSizeMB: 1, datastructureId: structure.id })).body.dataStore;
    const refused = await mg.api.delete(`${structures('ds-del')}/${structure.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(String(store.id));
    await mg.api.patch(`${stores('ds-del')}/${store.id}`, { datastructureId: null });
    expect((await mg.api.delete(`${structures('ds-del')}/${structure.id}`)).status).toBe(200);
  });

  it('a structure of another endpoint cannot be used', async () => {
    const foreign = await createStructure('ds-a', 'Foreign', { type: 'object' });
    const res = await mg.api.post(stores('ds-b'), { name: 's', maxSizeMB: 1, datastructureId: foreign.id });
    expect(res.status).toBe(400);
    expect(res.body.error.parameter).toBe('/datastructureId');
  });
});
