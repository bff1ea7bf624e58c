// The journal's SQL: batched inserts, newest-first scans from a cursor, deletes, retention.
import type Database from 'better-sqlite3';
import type { JournalFile, JournalMeta, JournalRow, NewJournalEntry } from '../journal/journal-model.js';
import type { JournalColumnFilter, JournalStore } from './store.js';

interface Row {
  seq: number;
  id: string;
  endpoint: string;
  date: number;
  method: string;
  path: string;
  status: number;
  time_taken: number;
  rule_id: string | null;
  behavior: string;
  is_multipart: number;
  request_body: Buffer;
  response_body: Buffer;
  meta: string;
}

const EMPTY = Buffer.alloc(0);

function toRow(r: Row): JournalRow {
  return {
    seq: r.seq, id: r.id, endpoint: r.endpoint, date: r.date, method: r.method, path: r.path, status: r.status,
    timeTaken: r.time_taken, ruleId: r.rule_id, behavior: r.behavior, isMultipart: r.is_multipart === 1,
    requestBody: r.request_body ?? EMPTY, responseBody: r.response_body ?? EMPTY, meta: JSON.parse(r.meta) as JournalMeta,
  };
}

/** Column filters as SQL; every value is a bound parameter. */
function whereOf(endpoint: string, f: JournalColumnFilter, beforeSeq: number | undefined): { sql: string; params: unknown[] } {
  const clauses = ['endpoint = ?'];
  const params: unknown[] = [endpoint];
  const add = (clause: string, value: unknown): void => {
    clauses.push(clause);
    params.push(value);
  };
  if (beforeSeq !== undefined) add('seq < ?', beforeSeq);
  if (f.id !== undefined) add('id = ?', f.id);
  if (f.method !== undefined) add('method = ?', f.method);
  if (f.status !== undefined) add('status = ?', f.status);
  if (f.behavior !== undefined) add('behavior = ?', f.behavior);
  if (f.ruleMatched !== undefined) clauses.push(f.ruleMatched ? 'rule_id IS NOT NULL' : 'rule_id IS NULL');
  if (f.isMultipart !== undefined) add('is_multipart = ?', f.isMultipart ? 1 : 0);
  if (f.dateFrom !== undefined) add('date >= ?', f.dateFrom);
  if (f.dateTo !== undefined) add('date <= ?', f.dateTo);
  return { sql: clauses.join(' AND '), params };
}

export function createSqliteJournal(db: Database.Database): JournalStore {
  // only for an endpoint that still exists: entries queued when their endpoint was deleted must not outlive it
  const insertEntry = db.prepare(`INSERT INTO journal (id, endpoint, date, method, path, status, time_taken, rule_id, behavior,
    is_multipart, request_body, response_body, meta) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
    WHERE EXISTS (SELECT 1 FROM endpoints WHERE name = ?)`);
  const insertFile = db.prepare(`INSERT INTO journal_files (request_seq, component, field_name, file_name, content_type, bytes)
    VALUES (?, ?, ?, ?, ?, ?)`);
  const getOne = db.prepare<[string, string], Row>('SELECT * FROM journal WHERE endpoint = ? AND id = ?');
  const fileOf = db.prepare<[string, string, string, string], { file_name: string; content_type: string; bytes: Buffer }>(
    `SELECT f.file_name, f.content_type, f.bytes FROM journal_files f JOIN journal j ON j.seq = f.request_seq
     WHERE j.endpoint = ? AND j.id = ? AND f.component = ? AND f.field_name = ? LIMIT 1`);
  const dropOldest = db.prepare('DELETE FROM journal WHERE seq IN (SELECT seq FROM journal WHERE endpoint = ? ORDER BY seq LIMIT ?)');
  const purgeBefore = db.prepare('DELETE FROM journal WHERE date < ?');
  const deleteEndpoint = db.prepare('DELETE FROM journal WHERE endpoint = ?');
  const deleteSeq = db.prepare('DELETE FROM journal WHERE seq = ?');

  const insert = db.transaction((entries: readonly NewJournalEntry[]) => {
    for (const e of entries) {
      const { changes, lastInsertRowid } = insertEntry.run(e.id, e.endpoint, e.date, e.method, e.path, e.status, e.timeTaken,
        e.ruleId, e.behavior, e.isMultipart ? 1 : 0, e.requestBody, e.responseBody, JSON.stringify(e.meta), e.endpoint);
      if (changes === 0) continue;
      for (const f of e.files) insertFile.run(lastInsertRowid, f.component, f.fieldName, f.fileName, f.contentType, f.bytes);
    }
  });
  const deleteMany = db.transaction((seqs: readonly number[]) => seqs.reduce((n, seq) => n + deleteSeq.run(seq).changes, 0));

  return {
    insert: (entries) => insert.immediate(entries),
    scan(endpoint, filter, beforeSeq, limit) {
      const { sql, params } = whereOf(endpoint, filter, beforeSeq);
      return db.prepare<unknown[], Row>(`SELECT * FROM journal WHERE ${sql} ORDER BY seq DESC LIMIT ?`).all(...params, limit).map(toRow);
    },
    count(endpoint, filter) {
      const { sql, params } = whereOf(endpoint, filter, undefined);
      return (db.prepare<unknown[], { n: number }>(`SELECT count(*) AS n FROM journal WHERE ${sql}`).get(...params))!.n;
    },
    get: (endpoint, id) => {
      const row = getOne.get(endpoint, id);
      return row ? toRow(row) : undefined;
    },
    file(endpoint, id, component, fieldName): Omit<JournalFile, 'component' | 'fieldName'> | undefined {
      const row = fileOf.get(endpoint, id, component, fieldName);
      return row ? { fileName: row.file_name, contentType: row.content_type, bytes: row.bytes } : undefined;
    },
    delete: (seqs) => deleteMany.immediate(seqs),
    dropOldest: (endpoint, count) => dropOldest.run(endpoint, count).changes,
    purgeBefore: (date) => purgeBefore.run(date).changes,
    deleteEndpoint: (endpoint) => {
      deleteEndpoint.run(endpoint);
    },
  };
}
