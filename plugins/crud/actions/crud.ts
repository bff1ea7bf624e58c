// `crud` action: a REST resource kept in a data store. POST creates, GET lists or reads, PUT replaces, PATCH merges,
// DELETE removes (answering 200 with the removed record). Every answer, errors included, is JSON.
import { randomUUID } from 'node:crypto';
import {
  MockgateError, defineAction, isMockgateError,
  type DataStoreApi, type DataStoreInfo, type MockResponse, type Responder,
} from '../../../core/contract.js';

interface CrudAction {
  type: 'crud';
  /** The field of a record that holds its id (the seed's `idField`). */
  idField: string;
  /** The data store holding the records; absent: one the action creates on first write, named after the collection path. */
  dataStoreId?: number;
  /** The collection path, e.g. `/api/users` (mockgate's addition); absent: derived from each request's path. */
  basePath?: string;
}

interface Target {
  /** Collection path as requested, without a trailing slash, e.g. `/users`. */
  collection: string;
  /** The item's id, when the request names one. */
  id?: string;
}

const ID_LENGTH = 256;
const COLLECTION_METHODS = 'GET and POST';
const ITEM_METHODS = 'GET, PUT, PATCH and DELETE';

export const crudAction = defineAction<CrudAction>({
  type: 'crud',
  schema: {
    type: 'object',
    required: ['type', 'idField'],
    additionalProperties: false,
    properties: {
      type: { const: 'crud' },
      idField: { type: 'string', minLength: 1, maxLength: 256 },
      dataStoreId: { type: 'integer', minimum: 1 },
      basePath: { type: 'string', minLength: 1, maxLength: 2048, pattern: '^/[^?#]*$' },
    },
  },

  compile(action): Responder {
    const basePath = action.basePath === undefined ? undefined : trimSlashes(action.basePath);
    const { idField, dataStoreId } = action;

    const storeOf = (api: DataStoreApi, collection: string, create: boolean): DataStoreInfo | undefined => {
      if (dataStoreId === undefined) return api.collection(collection, create);
      const store = api.get(dataStoreId);
      if (!store) throw new MockgateError('not_found', `data store ${dataStoreId}, named by this crud rule, does not exist in the endpoint`);
      return store;
    };

    return async (ex) => {
      ex.annotate({ behavior: 'crud' });
      const method = ex.request.method === 'HEAD' ? 'GET' : ex.request.method;
      const target = targetOf(ex.request.path, basePath);
      // the body is read outside the try: an oversized body is the core's to answer (it closes the connection)
      const input = method === 'POST' || method === 'PUT' || method === 'PATCH' ? await ex.readBody() : undefined;
      try {
        if (target === undefined) {
          throw new MockgateError('not_found', `${ex.request.path} is neither the collection ${basePath} nor one of its items`);
        }
        const api = ex.dataStores;
        const { collection, id } = target;
        if (id === undefined) {
          if (method === 'GET') {
            const store = storeOf(api, collection, false);
            return ex.respond(json(200, store ? api.records(store.id, listOptions(ex.request.query)).map((r) => r.data) : []));
          }
          if (method === 'POST') {
            const body = objectBody(input!.toString('utf8'));
            const key = idOf(body, idField);
            const data = key === undefined ? { [idField]: randomUUID(), ...body } : body;
            const created = api.insert(storeOf(api, collection, true)!.id, { key: key ?? (data[idField] as string), data });
            return ex.respond(json(201, created.data, { location: `${ex.request.mountPath}${collection}/${encodeURIComponent(created.key)}` }));
          }
          throw new MockgateError('bad_request', `${method} ${collection}: a crud collection answers ${COLLECTION_METHODS}; its items ${ITEM_METHODS}`);
        }
        if (method !== 'GET' && method !== 'PUT' && method !== 'PATCH' && method !== 'DELETE') {
          throw new MockgateError('bad_request', `${method} ${collection}/${id}: a crud item answers ${ITEM_METHODS}; its collection ${COLLECTION_METHODS}`);
        }
        const store = storeOf(api, collection, false);
        const current = store && api.record(store.id, id);
        if (!store || !current) throw new MockgateError('not_found', `${collection} has no record with ${idField} "${id}"`);
        // the id in the path wins over the body's, keeping the type (number or string) the record was created with
        const keep = { [idField]: Object.hasOwn(current.data, idField) ? current.data[idField] : id };
        switch (method) {
          case 'GET':
            return ex.respond(json(200, current.data));
          case 'PUT':
            return ex.respond(json(200, api.replace(store.id, id, { ...objectBody(input!.toString('utf8')), ...keep })!.data));
          case 'PATCH':
            return ex.respond(json(200, api.merge(store.id, id, { ...objectBody(input!.toString('utf8')), ...keep })!.data));
          case 'DELETE':
            return ex.respond(json(200, api.remove(store.id, id)!.data));
        }
      } catch (err) {
        if (!isMockgateError(err)) throw err;
        ex.respond(json(err.status, err.toBody()));
      }
    };
  },
});

/** `/users` → the collection; `/users/7` → item 7. Without a basePath, a path of two or more segments ends with the id. */
function targetOf(path: string, basePath: string | undefined): Target | undefined {
  const trimmed = trimSlashes(path);
  if (basePath !== undefined) {
    if (trimmed === basePath) return { collection: basePath };
    const prefix = basePath === '/' ? '/' : `${basePath}/`;
    const rest = trimmed.startsWith(prefix) ? trimmed.slice(prefix.length) : '';
    return rest !== '' && !rest.includes('/') ? { collection: basePath, id: decode(rest) } : undefined;
  }
  const cut = trimmed.lastIndexOf('/');
  if (cut <= 0) return { collection: trimmed };
  return { collection: trimmed.slice(0, cut), id: decode(trimmed.slice(cut + 1)) };
}

function trimSlashes(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function objectBody(text: string): Record<string, unknown> {
  if (text.trim() === '') throw new MockgateError('invalid_json_body', 'a JSON object is required in the request body');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MockgateError('invalid_json_body', 'Invalid JSON in request body');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MockgateError('validation_error', '/: the body must be a JSON object', '/');
  }
  return value as Record<string, unknown>;
}

/** The record's id from the body: a string or a number, as text; undefined when the body has none. */
function idOf(body: Record<string, unknown>, idField: string): string | undefined {
  const value = body[idField];
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
  if (text === undefined || text.length === 0 || text.length > ID_LENGTH) {
    throw new MockgateError('validation_error', `/${idField}: the id is a string of 1 to ${ID_LENGTH} characters or a number`, `/${idField}`);
  }
  return text;
}

/** `limit` and `offset` page the list; every other query parameter keeps records whose field equals it. */
function listOptions(query: URLSearchParams): { offset: number; limit: number; where: Record<string, string> } {
  const where: Record<string, string> = Object.create(null) as Record<string, string>;
  let offset = 0;
  let limit = -1;
  for (const [name, value] of query) {
    if (name === 'limit' || name === 'offset') {
      if (!/^\d{1,9}$/.test(value)) throw new MockgateError('validation_error', `${name}: must be an integer ≥ 0`, name);
      if (name === 'limit') limit = Number(value);
      else offset = Number(value);
    } else if (!Object.hasOwn(where, name)) {
      where[name] = value;
    }
  }
  return { offset, limit, where };
}

function json(status: number, value: unknown, headers: Record<string, string> = {}): MockResponse {
  const body = Buffer.from(JSON.stringify(value));
  return { status, headers: { 'content-type': 'application/json', 'content-length': body.length, ...headers }, body };
}
