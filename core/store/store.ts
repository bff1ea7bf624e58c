// The storage interface of the core. The SQLite store implements it; a shared backend would too.
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
  close(): void;
}
