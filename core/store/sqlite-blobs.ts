// Blob metadata in SQLite: one row per (endpoint, path); the bytes live in files (core/blobs).
import type Database from 'better-sqlite3';
import type { BlobRow, BlobStore } from './store.js';

interface Row {
  endpoint: string;
  path: string;
  content_type: string;
  size: number;
  sha256: string;
  created_at: number;
}

const COLUMNS = 'endpoint, path, content_type, size, sha256, created_at';
const toBlob = (r: Row): BlobRow & { endpoint: string } => ({
  endpoint: r.endpoint, path: r.path, contentType: r.content_type, size: r.size, sha256: r.sha256, createdAt: r.created_at,
});
const withoutEndpoint = ({ endpoint: _endpoint, ...blob }: BlobRow & { endpoint: string }): BlobRow => blob;

export function createSqliteBlobs(db: Database.Database): BlobStore {
  const q = {
    list: db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM blobs WHERE endpoint = ? ORDER BY created_at, path`),
    get: db.prepare<[string, string], Row>(`SELECT ${COLUMNS} FROM blobs WHERE endpoint = ? AND path = ?`),
    insert: db.prepare(`INSERT INTO blobs (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`),
    delete: db.prepare('DELETE FROM blobs WHERE endpoint = ? AND path = ?'),
    all: db.prepare<[], Row>(`SELECT ${COLUMNS} FROM blobs`),
  };
  return {
    list: (endpoint) => q.list.all(endpoint).map((r) => withoutEndpoint(toBlob(r))),
    get: (endpoint, path) => {
      const row = q.get.get(endpoint, path);
      return row === undefined ? undefined : withoutEndpoint(toBlob(row));
    },
    insert: (endpoint, b) => void q.insert.run(endpoint, b.path, b.contentType, b.size, b.sha256, b.createdAt),
    delete: (endpoint, path) => q.delete.run(endpoint, path).changes === 1,
    all: () => q.all.all().map(toBlob),
  };
}
