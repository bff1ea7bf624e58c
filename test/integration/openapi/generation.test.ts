// Generated answers from specs without examples: realistic, different on each request unless the endpoint has a seed,
// in the endpoint's locale, leaning on descriptions with intelligenceMock, recursive schemas bounded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDocument, type LoadedSpec } from '../../../plugins/openapi/load-spec.js';
import { parseDocument } from '../../../plugins/openapi/parse-document.js';
import { fixture, importSpec, schemaErrors } from '../../helpers/openapi.js';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
const specOf = (name: string): LoadedSpec => loadDocument(parseDocument(fixture(name).toString(), name), false);
const inventory = specOf('inventory-schemas-only.json');
const recursive = specOf('recursive.yaml');

beforeAll(async () => {
  mg = await startMockgate();
  await importSpec(mg, 'stock', 'inventory-schemas-only.json');
  await importSpec(mg, 'smart', 'inventory-schemas-only.json', { intelligenceMock: 'true' });
  await importSpec(mg, 'tree', 'recursive.yaml');
  for (const endpoint of ['stock', 'smart', 'tree']) {
    await mg.api.patch(`/api/v2/endpoints/${endpoint}/settings`, { specs: { validateRequests: false } });
  }
}, 60_000);
afterAll(() => mg?.close());

const getJson = async (endpoint: string, path: string, init: RequestInit = {}) => {
  const res = await fetch(`${mg.url}/e/${endpoint}${path}`, init);
  return { status: res.status, headers: res.headers, body: await res.json() as any };
};
const responseSchema = (spec: LoadedSpec, path: string, method: string, status: string) =>
  spec.deref(spec.doc.paths[path][method].responses[status]).content['application/json'].schema;

describe('a spec with schemas and no examples', () => {
  it('answers every operation with values valid against the schema, under the server\'s base path', async () => {
    const cases: Array<[string, string, string, string]> = [
      ['GET', '/items', '/items', '200'], ['POST', '/items', '/items', '201'], ['GET', '/items/ABC-1234', '/items/{sku}', '200'],
      ['PATCH', '/items/ABC-1234', '/items/{sku}', '200'], ['GET', '/warehouses', '/warehouses', '200'],
      ['GET', '/orders/5b0e6a52-8d1f-4e0b-9f59-2f4bb1c7a7e1', '/orders/{orderId}', '2XX'],
    ];
    for (let round = 0; round < 10; round++) {
      for (const [method, path, template, status] of cases) {
        const res = await getJson('stock', `/inventory${path}`, { method });
        expect(res.status).toBe(status === '2XX' ? 200 : Number(status));
        expect(schemaErrors(inventory, responseSchema(inventory, template, method.toLowerCase(), status), res.body), JSON.stringify(res.body)).toEqual([]);
      }
    }
    const items = await getJson('stock', '/inventory/items');
    expect(items.body.length).toBeGreaterThanOrEqual(2);
    expect(items.body[0]).not.toHaveProperty('internalCost');
    expect(items.headers.get('x-page')).toMatch(/^\d{1,2}$/);
    const health = await fetch(`${mg.url}/e/stock/inventory/health`);
    expect(await health.text()).toBe('ok');
  });

  it('uses realistic values chosen by property name and format', async () => {
    const warehouses = Object.values((await getJson('stock', '/inventory/warehouses')).body) as any[];
    for (const w of warehouses) {
      expect(w.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(w.manager?.email ?? 'a@b.c').toMatch(/@/);
      expect(w.manager?.age ?? 30).toBeGreaterThanOrEqual(18);
    }
    const item = (await getJson('stock', '/inventory/items/ABC-1234')).body;
    expect(item.sku).toMatch(/^[A-Z]{3}-\d{4}$/);
    expect(item.supplierEmail).toMatch(/^\S+@\S+\.\S+$/);
  });

  it('answers different values on each request, and the same ones once the endpoint has a seed', async () => {
    const once = async () => JSON.stringify((await getJson('stock', '/inventory/items')).body);
    expect(await once()).not.toBe(await once());
    await mg.api.patch('/api/v2/endpoints/stock/settings', { specs: { seed: 1234 } });
    const seeded = await once();
    expect(await once()).toBe(seeded);
    await mg.api.patch('/api/v2/endpoints/stock/settings', { specs: { seed: 99 } });
    expect(await once()).not.toBe(seeded);
    await mg.api.patch('/api/v2/endpoints/stock/settings', { specs: { seed: null } });
    expect(await once()).not.toBe(await once());
  });

  it('speaks the endpoint\'s locale: Japanese names and cities with locale ja', async () => {
    await mg.api.patch('/api/v2/endpoints/stock/settings', { locale: 'ja' });
    const warehouses = Object.values((await getJson('stock', '/inventory/warehouses')).body) as any[];
    const japanese = /[\u3040-\u30ff\u4e00-\u9fff]/;
    expect(warehouses.some((w) => japanese.test(w.city))).toBe(true);
    expect(warehouses.some((w) => japanese.test(`${w.manager?.lastName}${w.manager?.firstName}`))).toBe(true);
    await mg.api.patch('/api/v2/endpoints/stock/settings', { locale: 'en' });
    expect(japanese.test(JSON.stringify((await getJson('stock', '/inventory/warehouses')).body))).toBe(false);
  });

  it('with intelligenceMock, reads descriptions: an ISO country code, a currency code, an order status', async () => {
    for (let i = 0; i < 5; i++) {
      const smart = (await getJson('smart', '/inventory/items/ABC-1234')).body;
      expect(smart.originCountry).toMatch(/^[A-Z]{2}$/);
      expect(smart.currency).toMatch(/^[A-Z]{3}$/);
      expect(['placed', 'approved', 'shipped', 'delivered', 'cancelled']).toContain(smart.status);
    }
    const plain = await Promise.all(Array.from({ length: 5 }, () => getJson('stock', '/inventory/items/ABC-1234')));
    expect(plain.every((p) => /^[A-Z]{2}$/.test(p.body.originCountry))).toBe(false);
  });
});

describe('recursive schemas', () => {
  const depth = (node: any, key: string): number =>
    node === null || typeof node !== 'object' ? 0 : 1 + Math.max(0, ...Object.values(node).map((v) => depth(v, key)));

  it('answers trees, lists and mutual references bounded, and valid', async () => {
    for (let i = 0; i < 10; i++) {
      for (const [path, template] of [['/categories/1', '/categories/{id}'], ['/lists/a', '/lists/{id}'], ['/employees/e', '/employees/{id}'], ['/expressions', '/expressions']]) {
        const { body } = await getJson('tree', path!);
        expect(schemaErrors(recursive, responseSchema(recursive, template!, 'get', '200'), body), JSON.stringify(body)).toEqual([]);
        expect(depth(body, '')).toBeLessThanOrEqual(8);
      }
    }
  });
});
