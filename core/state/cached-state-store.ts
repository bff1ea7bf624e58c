// A write-through cache over the state store: this thread is the only writer of state, so the cache is always right,
// and a state condition costs a Map lookup instead of a SQLite read per request.
import type { StateItem } from '../contract.js';
import type { StateStore } from '../store/store.js';

export interface CachedStateStore extends StateStore {
  /** The endpoint's rows went with it (a cascade the cache does not see). */
  forget(endpoint: string): void;
}

export function withCache(store: StateStore): CachedStateStore {
  // endpoint → "type\0key" → the item, or null when the store has none
  const cache = new Map<string, Map<string, StateItem | null>>();
  const slot = (endpoint: string): Map<string, StateItem | null> => {
    let items = cache.get(endpoint);
    if (!items) cache.set(endpoint, (items = new Map()));
    return items;
  };
  const id = (type: string, key: string): string => `${type}\0${key}`;

  return {
    get(endpoint, type, key) {
      const items = slot(endpoint);
      const cached = items.get(id(type, key));
      if (cached !== undefined) return cached ?? undefined;
      const item = store.get(endpoint, type, key);
      items.set(id(type, key), item ?? null);
      return item;
    },
    put(endpoint, item) {
      store.put(endpoint, item);
      slot(endpoint).set(id(item.type, item.key), item);
    },
    delete(endpoint, type, key) {
      const deleted = store.delete(endpoint, type, key);
      slot(endpoint).set(id(type, key), null);
      return deleted;
    },
    deleteAll(endpoint) {
      cache.delete(endpoint);
      return store.deleteAll(endpoint);
    },
    list: (endpoint, filter) => store.list(endpoint, filter),
    transaction(fn) {
      try {
        return store.transaction(fn);
      } catch (err) {
        cache.clear(); // rolled back: what the cache learned inside may not have happened
        throw err;
      }
    },
    forget(endpoint) {
      cache.delete(endpoint);
    },
  };
}
