// The state store as this thread sees it: a cache that is always right (this thread is the only writer of state), so
// a state condition costs a Map lookup; writes reach SQLite a moment later, all those of one event-loop turn in one
// transaction, instead of one SQLite write per counter step. `flush()` writes them now (shutdown does).
import type { StateItem } from '../contract.js';
import type { StateStore } from '../store/store.js';

export interface CachedStateStore extends StateStore {
  /** The endpoint's rows went with it (a cascade the cache does not see): drop what is cached or waiting for it. */
  forget(endpoint: string): void;
  /** Writes what is waiting to SQLite, in one transaction. */
  flush(): void;
}

export function withCache(store: StateStore, onFlushError: (err: unknown) => void): CachedStateStore {
  // endpoint → "type\0key" → the item, or null when the store has none
  const cache = new Map<string, Map<string, StateItem | null>>();
  // endpoint → "type\0key" → what SQLite must be told: the item, or null to delete it
  let waiting = new Map<string, Map<string, { type: StateItem['type']; key: string; item: StateItem | null }>>();
  let flushScheduled = false;
  // inside transaction(): how to take back each change if it throws
  let undo: Array<() => void> | undefined;

  const slot = <V>(map: Map<string, Map<string, V>>, endpoint: string): Map<string, V> => {
    let items = map.get(endpoint);
    if (!items) map.set(endpoint, (items = new Map()));
    return items;
  };
  const id = (type: string, key: string): string => `${type}\0${key}`;

  const flush = (): void => {
    flushScheduled = false;
    if (waiting.size === 0) return;
    const writes = waiting;
    waiting = new Map();
    try {
      store.transaction(() => {
        for (const [endpoint, items] of writes) {
          for (const { type, key, item } of items.values()) {
            if (item) store.put(endpoint, item);
            else store.delete(endpoint, type, key);
          }
        }
      });
    } catch (err) {
      cache.clear(); // SQLite did not take them: read what it has from now on
      onFlushError(err);
    }
  };

  const change = (endpoint: string, type: StateItem['type'], key: string, item: StateItem | null): void => {
    const cached = slot(cache, endpoint);
    const pending = slot(waiting, endpoint);
    const k = id(type, key);
    if (undo) {
      const [before, wasWaiting] = [cached.get(k), pending.get(k)];
      undo.push(() => {
        if (before === undefined) cached.delete(k);
        else cached.set(k, before);
        if (wasWaiting === undefined) pending.delete(k);
        else pending.set(k, wasWaiting);
      });
    }
    cached.set(k, item);
    pending.set(k, { type, key, item });
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  };

  const get = (endpoint: string, type: StateItem['type'], key: string): StateItem | undefined => {
    const items = slot(cache, endpoint);
    const cached = items.get(id(type, key));
    if (cached !== undefined) return cached ?? undefined;
    const item = store.get(endpoint, type, key);
    items.set(id(type, key), item ?? null);
    return item;
  };

  return {
    get,
    put: (endpoint, item) => change(endpoint, item.type, item.key, item),
    delete(endpoint, type, key) {
      const existed = get(endpoint, type, key) !== undefined;
      change(endpoint, type, key, null);
      return existed;
    },
    deleteAll(endpoint) {
      flush();
      cache.delete(endpoint);
      return store.deleteAll(endpoint);
    },
    list(endpoint, filter) {
      flush();
      return store.list(endpoint, filter);
    },
    /** All of fn's changes or none: they wait together, and a throw takes them all back. */
    transaction(fn) {
      if (undo) return fn();
      undo = [];
      try {
        return fn();
      } catch (err) {
        for (const restore of undo.reverse()) restore();
        throw err;
      } finally {
        undo = undefined;
      }
    },
    forget(endpoint) {
      cache.delete(endpoint);
      waiting.delete(endpoint);
    },
    flush,
  };
}
