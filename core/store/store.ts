// The storage interface of the core. The SQLite store implements it; a shared backend would too.
import type { StateItem, StateType } from '../contract.js';
import type { JournalFile, JournalRow, NewJournalEntry } from '../journal/journal-model.js';
import type { StoredRule } from '../rules/rule-model.js';

export interface EndpointRecord {
  name: string;
  createdAt: number;
  settings: Record<string, unknown>;
}

export interface Store {
  listEndpoints(): EndpointRecord[];
  /** Creates the endpoint with empty rules; false when it exists already. */
  createEndpoint(record: EndpointRecord): boolean;
  /** Removes the endpoint and everything it owns; false when absent. */
  deleteEndpoint(name: string): boolean;
  saveSettings(name: string, settings: Record<string, unknown>): void;
  /** Rules in evaluation order. */
  listRules(endpoint: string): StoredRule[];
  /** Replaces the endpoint's whole rule list, in this order, atomically. */
  replaceRules(endpoint: string, rules: readonly StoredRule[]): void;
  readonly journal: JournalStore;
  readonly state: StateStore;
  readonly dataStores: DataStoreStore;
  readonly documents: DocumentStore;
  readonly blobs: BlobStore;
  close(): void;
}

export interface BlobRow {
  path: string;
  contentType: string;
  size: number;
  /** Hex digest of the bytes. */
  sha256: string;
  /** Epoch milliseconds. */
  createdAt: number;
}

/** Metadata of the blobs each endpoint holds; the bytes are files the core keeps beside the database. */
export interface BlobStore {
  /** Oldest first. */
  list(endpoint: string): BlobRow[];
  get(endpoint: string, path: string): BlobRow | undefined;
  insert(endpoint: string, blob: BlobRow): void;
  delete(endpoint: string, path: string): boolean;
  /** Every endpoint's blobs, for the sweep. */
  all(): Array<BlobRow & { endpoint: string }>;
}

/** The documents of each endpoint, by the path of the plugin's document type. */
export interface DocumentStore {
  all(endpoint: string): Map<string, string>;
  put(endpoint: string, path: string, content: string, updatedAt: number): void;
  delete(endpoint: string, path: string): boolean;
}

export interface StateStore {
  get(endpoint: string, type: StateType, key: string): StateItem | undefined;
  put(endpoint: string, item: StateItem): void;
  delete(endpoint: string, type: StateType, key: string): boolean;
  deleteAll(endpoint: string): number;
  /** Ordered by key, then type. */
  list(endpoint: string, filter: { type?: StateType; keyPrefix?: string; offset: number; limit: number }): { items: StateItem[]; total: number };
  /** Runs fn in one transaction: all of its writes or none. */
  transaction<T>(fn: () => T): T;
}

export interface DataStoreRow {
  id: number;
  name: string;
  records: number;
  size: number;
  maxSizeMB: number;
  datastructureId: number | null;
  /** Set for a store made by the CRUD action: the collection path it serves. */
  crudPath: string | null;
}

export interface DataStructureRow {
  id: number;
  name: string;
  schema: object;
}

export interface DataRecordRow {
  key: string;
  /** The record's JSON text. */
  json: string;
  /** Bytes of `json`. */
  size: number;
}

export type DataStoreSortKey = 'name' | 'records' | 'size';

/** Data stores, their records (in insertion order) and data structures; every row belongs to one endpoint. */
export interface DataStoreStore {
  listStores(endpoint: string, page: { sortBy: DataStoreSortKey; sortDir: 'asc' | 'desc'; offset: number; limit: number }): DataStoreRow[];
  getStore(endpoint: string, id: number): DataStoreRow | undefined;
  findCrudStore(endpoint: string, crudPath: string): DataStoreRow | undefined;
  insertStore(endpoint: string, store: Omit<DataStoreRow, 'id' | 'records' | 'size'>): DataStoreRow;
  updateStore(endpoint: string, id: number, fields: { name?: string; maxSizeMB?: number; datastructureId?: number | null }): void;
  /** Deletes these stores (with their records); returns the ids that existed. */
  deleteStores(endpoint: string, ids: readonly number[]): number[];
  /** Ids of the endpoint's stores whose records must fit this structure. */
  storesUsingStructure(endpoint: string, structureId: number): number[];

  listStructures(endpoint: string, page: { offset: number; limit: number }): DataStructureRow[];
  getStructure(endpoint: string, id: number): DataStructureRow | undefined;
  insertStructure(endpoint: string, structure: Omit<DataStructureRow, 'id'>): DataStructureRow;
  updateStructure(endpoint: string, id: number, fields: { name?: string; schema?: object }): void;
  deleteStructure(endpoint: string, id: number): boolean;

  /** In insertion order. */
  listRecords(storeId: number, page: { offset: number; limit: number }): DataRecordRow[];
  /** A record of a store of this endpoint: undefined when either is not there. */
  getRecord(endpoint: string, storeId: number, key: string): DataRecordRow | undefined;
  /** Adds a record after every other one. */
  insertRecord(storeId: number, record: DataRecordRow): void;
  /** Replaces a record's JSON; it keeps its place in the insertion order. */
  updateRecord(storeId: number, record: DataRecordRow): void;
  deleteRecords(storeId: number, keys: readonly string[]): number;
  deleteAllRecords(storeId: number): number;
  /** Deletes the oldest records, never `keepKey`, until at least `bytes` are freed; returns how many went. */
  dropOldest(storeId: number, bytes: number, keepKey: string): number;
  /** Runs fn in one transaction: all of its writes or none. */
  transaction<T>(fn: () => T): T;
}

/** Filters the store applies itself; pattern filters (path, bodies) run on the rows it returns. */
export interface JournalColumnFilter {
  id?: string;
  method?: string;
  status?: number;
  behavior?: string;
  ruleMatched?: boolean;
  isMultipart?: boolean;
  dateFrom?: number;
  dateTo?: number;
}

export interface JournalStore {
  /** Appends entries (and their files) in one transaction. */
  insert(entries: readonly NewJournalEntry[]): void;
  /** Newest first, strictly older than `beforeSeq` when given. */
  scan(endpoint: string, filter: JournalColumnFilter, beforeSeq: number | undefined, limit: number): JournalRow[];
  count(endpoint: string, filter: JournalColumnFilter): number;
  get(endpoint: string, id: string): JournalRow | undefined;
  file(endpoint: string, id: string, component: string, fieldName: string): Omit<JournalFile, 'component' | 'fieldName'> | undefined;
  /** Deletes these entries (by seq) and their files; returns how many went. */
  delete(seqs: readonly number[]): number;
  /** Deletes the endpoint's `count` oldest entries; returns how many went. */
  dropOldest(endpoint: string, count: number): number;
  purgeBefore(date: number): number;
  deleteEndpoint(endpoint: string): void;
}
