// Data stores of every endpoint: stores, records and data structures, each write one transaction with its checks.
import type { DataRecord, DataStoreApi, DataStoreInfo } from '../contract.js';
import { MockgateError, notFound, validationError } from '../errors.js';
import type { DataRecordRow, DataStoreRow, DataStoreSortKey, DataStoreStore, DataStructureRow } from '../store/store.js';
import { compileStructureSchema, type RecordValidator } from './structure-schema.js';

const MIB = 1024 * 1024;
/** The limit of a store the CRUD action makes on first use. */
export const CRUD_STORE_MAX_SIZE_MB = 10;
export const MAX_KEY_LENGTH = 256;

export interface StorePage {
  sortBy: DataStoreSortKey;
  sortDir: 'asc' | 'desc';
  offset: number;
  limit: number;
}

export interface Page {
  offset: number;
  limit: number;
}

export interface StoreFields {
  name?: string;
  maxSizeMB?: number;
  datastructureId?: number | null;
}

type Make = (current: DataRecord | undefined) => Record<string, unknown> | undefined;

const info = (r: DataStoreRow): DataStoreInfo => ({
  id: r.id, name: r.name, records: r.records, size: r.size, maxSizeMB: r.maxSizeMB, datastructureId: r.datastructureId,
});

const toRecord = (r: DataRecordRow): DataRecord => ({ key: r.key, data: JSON.parse(r.json) as Record<string, unknown> });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export class DataStoreService {
  /** Compiled schemas by structure id, with the schema text they were compiled from (a PATCH changes it). */
  readonly #validators = new Map<number, { text: string; check: RecordValidator }>();

  constructor(private readonly store: DataStoreStore) {}

  // ---- stores ----

  list(endpoint: string, page: StorePage): DataStoreInfo[] {
    return this.store.listStores(endpoint, page).map(info);
  }

  get(endpoint: string, id: number): DataStoreInfo {
    return info(this.#store(endpoint, id));
  }

  create(endpoint: string, fields: Required<Pick<StoreFields, 'name' | 'maxSizeMB'>> & StoreFields): DataStoreInfo {
    const datastructureId = fields.datastructureId ?? null;
    if (datastructureId !== null) this.#structure(endpoint, datastructureId, '/datastructureId');
    return info(this.store.insertStore(endpoint, { name: fields.name, maxSizeMB: fields.maxSizeMB, datastructureId, crudPath: null }));
  }

  /** Changes the given properties, never the records: a structure the records do not fit, or a limit below their size, is a conflict. */
  update(endpoint: string, id: number, fields: StoreFields): DataStoreInfo {
    return this.store.transaction(() => {
      const current = this.#store(endpoint, id);
      const { datastructureId, maxSizeMB } = fields;
      if (datastructureId !== undefined && datastructureId !== null && datastructureId !== current.datastructureId) {
        const structure = this.#structure(endpoint, datastructureId, '/datastructureId');
        this.#checkRecords(current, compileStructureSchema(structure.schema), `data structure ${datastructureId}`);
      }
      if (maxSizeMB !== undefined && current.size > maxSizeMB * MIB) {
        throw new MockgateError('conflict', `data store ${id} holds ${current.size} bytes, more than maxSizeMB ${maxSizeMB} ` +
          `(${maxSizeMB * MIB} bytes) allows; delete records first`, '/maxSizeMB');
      }
      this.store.updateStore(endpoint, id, fields);
      return info(this.#store(endpoint, id));
    });
  }

  /** Deletes the stores that exist (all in one transaction); returns their ids. */
  delete(endpoint: string, ids: readonly number[]): number[] {
    return this.store.transaction(() => this.store.deleteStores(endpoint, [...new Set(ids)]));
  }

  // ---- data structures ----

  listStructures(endpoint: string, page: Page): DataStructureRow[] {
    return this.store.listStructures(endpoint, page);
  }

  getStructure(endpoint: string, id: number): DataStructureRow {
    return this.#structure(endpoint, id);
  }

  createStructure(endpoint: string, name: string, schema: object): DataStructureRow {
    compileStructureSchema(schema);
    return this.store.insertStructure(endpoint, { name, schema });
  }

  /** A new schema must compile and fit every record of every store using the structure (else a conflict). */
  updateStructure(endpoint: string, id: number, fields: { name?: string; schema?: object }): DataStructureRow {
    return this.store.transaction(() => {
      this.#structure(endpoint, id);
      if (fields.schema !== undefined) {
        const check = compileStructureSchema(fields.schema);
        for (const storeId of this.store.storesUsingStructure(endpoint, id)) {
          this.#checkRecords(this.#store(endpoint, storeId), check, 'the new schema');
        }
      }
      this.store.updateStructure(endpoint, id, fields);
      return this.#structure(endpoint, id);
    });
  }

  deleteStructure(endpoint: string, id: number): void {
    this.store.transaction(() => {
      this.#structure(endpoint, id);
      const users = this.store.storesUsingStructure(endpoint, id);
      if (users.length > 0) {
        throw new MockgateError('conflict', `data structure ${id} is used by data store${users.length > 1 ? 's' : ''} ` +
          `${users.join(', ')}; give ${users.length > 1 ? 'them' : 'it'} another datastructureId (or null) first`);
      }
      this.store.deleteStructure(endpoint, id);
      this.#validators.delete(id);
    });
  }

  // ---- records ----

  records(endpoint: string, storeId: number, page: Page): DataRecord[] {
    this.#store(endpoint, storeId);
    return this.store.listRecords(storeId, page).map(toRecord);
  }

  record(endpoint: string, storeId: number, key: string): DataRecord {
    this.#store(endpoint, storeId);
    const row = this.store.getRecord(endpoint, storeId, key);
    if (!row) throw notFound(`data store ${storeId} has no record "${key}"`);
    return toRecord(row);
  }

  insert(endpoint: string, storeId: number, key: string, data: unknown, autoDelete: boolean): DataRecord {
    return this.#write(endpoint, storeId, key, autoDelete, (current) => {
      if (current) throw new MockgateError('conflict', `data store ${storeId} has a record "${key}" already`, '/key');
      return checkData(data);
    }).record!;
  }

  /** Creates or replaces the record. */
  put(endpoint: string, storeId: number, key: string, data: unknown, autoDelete: boolean): { record: DataRecord; created: boolean } {
    const { record, created } = this.#write(endpoint, storeId, key, autoDelete, () => checkData(data));
    return { record: record!, created };
  }

  /** Replaces (`merge` false) or shallow-merges the data of an existing record; undefined when there is none. */
  change(endpoint: string, storeId: number, key: string, data: unknown, merge: boolean, autoDelete: boolean): DataRecord | undefined {
    return this.#write(endpoint, storeId, key, autoDelete, (current) => {
      if (!current) return undefined;
      return merge ? { ...current.data, ...checkData(data) } : checkData(data);
    }).record;
  }

  /** Deletes the given keys, or every record; returns how many went. */
  deleteRecords(endpoint: string, storeId: number, keys: readonly string[] | 'all'): number {
    return this.store.transaction(() => {
      this.#store(endpoint, storeId);
      return keys === 'all' ? this.store.deleteAllRecords(storeId) : this.store.deleteRecords(storeId, [...new Set(keys)]);
    });
  }

  removeRecord(endpoint: string, storeId: number, key: string): DataRecord | undefined {
    return this.store.transaction(() => {
      this.#store(endpoint, storeId);
      const row = this.store.getRecord(endpoint, storeId, key);
      if (row) this.store.deleteRecords(storeId, [key]);
      return row && toRecord(row);
    });
  }

  // ---- the API actions see ----

  /** The data stores as one endpoint's actions see them; `autoDelete` is the endpoint's `crud.autoDelete` setting. */
  of(endpoint: string, autoDelete: boolean): DataStoreApi {
    const known = (id: number): void => void this.#store(endpoint, id);
    return {
      get: (id) => {
        const row = this.store.getStore(endpoint, id);
        return row && info(row);
      },
      collection: (path, create) => {
        const row = this.store.findCrudStore(endpoint, path) ?? (create ? this.store.insertStore(endpoint, {
          name: path, maxSizeMB: CRUD_STORE_MAX_SIZE_MB, datastructureId: null, crudPath: path,
        }) : undefined);
        return row && info(row);
      },
      records: (storeId, { offset = 0, limit = -1, where } = {}) => {
        known(storeId);
        const filters = Object.entries(where ?? {});
        if (filters.length === 0) return this.store.listRecords(storeId, { offset, limit }).map(toRecord);
        const matching = this.store.listRecords(storeId, { offset: 0, limit: -1 }).map(toRecord)
          .filter((r) => filters.every(([field, text]) => scalarText(r.data[field]) === text));
        return matching.slice(offset, limit < 0 ? undefined : offset + limit);
      },
      record: (storeId, key) => {
        // one query: the record only if its store is this endpoint's (callers looked the store up already)
        const row = this.store.getRecord(endpoint, storeId, key);
        return row && toRecord(row);
      },
      insert: (storeId, r) => this.insert(endpoint, storeId, r.key, r.data, autoDelete),
      replace: (storeId, key, data) => this.change(endpoint, storeId, key, data, false, autoDelete),
      merge: (storeId, key, data) => this.change(endpoint, storeId, key, data, true, autoDelete),
      remove: (storeId, key) => this.removeRecord(endpoint, storeId, key),
    };
  }

  // ---- internals ----

  #store(endpoint: string, id: number): DataStoreRow {
    const row = this.store.getStore(endpoint, id);
    if (!row) throw notFound(`data store ${id} does not exist in endpoint "${endpoint}"`);
    return row;
  }

  #structure(endpoint: string, id: number, pointer?: string): DataStructureRow {
    const row = this.store.getStructure(endpoint, id);
    if (row) return row;
    const message = `data structure ${id} does not exist in endpoint "${endpoint}"`;
    throw pointer === undefined ? notFound(message) : validationError(pointer, message);
  }

  #validator(endpoint: string, structureId: number): RecordValidator {
    const { schema } = this.#structure(endpoint, structureId);
    const text = JSON.stringify(schema);
    let cached = this.#validators.get(structureId);
    if (cached?.text !== text) this.#validators.set(structureId, (cached = { text, check: compileStructureSchema(schema) }));
    return cached.check;
  }

  /** Every record of the store must pass `check`; the first that does not is a conflict naming it. */
  #checkRecords(store: DataStoreRow, check: RecordValidator, what: string): void {
    const BATCH = 500;
    for (let offset = 0; offset < store.records; offset += BATCH) {
      for (const row of this.store.listRecords(store.id, { offset, limit: BATCH })) {
        try {
          check(JSON.parse(row.json));
        } catch (err) {
          throw new MockgateError('conflict', `record "${row.key}" of data store ${store.id} does not fit ${what}: ${(err as Error).message}`);
        }
      }
    }
  }

  /**
   * One record write in one transaction: `make` turns the current record (if any) into the new data, or undefined to
   * write nothing. Checks the store's structure, then its size limit — purging the oldest records with `autoDelete`.
   */
  #write(endpoint: string, storeId: number, key: string, autoDelete: boolean, make: Make): { record: DataRecord | undefined; created: boolean } {
    if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
      throw validationError('/key', `a record key is a string of 1 to ${MAX_KEY_LENGTH} characters`);
    }
    return this.store.transaction(() => {
      const store = this.#store(endpoint, storeId);
      const row = this.store.getRecord(endpoint, storeId, key);
      const data = make(row && toRecord(row));
      if (data === undefined) return { record: undefined, created: false };
      if (store.datastructureId !== null) this.#validator(endpoint, store.datastructureId)(data);
      const json = JSON.stringify(data);
      const size = Buffer.byteLength(json);
      const limit = store.maxSizeMB * MIB;
      if (size > limit) {
        throw new MockgateError('payload_too_large', `a record of ${size} bytes can never fit data store ${storeId}: ` +
          `its maxSizeMB is ${store.maxSizeMB} (${limit} bytes)`);
      }
      const total = store.size - (row?.size ?? 0) + size;
      if (total > limit) {
        if (!autoDelete) {
          throw new MockgateError('payload_too_large', `data store ${storeId} is full: this write would make it ${total} bytes, ` +
            `over its maxSizeMB of ${store.maxSizeMB} (${limit} bytes); delete records, raise maxSizeMB, or turn on the ` +
            'endpoint setting crud.autoDelete to purge the oldest records');
        }
        this.store.dropOldest(storeId, total - limit, key);
      }
      const next = { key, json, size };
      if (row) this.store.updateRecord(storeId, next);
      else this.store.insertRecord(storeId, next);
      return { record: { key, data }, created: row === undefined };
    });
  }
}

function checkData(data: unknown): Record<string, unknown> {
  if (!isObject(data)) throw validationError('/data', 'a record is a JSON object');
  return data;
}

/** A top-level field as query-string text: strings as they are, numbers, booleans and null as JSON; others never equal. */
function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return JSON.stringify(value);
  return undefined;
}
