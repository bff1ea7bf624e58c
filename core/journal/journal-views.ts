// The shapes the history APIs answer with: v2 compact and verbose, v1 compact and full, and the live-feed form.
import { isUtf8 } from 'node:buffer';
import type { CapturedExchange, JournalRow } from './journal-model.js';

export interface CompactEntry {
  id: string;
  date: string;
  method: string;
  path: string;
  status: number;
  timeTaken: number;
  rule: { matched: boolean; ruleId?: string; weightedResponse?: string };
  behavior: string;
}

function rule(ruleId: string | null | undefined, weightedResponse: unknown): CompactEntry['rule'] {
  if (ruleId == null) return { matched: false };
  return typeof weightedResponse === 'string' ? { matched: true, ruleId, weightedResponse } : { matched: true, ruleId };
}

/** The live feed's form, straight from the captured exchange. */
export function compactOf(c: CapturedExchange): CompactEntry {
  const behavior = typeof c.note?.behavior === 'string' ? c.note.behavior : c.ruleId !== undefined ? 'mock-rule' : 'default';
  return {
    id: c.id, date: new Date(c.date).toISOString(), method: c.method, path: c.url, status: c.status,
    timeTaken: Math.round(c.timeTaken), rule: rule(c.ruleId, c.note?.weightedResponse), behavior,
  };
}

export function v2Compact(r: JournalRow): CompactEntry {
  return {
    id: r.id, date: new Date(r.date).toISOString(), method: r.method, path: r.path, status: r.status,
    timeTaken: r.timeTaken, rule: rule(r.ruleId, r.meta.weightedResponse), behavior: r.behavior,
  };
}

/** Text when the bytes are UTF-8, else base64 with a flag: binary bodies are never mangled. */
function bodyView(bytes: Buffer, emptyAsNull: boolean): { body: string | null; bodyEncoding?: 'base64' } {
  if (bytes.length === 0) return { body: emptyAsNull ? null : '' };
  return isUtf8(bytes) ? { body: bytes.toString('utf8') } : { body: bytes.toString('base64'), bodyEncoding: 'base64' };
}

export function v2Verbose(r: JournalRow): object {
  const m = r.meta;
  return {
    ...v2Compact(r),
    request: {
      ...bodyView(r.requestBody, m.requestSize === 0), // null only when there was no body, not when none of it was kept
      headers: m.requestHeaders,
      httpVersion: m.httpVersion,
      redacted: m.redacted,
      size: m.requestSize,
      truncated: m.requestTruncated,
      isMultipart: r.isMultipart,
      ...(m.multipart ? { multipartData: m.multipart } : {}),
      ...(m.messages ? { messages: m.messages.request } : {}),
    },
    response: {
      ...bodyView(r.responseBody, false),
      headers: m.responseHeaders,
      httpVersion: m.httpVersion,
      redacted: m.responseRedacted ?? m.redacted,
      size: m.responseSize,
      truncated: m.responseTruncated,
      ...(m.responseBlobPath === undefined ? {} : { blob: true, blobPath: m.responseBlobPath }),
      ...(m.messages ? { messages: m.messages.response, messagesTruncated: m.messages.truncated } : {}),
    },
    ...(m.notes ?? {}),
  };
}

export function v1Compact(r: JournalRow): object {
  return { id: r.id, date: new Date(r.date).toISOString(), method: r.method, path: r.path, rule: r.ruleId !== null, status: r.status, timeTaken: r.timeTaken };
}

export function v1Full(r: JournalRow): object {
  return {
    id: r.id, date: new Date(r.date).toISOString(), timeTaken: r.timeTaken, method: r.method, path: r.path, status: r.status,
    rule: r.ruleId !== null,
    req: { b: bodyView(r.requestBody, false).body, h: r.meta.requestHeaders },
    res: { b: bodyView(r.responseBody, false).body, h: r.meta.responseHeaders },
  };
}
