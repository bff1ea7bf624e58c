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
  close(): void;
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
