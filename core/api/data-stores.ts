// Data stores, their records and data structures: /api/v2/endpoints/{endpoint}/data-stores… and /data-structures…
// The shapes follow 002_5dc962f70136089c.txt, mapped per endpoint (no teams; integer ids), as DECISIONS.md says.
import { Router, type Request } from 'express';
import { MAX_KEY_LENGTH, type DataStoreService, type StoreFields } from '../data-stores/data-store-service.js';
import type { Endpoints } from '../endpoints/endpoints.js';
import { MockgateError, notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { DataStoreSortKey } from '../store/store.js';
import { assertValid, compileSchema } from '../validation.js';
import { endpointParam } from './params.js';

const V2 = { code: 'validation_error' } as const;
export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 10_000;

const name = { type: 'string', minLength: 1, maxLength: 128 } as const;
const storeProperties = {
  name,
  datastructureId: { type: ['integer', 'null'], minimum: 1 },
  maxSizeMB: { type: 'integer', minimum: 1, maximum: 1024 },
} as const;
const record = { type: 'object' } as const;
const key = { type: 'string', minLength: 1, maxLength: MAX_KEY_LENGTH } as const;

const validate = {
  createStore: compileSchema({ type: 'object', required: ['name', 'maxSizeMB'], additionalProperties: false, properties: storeProperties }),
  patchStore: compileSchema({ type: 'object', additionalProperties: false, properties: storeProperties }),
  deleteStores: compileSchema({
    type: 'object', required: ['ids'], additionalProperties: false,
    properties: { ids: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'integer', minimum: 1 } } },
  }),
  createStructure: compileSchema({ type: 'object', required: ['name', 'schema'], additionalProperties: false, properties: { name, schema: record } }),
  patchStructure: compileSchema({ type: 'object', additionalProperties: false, properties: { name, schema: record } }),
  createRecord: compileSchema({ type: 'object', required: ['data'], additionalProperties: false, properties: { key, data: record } }),
  putRecord: compileSchema({ type: 'object', required: ['data'], additionalProperties: false, properties: { data: record } }),
  deleteRecords: compileSchema({
    type: 'object', additionalProperties: false,
    anyOf: [{ required: ['keys'] }, { required: ['all'] }],
    properties: { keys: { type: 'array', minItems: 1, maxItems: MAX_PAGE_LIMIT, items: key }, all: { const: true } },
  }),
};

/** A `pg[name]` query parameter, whether Express parsed it into `pg.name` (extended parser) or kept the key (simple). */
function pgParam(req: Request, field: string): string | undefined {
  const query = req.query as Record<string, unknown>;
  const nested = query['pg'];
  let value = typeof nested === 'object' && nested !== null ? (nested as Record<string, unknown>)[field] : query[`pg[${field}]`];
  if (Array.isArray(value)) value = value.at(-1);
  return typeof value === 'string' ? value : undefined;
}

function pgInteger(req: Request, field: string, fallback: number, min: number, max: number): number {
  const text = pgParam(req, field);
  if (text === undefined || text === '') return fallback;
  const value = /^\d{1,9}$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) throw invalidQuery(`pg[${field}]`, `must be an integer from ${min} to ${max}`);
  return value;
}

function pgEnum<T extends string>(req: Request, field: string, allowed: readonly T[], fallback: T): T {
  const text = pgParam(req, field);
  if (text === undefined || text === '') return fallback;
  if (!(allowed as readonly string[]).includes(text)) throw invalidQuery(`pg[${field}]`, `must be one of: ${allowed.join(', ')}`);
  return text as T;
}

const invalidQuery = (parameter: string, message: string): MockgateError =>
  new MockgateError('validation_error', `${parameter}: ${message}`, parameter);

const noRecord = (storeId: number, key: string): MockgateError => notFound(`data store ${storeId} has no record "${key}"`);

const page = (req: Request): { offset: number; limit: number } => ({
  offset: pgInteger(req, 'offset', 0, 0, 1e9),
  limit: pgInteger(req, 'limit', DEFAULT_PAGE_LIMIT, 1, MAX_PAGE_LIMIT),
});

function idParam(req: Request, param: string): number {
  const text = String(req.params[param]);
  if (!/^[1-9]\d{0,14}$/.test(text)) throw invalidQuery(param, `must be a positive integer, got "${text.slice(0, 40)}"`);
  return Number(text);
}

function confirmedParam(req: Request): boolean {
  const value = (req.query as Record<string, unknown>)['confirmed'];
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw invalidQuery('confirmed', 'must be true or false');
}

export function dataStoresRouter(endpoints: Endpoints, service: DataStoreService): Router {
  const router = Router();
  const stores = '/api/v2/endpoints/:endpoint/data-stores';
  const store = `${stores}/:dataStoreId`;
  const data = `${store}/data`;
  const structures = '/api/v2/endpoints/:endpoint/data-structures';
  const structure = `${structures}/:dataStructureId`;
  const storeId = (req: Request): number => idParam(req, 'dataStoreId');
  const autoDelete = (endpoint: string): boolean => endpoints.get(endpoint)?.settings.crud.autoDelete === true;

  // ---- data stores ----

  router.get(stores, (req, res) => {
    const endpoint = endpointParam(req);
    const pg = {
      sortBy: pgEnum<DataStoreSortKey>(req, 'sortBy', ['name', 'records', 'size'], 'name'),
      sortDir: pgEnum(req, 'sortDir', ['asc', 'desc'] as const, 'asc'),
      ...page(req),
    };
    res.json({ dataStores: service.list(endpoint, pg), pg });
  });

  router.post(stores, (req, res) => {
    const endpoint = endpointParam(req);
    assertValid(validate.createStore, req.body, V2);
    endpoints.getOrCreate(endpoint);
    res.status(201).json({ dataStore: service.create(endpoint, req.body as Required<Pick<StoreFields, 'name' | 'maxSizeMB'>> & StoreFields) });
  });

  router.delete(stores, (req, res) => {
    const endpoint = endpointParam(req);
    const confirmed = confirmedParam(req);
    assertValid(validate.deleteStores, req.body, V2);
    const ids = (req.body as { ids: number[] }).ids;
    if (!confirmed) {
      // a crud action naming the store would stop working: the seed's "included in at least one scenario"
      const users = (endpoints.get(endpoint)?.rules ?? []).filter((r) => r.action.type === 'crud' && ids.includes(r.action['dataStoreId'] as number));
      if (users.length > 0) {
        const used = [...new Set(users.map((r) => r.action['dataStoreId'] as number))];
        throw new MockgateError('conflict', `data store${used.length > 1 ? 's' : ''} ${used.join(', ')} ` +
          `${used.length > 1 ? 'are' : 'is'} used by rule${users.length > 1 ? 's' : ''} ${users.map((r) => r.id).join(', ')}; ` +
          'nothing was deleted. Send confirmed=true to delete anyway', 'confirmed');
      }
    }
    res.json({ dataStores: service.delete(endpoint, ids) });
  });

  router.get(store, (req, res) => {
    res.json({ dataStore: service.get(endpointParam(req), storeId(req)) });
  });

  router.patch(store, (req, res) => {
    const endpoint = endpointParam(req);
    const id = storeId(req);
    assertValid(validate.patchStore, req.body, V2);
    res.json({ dataStore: service.update(endpoint, id, req.body as StoreFields) });
  });

  // ---- records ----

  router.get(data, (req, res) => {
    const pg = page(req);
    res.json({ records: service.records(endpointParam(req), storeId(req), pg), pg });
  });

  router.post(data, (req, res) => {
    const endpoint = endpointParam(req);
    const id = storeId(req);
    assertValid(validate.createRecord, req.body, V2);
    const body = req.body as { key?: string; data: unknown };
    res.status(201).json(service.insert(endpoint, id, body.key ?? newId(), body.data, autoDelete(endpoint)));
  });

  router.delete(data, (req, res) => {
    const endpoint = endpointParam(req);
    const id = storeId(req);
    assertValid(validate.deleteRecords, req.body, V2);
    const body = req.body as { keys?: string[]; all?: true };
    // both given: `all` decides, as DECISIONS.md has it for the other bulk deletes
    res.json({ deleted: service.deleteRecords(endpoint, id, body.all === true ? 'all' : body.keys!) });
  });

  router.get(`${data}/:key`, (req, res) => {
    res.json(service.record(endpointParam(req), storeId(req), String(req.params['key'])));
  });

  router.put(`${data}/:key`, (req, res) => {
    const endpoint = endpointParam(req);
    const id = storeId(req);
    assertValid(validate.putRecord, req.body, V2);
    const { record, created } = service.put(endpoint, id, String(req.params['key']), (req.body as { data: unknown }).data, autoDelete(endpoint));
    res.status(created ? 201 : 200).json(record);
  });

  router.patch(`${data}/:key`, (req, res) => {
    const endpoint = endpointParam(req);
    const id = storeId(req);
    const key = String(req.params['key']);
    assertValid(validate.putRecord, req.body, V2);
    const merged = service.change(endpoint, id, key, (req.body as { data: unknown }).data, true, autoDelete(endpoint));
    if (!merged) throw noRecord(id, key);
    res.json(merged);
  });

  router.delete(`${data}/:key`, (req, res) => {
    const endpoint = endpointParam(req);
    const id = storeId(req);
    const key = String(req.params['key']);
    if (!service.removeRecord(endpoint, id, key)) throw noRecord(id, key);
    res.json({ key, deleted: true });
  });

  // ---- data structures ----

  router.get(structures, (req, res) => {
    const pg = page(req);
    res.json({ dataStructures: service.listStructures(endpointParam(req), pg), pg });
  });

  router.post(structures, (req, res) => {
    const endpoint = endpointParam(req);
    assertValid(validate.createStructure, req.body, V2);
    const body = req.body as { name: string; schema: object };
    endpoints.getOrCreate(endpoint);
    res.status(201).json({ dataStructure: service.createStructure(endpoint, body.name, body.schema) });
  });

  router.get(structure, (req, res) => {
    res.json({ dataStructure: service.getStructure(endpointParam(req), idParam(req, 'dataStructureId')) });
  });

  router.patch(structure, (req, res) => {
    const endpoint = endpointParam(req);
    const id = idParam(req, 'dataStructureId');
    assertValid(validate.patchStructure, req.body, V2);
    res.json({ dataStructure: service.updateStructure(endpoint, id, req.body as { name?: string; schema?: object }) });
  });

  router.delete(structure, (req, res) => {
    const endpoint = endpointParam(req);
    const id = idParam(req, 'dataStructureId');
    service.deleteStructure(endpoint, id);
    res.json({ dataStructure: id });
  });

  return router;
}
