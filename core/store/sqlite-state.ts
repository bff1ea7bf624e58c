// State items in SQLite: one row per (endpoint, type, key), the value as JSON.
import type Database from 'better-sqlite3';
import type { StateItem, StateType } from '../contract.js';
import type { StateStore } from './store.js';

interface Row {
  type: StateType;
  key: string;
  value: string;
  last_modified: number;
}

const toItem = (r: Row): StateItem => ({ type: r.type, key: r.key, value: JSON.parse(r.value), lastModified: r.last_modified });

export function createSqliteState(db: Database.Database): StateStore {
  const get = db.prepare<[string, string, string], Row>('SELECT type, key, value, last_modified FROM state_items WHERE endpoint = ? AND type = ? AND key = ?');
  const upsert = db.prepare(`INSERT INTO state_items (endpoint, type, key, value, last_modified) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (endpoint, type, key) DO UPDATE SET value = excluded.value, last_modified = excluded.last_modified`);
  const remove = db.prepare('DELETE FROM state_items WHERE endpoint = ? AND type = ? AND key = ?');
  const removeAll = db.prepare('DELETE FROM state_items WHERE endpoint = ?');

  return {
    get(endpoint, type, key) {
      const row = get.get(endpoint, type, key);
      return row ? toItem(row) : undefined;
    },
    put(endpoint, item) {
      upsert.run(endpoint, item.type, item.key, JSON.stringify(item.value), item.lastModified);
    },
    delete: (endpoint, type, key) => remove.run(endpoint, type, key).changes === 1,
    deleteAll: (endpoint) => removeAll.run(endpoint).changes,
    list(endpoint, { type, keyPrefix, offset, limit }) {
      const where = ['endpoint = ?'];
      const params: unknown[] = [endpoint];
      if (type !== undefined) {
        where.push('type = ?');
        params.push(type);
      }
      if (keyPrefix !== undefined && keyPrefix !== '') {
        // substr comparison, not LIKE: a prefix with % or _ means those characters. SQLite counts characters (code
        // points), not UTF-16 units: a prefix with an emoji would otherwise compare one character too many.
        where.push('substr(key, 1, ?) = ?');
        params.push([...keyPrefix].length, keyPrefix);
      }
      const sql = where.join(' AND ');
      const total = (db.prepare<unknown[], { n: number }>(`SELECT count(*) AS n FROM state_items WHERE ${sql}`).get(...params))!.n;
      const items = db.prepare<unknown[], Row>(`SELECT type, key, value, last_modified FROM state_items WHERE ${sql}
        ORDER BY key, type LIMIT ? OFFSET ?`).all(...params, limit, offset).map(toItem);
      return { items, total };
    },
    // immediate: take the write lock first, so a read-then-write never fails on the journal writer's commits
    transaction: <T>(fn: () => T): T => db.transaction(fn).immediate(),
  };
}
