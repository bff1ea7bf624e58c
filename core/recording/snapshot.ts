// A recording's journal entries → mock rules: the latest answer per method and path, as the service gave it.
import { isUtf8 } from 'node:buffer';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { JournalRow } from '../journal/journal-model.js';
import { RULE_METHODS, type RuleBody } from '../rules/rule-model.js';

export interface SnapshotFilter {
  /** Only entries whose path (with its query) starts with this. */
  pathPrefix?: string;
  /** Only these methods (any case). */
  methods?: readonly string[];
}

export interface SkippedExchange {
  method: string;
  path: string;
  reason: string;
}

// Hop-by-hop headers (RFC 9110 §7.6.1) and those the server writes itself for every answer.
const NOT_REPLAYED = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te',
  'trailer', 'transfer-encoding', 'upgrade', 'content-length', 'date', 'x-beeceptor-rule-id']);
// what the `mock` action accepts (core/mock-response.ts)
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const MAX_HEADERS = 100;
const MAX_HEADER_VALUE = 8192;
const MAX_PATH = 2048;
const DECODERS: Record<string, (bytes: Buffer) => Buffer> = { gzip: gunzipSync, 'x-gzip': gunzipSync, deflate: inflateSync, br: brotliDecompressSync };

/**
 * Rules for the entries given newest first: one per distinct method + path (with query), from its newest entry; an
 * entry that cannot become a `mock` rule is reported instead. Rules come out in recording order, those with a query first.
 */
export function rulesFromRecording(rows: Iterable<JournalRow>, filter: SnapshotFilter): { rules: RuleBody[]; skipped: SkippedExchange[] } {
  const methods = filter.methods === undefined ? undefined : new Set(filter.methods.map((m) => m.toUpperCase()));
  const seen = new Set<string>();
  const rules: RuleBody[] = [];
  const skipped: SkippedExchange[] = [];
  for (const row of rows) {
    // a request the service did not answer (mockgate's 502 / 504) is not part of what it does
    if (row.meta.notes?.['forwardError'] !== undefined) continue;
    if (filter.pathPrefix !== undefined && !row.path.startsWith(filter.pathPrefix)) continue;
    if (methods !== undefined && !methods.has(row.method)) continue;
    const key = `${row.method} ${row.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const rule = ruleOf(row);
    if (typeof rule === 'string') skipped.push({ method: row.method, path: row.path, reason: rule });
    else rules.push(rule);
  }
  // `equals /users` also matches `/users?page=2`: rules naming a query go first, so each recorded URL gets its own answer
  const withQuery = (r: RuleBody): boolean => String(r.conditions[0]!['value']).includes('?');
  rules.reverse();
  return { rules: [...rules.filter(withQuery), ...rules.filter((r) => !withQuery(r))], skipped: skipped.reverse() };
}

/** The rule replaying one entry, or why there is none. */
function ruleOf(row: JournalRow): RuleBody | string {
  const { method, path, meta } = row;
  if (!(RULE_METHODS as readonly string[]).includes(method)) return `${method} cannot be a rule's method (HEAD is answered by GET rules)`;
  if (path.length > MAX_PATH) return `the path is longer than ${MAX_PATH} characters`;
  if (meta.responseTruncated) return 'the journal kept only part of the response body (see --journal-max-body-bytes)';
  const encoding = meta.responseHeaders['content-encoding']?.trim().toLowerCase();
  let body = row.responseBody;
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
    const decode = DECODERS[encoding];
    if (decode === undefined) return `the response body is ${encoding}-encoded, which a snapshot cannot decode`;
    try {
      body = decode(body);
    } catch {
      return `the response body is not valid ${encoding}`;
    }
  }
  if (!isUtf8(body)) return 'the response body is binary; a mock rule holds text only';
  const headers: Array<{ key: string; value: string }> = [];
  for (const [key, value] of Object.entries(meta.responseHeaders)) {
    if (NOT_REPLAYED.has(key) || (key === 'content-encoding' && encoding !== undefined)) continue;
    // a masked value (settings.journal.maskHeaders) is not the service's
    if (value === '***' && meta.responseRedacted === true) continue;
    if (!HEADER_NAME.test(key) || !HEADER_VALUE.test(value) || value.length > MAX_HEADER_VALUE) continue;
    if (headers.length < MAX_HEADERS) headers.push({ key, value });
  }
  return {
    enabled: true,
    method: method as RuleBody['method'],
    description: `recorded ${method} ${path}`.slice(0, 1024),
    conditions: [{ type: 'path', operator: 'equals', value: path }],
    action: { type: 'mock', status: row.status, headers, body: body.toString('utf8') },
  };
}
