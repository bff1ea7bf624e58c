// The embedded store: better-sqlite3 in WAL mode, one file in the data directory.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { StoredRule } from '../rules/rule-model.js';
import { MIGRATIONS } from './migrations.js';
import { createSqliteBlobs } from './sqlite-blobs.js';
import { createSqliteDataStores } from './sqlite-data-stores.js';
import { createSqliteDocuments } from './sqlite-documents.js';
import { createSqliteJournal } from './sqlite-journal.js';
import { createSqliteState } from './sqlite-state.js';
import type { EndpointRecord, Store } from './store.js';

export const databasePath = (dataDir: string): string => join(dataDir, 'mockgate.db');

/** One connection with mockgate's settings; the journal writer thread opens its own. */
export function openDatabase(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL'); // with WAL: durable across process crashes, fsync only at checkpoints
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

export function openSqliteStore(dataDir: string): Store {
  mkdirSync(dataDir, { recursive: true });
  const db = openDatabase(databasePath(dataDir));
  migrate(db);

  const q = {
    listEndpoints: db.prepare<[], { name: string; created_at: number; settings: string }>(
      'SELECT name, created_at, settings FROM endpoints ORDER BY name'),
    createEndpoint: db.prepare('INSERT OR IGNORE INTO endpoints (name, created_at, settings) VALUES (?, ?, ?)'),
    deleteEndpoint: db.prepare('DELETE FROM endpoints WHERE name = ?'),
    saveSettings: db.prepare('UPDATE endpoints SET settings = ? WHERE name = ?'),
    listRules: db.prepare<[string], { body: string }>('SELECT body FROM rules WHERE endpoint = ? ORDER BY position'),
    deleteRules: db.prepare('DELETE FROM rules WHERE endpoint = ?'),
    insertRule: db.prepare('INSERT INTO rules (endpoint, position, id, body) VALUES (?, ?, ?, ?)'),
  };

  const journal = createSqliteJournal(db);
  const deleteEndpoint = db.transaction((name: string) => {
    journal.deleteEndpoint(name);
    return q.deleteEndpoint.run(name).changes === 1;
  });

  const replaceRules = db.transaction((endpoint: string, rules: readonly StoredRule[]) => {
    q.deleteRules.run(endpoint);
    rules.forEach((rule, position) => q.insertRule.run(endpoint, position, rule.id, JSON.stringify(rule)));
  });

  return {
    listEndpoints: (): EndpointRecord[] =>
      q.listEndpoints.all().map((r) => ({ name: r.name, createdAt: r.created_at, settings: JSON.parse(r.settings) })),
    createEndpoint: (r) => q.createEndpoint.run(r.name, r.createdAt, JSON.stringify(r.settings)).changes === 1,
    deleteEndpoint: (name) => deleteEndpoint.immediate(name),
    saveSettings: (name, settings) => {
      q.saveSettings.run(JSON.stringify(settings), name);
    },
    listRules: (endpoint) => q.listRules.all(endpoint).map((r) => JSON.parse(r.body) as StoredRule),
    replaceRules: (endpoint, rules) => replaceRules.immediate(endpoint, rules),
    journal,
    state: createSqliteState(db),
    dataStores: createSqliteDataStores(db),
    documents: createSqliteDocuments(db),
    blobs: createSqliteBlobs(db),
    close: () => db.close(),
  };
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let i = version; i < MIGRATIONS.length; i++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[i]!);
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
}
