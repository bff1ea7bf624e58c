// History filters (v1 and v2 query parameters) and the newest-first, cursor-paged search over the journal.
import { MockgateError, type ErrorCode } from '../errors.js';
import { compileSafeRegex } from '../rules/safe-regex.js';
import type { JournalColumnFilter, JournalStore } from '../store/store.js';
import { BEHAVIORS, type JournalRow } from './journal-model.js';

export interface JournalQuery {
  column: JournalColumnFilter;
  path?: TextPattern;
  requestBody?: TextPattern;
  responseBody?: TextPattern;
}

type TextPattern = (text: string) => boolean;
type Params = Record<string, unknown>;

/** Regex first (the linear-time engine), a literal search when the text is not a valid pattern. */
function textPattern(source: string): TextPattern {
  try {
    const re = compileSafeRegex(source);
    return (text) => re.test(text);
  } catch {
    return (text) => text.includes(source);
  }
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

function single(params: Params, name: string): string | undefined {
  const v = params[name];
  return Array.isArray(v) ? String(v[0]) : v === undefined ? undefined : String(v);
}

class Reader {
  constructor(private readonly params: Params, private readonly code: ErrorCode) {}

  fail(name: string, message: string): never {
    throw new MockgateError(this.code, `${name}: ${message}`, name);
  }

  text(name: string): string | undefined {
    const v = single(this.params, name);
    return v === undefined || v === '' ? undefined : v;
  }

  bool(name: string): boolean | undefined {
    const v = this.text(name);
    if (v === undefined) return undefined;
    if (v !== 'true' && v !== 'false') this.fail(name, `must be true or false, got "${v}"`);
    return v === 'true';
  }

  date(name: string): number | undefined {
    const v = this.text(name);
    if (v === undefined) return undefined;
    const t = Date.parse(v);
    if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(t)) this.fail(name, `must be an ISO 8601 date-time, got "${v}"`);
    return t;
  }

  duration(name: string): number | undefined {
    const v = this.text(name);
    if (v === undefined) return undefined;
    const m = /^(\d{1,6})([smhdw])$/.exec(v);
    if (!m) this.fail(name, `must be a number and a unit (s, m, h, d, w), like 10m, 24h or 7d; got "${v}"`);
    return Number(m[1]) * UNIT_MS[m[2]!]!;
  }

  int(name: string, min: number, max: number, fallback: number): number {
    const v = this.text(name);
    if (v === undefined) return fallback;
    const n = /^\d+$/.test(v) ? Number(v) : NaN; // plain decimal digits only: no +5, 0x12C, 2e2, 200.0
    if (!Number.isInteger(n) || n < min || n > max) this.fail(name, `must be an integer from ${min} to ${max}, got "${v}"`);
    return n;
  }
}

/** The time window of dateFrom / dateTo / dateRange; a range extends from whichever end is given, or back from now. */
function window(r: Reader, now: number, strict: boolean): Pick<JournalColumnFilter, 'dateFrom' | 'dateTo'> {
  let from = r.date('dateFrom');
  let to = r.date('dateTo');
  const range = r.duration('dateRange');
  if (range !== undefined) {
    if (from !== undefined && to !== undefined) {
      if (strict) r.fail('dateRange', 'cannot be combined with both dateFrom and dateTo');
    } else if (from !== undefined) to = from + range;
    else if (to !== undefined) from = to - range;
    else from = now - range;
  }
  return { dateFrom: from, dateTo: to };
}

/** v2 filters; malformed values are a 400 naming the parameter. Unknown parameters are ignored. */
export function v2Query(params: Params, now: number): JournalQuery {
  const r = new Reader(params, 'validation_error');
  const status = r.text('status') === undefined ? undefined : r.int('status', 100, 599, 0);
  const behavior = r.text('behavior');
  if (behavior !== undefined && !(BEHAVIORS as readonly string[]).includes(behavior)) {
    r.fail('behavior', `must be one of ${BEHAVIORS.join(', ')}`);
  }
  const multipart = r.bool('isMultipart');
  const attachments = r.bool('hasAttachments'); // read (and checked) even when isMultipart is given
  const isMultipart = multipart ?? attachments;
  const query: JournalQuery = {
    column: {
      id: r.text('id'), method: r.text('method')?.toUpperCase(), status, behavior, ruleMatched: r.bool('ruleMatched'),
      isMultipart, ...window(r, now, true),
    },
  };
  const path = r.text('path');
  if (path !== undefined) query.path = textPattern(path);
  const requestBody = r.text('requestBody');
  if (requestBody !== undefined) query.requestBody = textPattern(requestBody);
  const responseBody = r.text('responseBody');
  if (responseBody !== undefined) query.responseBody = textPattern(responseBody);
  return query;
}

/** v1 filters, as the history v1 document describes them (an invalid status is ignored). */
export function v1Query(params: Params, now: number): JournalQuery {
  const r = new Reader(params, 'bad_request');
  const statusText = r.text('status');
  const status = statusText !== undefined && /^\d+$/.test(statusText) && Number(statusText) >= 200 && Number(statusText) <= 599
    ? Number(statusText) : undefined;
  const query: JournalQuery = { column: { method: r.text('method')?.toUpperCase(), status, ...window(r, now, false) } };
  const path = r.text('path');
  if (path !== undefined) query.path = textPattern(path);
  const reqBody = r.text('reqBody');
  if (reqBody !== undefined) query.requestBody = textPattern(reqBody);
  const resBody = r.text('resBody');
  if (resBody !== undefined) query.responseBody = textPattern(resBody);
  return query;
}

export function pageSize(params: Params, code: ErrorCode, name: string, max: number): number {
  return new Reader(params, code).int(name, 1, max, 20);
}

export function decodeCursor(params: Params): number | undefined {
  const v = single(params, 'cursor');
  if (v === undefined || v === '') return undefined;
  const seq = Number(Buffer.from(v, 'base64url').toString('utf8'));
  if (!Number.isInteger(seq) || seq <= 0) throw new MockgateError('validation_error', `cursor: "${v}" is not a cursor this server gave`, 'cursor');
  return seq;
}

const encodeCursor = (seq: number): string => Buffer.from(String(seq)).toString('base64url');

function matcher(q: JournalQuery): ((row: JournalRow) => boolean) | undefined {
  const { path, requestBody, responseBody } = q;
  if (!path && !requestBody && !responseBody) return undefined;
  return (row) =>
    (!path || path(row.path)) &&
    (!requestBody || requestBody(row.requestBody.toString('utf8')) ||
      (row.meta.multipart ?? []).some((p) => requestBody(p.fieldName) || (p.fileName !== undefined && requestBody(p.fileName)))) &&
    (!responseBody || responseBody(row.responseBody.toString('utf8')));
}

const SCAN_BATCH = 250;

/** Newest first from the cursor; the cursor names the last entry returned, so inserts meanwhile shift nothing. */
export function findPage(store: JournalStore, endpoint: string, q: JournalQuery, before: number | undefined, limit: number):
  { rows: JournalRow[]; hasMore: boolean; cursor: string | null } {
  const test = matcher(q);
  const rows: JournalRow[] = [];
  let from = before;
  while (rows.length <= limit) {
    const want = test ? SCAN_BATCH : limit + 1 - rows.length;
    const batch = store.scan(endpoint, q.column, from, want);
    for (const row of batch) {
      if (!test || test(row)) rows.push(row);
      if (rows.length > limit) break;
    }
    if (batch.length < want) break;
    from = batch[batch.length - 1]!.seq;
  }
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  return { rows: page, hasMore, cursor: hasMore ? encodeCursor(page[page.length - 1]!.seq) : null };
}

/** The seq of every matching entry (for filtered deletes). */
export function matchingSeqs(store: JournalStore, endpoint: string, q: JournalQuery): number[] {
  const test = matcher(q);
  const out: number[] = [];
  let from: number | undefined;
  for (;;) {
    const batch = store.scan(endpoint, q.column, from, SCAN_BATCH);
    for (const row of batch) if (!test || test(row)) out.push(row.seq);
    if (batch.length < SCAN_BATCH) return out;
    from = batch[batch.length - 1]!.seq;
  }
}

export function countMatching(store: JournalStore, endpoint: string, q: JournalQuery): number {
  return matcher(q) ? matchingSeqs(store, endpoint, q).length : store.count(endpoint, q.column);
}
