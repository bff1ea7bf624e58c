// Endpoint documents in SQLite: one row per (endpoint, path), the text as uploaded.
import type Database from 'better-sqlite3';
import type { DocumentStore } from './store.js';

export function createSqliteDocuments(db: Database.Database): DocumentStore {
  const all = db.prepare<[string], { path: string; content: string }>('SELECT path, content FROM endpoint_documents WHERE endpoint = ?');
  const put = db.prepare(`INSERT INTO endpoint_documents (endpoint, path, content, updated_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (endpoint, path) DO UPDATE SET content = excluded.content, updated_at = excluded.updated_at`);
  const remove = db.prepare('DELETE FROM endpoint_documents WHERE endpoint = ? AND path = ?');
  return {
    all: (endpoint) => new Map(all.all(endpoint).map((row) => [row.path, row.content])),
    put: (endpoint, path, content, updatedAt) => void put.run(endpoint, path, content, updatedAt),
    delete: (endpoint, path) => remove.run(endpoint, path).changes === 1,
  };
}
