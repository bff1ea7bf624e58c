// The state of every endpoint: typed items with atomic operations, applied by this one owner of the store, in order.
import type { Logger, StateApi, StateItem, StateType } from '../contract.js';
import { MockgateError } from '../errors.js';
import type { StateStore } from '../store/store.js';
import { withCache, type CachedStateStore } from './cached-state-store.js';

export const STATE_TYPES: readonly StateType[] = ['string', 'counter', 'list'];

/** The stored type a client means: any letter case; v1's `datastore` is `string`. Undefined for anything else. */
export function parseStateType(name: string): StateType | undefined {
  if (!/^[A-Za-z]+$/.test(name)) return undefined;
  const lower = name.toLowerCase();
  if (lower === 'datastore') return 'string';
  return (STATE_TYPES as readonly string[]).includes(lower) ? (lower as StateType) : undefined;
}

/** Checks a value against its type; throws a validation error naming `pointer`. */
export function checkStateValue(type: StateType, value: unknown, pointer: string): void {
  const fail = (message: string): never => {
    throw new MockgateError('validation_error', `${pointer}: ${message}`, pointer);
  };
  if (value === undefined) fail('a value is required');
  if (type === 'counter' && !(Number.isSafeInteger(value) && (value as number) >= 0)) fail('a counter holds an integer ≥ 0');
  if (type === 'list' && !Array.isArray(value)) fail('a list holds an array');
}

export class StateService {
  readonly #apis = new Map<string, StateApi>();

  private readonly store: CachedStateStore;

  constructor(store: StateStore, log: Logger, private readonly now: () => number = Date.now) {
    this.store = withCache(store, (err) => log.error({ err }, 'state changes could not be written to the database'));
  }

  /** Writes the state changes still waiting to the database (they go within one event-loop turn anyway). */
  flush(): void {
    this.store.flush();
  }

  /** The endpoint was deleted, and its state with it. */
  forget(endpoint: string): void {
    this.store.forget(endpoint);
    this.#apis.delete(endpoint);
  }

  /** The state API of one endpoint (which must exist in the store). */
  of(endpoint: string): StateApi {
    let api = this.#apis.get(endpoint);
    if (!api) this.#apis.set(endpoint, (api = this.#create(endpoint)));
    return api;
  }

  #create(endpoint: string): StateApi {
    const { store } = this;
    const put = (type: StateType, key: string, value: unknown): StateItem => {
      const item: StateItem = { type, key, value, lastModified: this.now() };
      store.put(endpoint, item);
      return item;
    };
    return {
      get: (type, key) => store.get(endpoint, type, key),
      set: put,
      increment: (key, by = 1) => {
        const current = store.get(endpoint, 'counter', key)?.value;
        const next = (typeof current === 'number' ? current : 0) + by;
        put('counter', key, next);
        return next;
      },
      push: (key, value) => {
        const current = store.get(endpoint, 'list', key)?.value;
        const list = Array.isArray(current) ? [...current, value] : [value];
        put('list', key, list);
        return list.length;
      },
      delete: (type, key) => store.delete(endpoint, type, key),
    };
  }

  /** One item; never creates the endpoint. */
  get(endpoint: string, type: StateType, key: string): StateItem | undefined {
    return this.store.get(endpoint, type, key);
  }

  /**
   * Adds `by` (may be negative) to a counter, creating it at 0 first; returns the item after. Refuses (409, nothing
   * changed) a result below 0 or beyond a safe integer. Read and write run synchronously on the one thread that writes
   * state: concurrent calls never lose a step.
   */
  addToCounter(endpoint: string, key: string, by: number): StateItem {
    const current = this.store.get(endpoint, 'counter', key)?.value;
    const base = typeof current === 'number' ? current : 0;
    const next = base + by;
    if (!Number.isSafeInteger(next) || next < 0) {
      throw new MockgateError('conflict', `counter "${key}" is ${base}: adding ${by} would make it ${next < 0 ? 'negative' : 'too large'}; ` +
        'a counter holds an integer from 0 to 2^53-1', '/by');
    }
    const item: StateItem = { type: 'counter', key, value: next, lastModified: this.now() };
    this.store.put(endpoint, item);
    return item;
  }

  /** Upserts items all or none; returns how many were created and how many updated. */
  upsert(endpoint: string, items: ReadonlyArray<{ type: StateType; key: string; value: unknown }>): { created: number; updated: number } {
    return this.store.transaction(() => {
      let created = 0;
      for (const { type, key, value } of items) {
        if (this.store.get(endpoint, type, key) === undefined) created++;
        this.store.put(endpoint, { type, key, value, lastModified: this.now() });
      }
      return { created, updated: items.length - created };
    });
  }

  /** Deletes the given items all or none; returns those that existed. */
  deleteItems(endpoint: string, items: ReadonlyArray<{ type: StateType; key: string }>): Array<{ type: StateType; key: string }> {
    return this.store.transaction(() => items.filter(({ type, key }) => this.store.delete(endpoint, type, key)));
  }

  deleteAll(endpoint: string): number {
    return this.store.deleteAll(endpoint);
  }

  list(endpoint: string, filter: { type?: StateType; keyPrefix?: string; offset: number; limit: number }): { items: StateItem[]; total: number } {
    return this.store.list(endpoint, filter);
  }
}
