// Data stores, their records and data structures in SQLite. Triggers keep each store's record count and size.
import type Database from 'better-sqlite3';
import type { DataRecordRow, DataStoreRow, DataStoreSortKey, DataStoreStore, DataStructureRow } from './store.js';

interface StoreRow {
  id: number;
  name: string;
  records: number;
  size: number;
  max_size_mb: number;
  datastructure_id: number | null;
  crud_path: string | null;
}

const STORE_COLUMNS = 'id, name, records, size, max_size_mb, datastructure_id, crud_path';
// name ties (names need not be unique) fall back to the id, so pages never overlap
const ORDER: Record<DataStoreSortKey, string> = {
  name: 'name COLLATE NOCASE %, name %, id',
  records: 'records %, id',
  size: 'size %, id',
};

const toStore = (r: StoreRow): DataStoreRow => ({
  id: r.id, name: r.name, records: r.records, size: r.size, maxSizeMB: r.max_size_mb, datastructureId: r.datastructure_id, crudPath: r.crud_path,
});

const toStructure = (r: { id: number; name: string; schema: string }): DataStructureRow => ({ id: r.id, name: r.name, schema: JSON.parse(r.schema) });

export function createSqliteDataStores(db: Database.Database): DataStoreStore {
  const q = {
    getStore: db.prepare<[string, number], StoreRow>(`SELECT ${STORE_COLUMNS} FROM data_stores WHERE endpoint = ? AND id = ?`),
    findCrud: db.prepare<[string, string], StoreRow>(`SELECT ${STORE_COLUMNS} FROM data_stores WHERE endpoint = ? AND crud_path = ?`),
    insertStore: db.prepare('INSERT INTO data_stores (endpoint, name, max_size_mb, datastructure_id, crud_path) VALUES (?, ?, ?, ?, ?)'),
    deleteStore: db.prepare('DELETE FROM data_stores WHERE endpoint = ? AND id = ?'),
    storesUsing: db.prepare<[string, number], { id: number }>('SELECT id FROM data_stores WHERE endpoint = ? AND datastructure_id = ? ORDER BY id'),
    listStructures: db.prepare<[string, number, number], { id: number; name: string; schema: string }>(
      'SELECT id, name, schema FROM data_structures WHERE endpoint = ? ORDER BY name COLLATE NOCASE, name, id LIMIT ? OFFSET ?'),
    getStructure: db.prepare<[string, number], { id: number; name: string; schema: string }>(
      'SELECT id, name, schema FROM data_structures WHERE endpoint = ? AND id = ?'),
    insertStructure: db.prepare('INSERT INTO data_structures (endpoint, name, schema) VALUES (?, ?, ?)'),
    deleteStructure: db.prepare('DELETE FROM data_structures WHERE endpoint = ? AND id = ?'),
    listRecords: db.prepare<[number, number, number], DataRecordRow>(
      'SELECT key, data AS json, size FROM data_records WHERE store_id = ? ORDER BY seq LIMIT ? OFFSET ?'),
    getRecord: db.prepare<[string, number, string], DataRecordRow>(`SELECT r.key, r.data AS json, r.size FROM data_records r
      JOIN data_stores s ON s.id = r.store_id WHERE s.endpoint = ? AND r.store_id = ? AND r.key = ?`),
    insertRecord: db.prepare('INSERT INTO data_records (store_id, key, data, size) VALUES (?, ?, ?, ?)'),
    updateRecord: db.prepare('UPDATE data_records SET data = ?, size = ? WHERE store_id = ? AND key = ?'),
    deleteRecord: db.prepare('DELETE FROM data_records WHERE store_id = ? AND key = ?'),
    deleteAllRecords: db.prepare('DELETE FROM data_records WHERE store_id = ?'),
    oldest: db.prepare<[number, string, number], { seq: number; size: number }>(
      'SELECT seq, size FROM data_records WHERE store_id = ? AND key != ? ORDER BY seq LIMIT ?'),
    deleteSeq: db.prepare('DELETE FROM data_records WHERE seq = ?'),
  };

  const update = (table: string, endpoint: string, id: number, columns: Record<string, unknown>): void => {
    const set = Object.entries(columns).filter(([, v]) => v !== undefined);
    if (set.length === 0) return;
    db.prepare(`UPDATE ${table} SET ${set.map(([c]) => `${c} = ?`).join(', ')} WHERE endpoint = ? AND id = ?`)
      .run(...set.map(([, v]) => v), endpoint, id);
  };

  return {
    listStores(endpoint, { sortBy, sortDir, offset, limit }) {
      const order = ORDER[sortBy].replaceAll('%', sortDir.toUpperCase());
      return db.prepare<[string, number, number], StoreRow>(
        `SELECT ${STORE_COLUMNS} FROM data_stores WHERE endpoint = ? ORDER BY ${order} LIMIT ? OFFSET ?`)
        .all(endpoint, limit, offset).map(toStore);
    },
    getStore(endpoint, id) {
      const row = q.getStore.get(endpoint, id);
      return row ? toStore(row) : undefined;
    },
    findCrudStore(endpoint, crudPath) {
      const row = q.findCrud.get(endpoint, crudPath);
      return row ? toStore(row) : undefined;
    },
    insertStore(endpoint, s) {
      const id = Number(q.insertStore.run(endpoint, s.name, s.maxSizeMB, s.datastructureId, s.crudPath).lastInsertRowid);
      return { ...s, id, records: 0, size: 0 };
    },
    updateStore(endpoint, id, f) {
      update('data_stores', endpoint, id, { name: f.name, max_size_mb: f.maxSizeMB, datastructure_id: f.datastructureId });
    },
    deleteStores(endpoint, ids) {
      return ids.filter((id) => q.deleteStore.run(endpoint, id).changes === 1);
    },
    storesUsingStructure: (endpoint, structureId) => q.storesUsing.all(endpoint, structureId).map((r) => r.id),

    listStructures: (endpoint, { offset, limit }) => q.listStructures.all(endpoint, limit, offset).map(toStructure),
    getStructure(endpoint, id) {
      const row = q.getStructure.get(endpoint, id);
      return row ? toStructure(row) : undefined;
    },
    insertStructure(endpoint, s) {
      const id = Number(q.insertStructure.run(endpoint, s.name, JSON.stringify(s.schema)).lastInsertRowid);
      return { id, name: s.name, schema: s.schema };
    },
    updateStructure(endpoint, id, f) {
      update('data_structures', endpoint, id, { name: f.name, schema: f.schema === undefined ? undefined : JSON.stringify(f.schema) });
    },
    deleteStructure: (endpoint, id) => q.deleteStructure.run(endpoint, id).changes === 1,

    listRecords: (storeId, { offset, limit }) => q.listRecords.all(storeId, limit, offset),
    getRecord: (endpoint, storeId, key) => q.getRecord.get(endpoint, storeId, key),
    insertRecord(storeId, r) {
      q.insertRecord.run(storeId, r.key, r.json, r.size);
    },
    updateRecord(storeId, r) {
      q.updateRecord.run(r.json, r.size, storeId, r.key);
    },
    deleteRecords: (storeId, keys) => keys.reduce((n, key) => n + q.deleteRecord.run(storeId, key).changes, 0),
    deleteAllRecords: (storeId) => q.deleteAllRecords.run(storeId).changes,
    dropOldest(storeId, bytes, keepKey) {
      let freed = 0;
      let dropped = 0;
      while (freed < bytes) {
        // read a batch, then delete: better-sqlite3 cannot write while a statement is still iterating
        const batch = q.oldest.all(storeId, keepKey, 256);
        if (batch.length === 0) break;
        for (const { seq, size } of batch) {
          if (freed >= bytes) break;
          q.deleteSeq.run(seq);
          freed += size;
          dropped++;
        }
      }
      return dropped;
    },
    // IMMEDIATE: a deferred transaction that reads, then writes, fails at once (SQLITE_BUSY, no waiting) when the
    // journal writer thread committed in between; taking the write lock first makes it wait like any other write
    transaction: <T>(fn: () => T): T => db.transaction(fn).immediate(),
  };
}
