// Turns a captured exchange into the stored entry: lower-case headers, masking, capped bodies, multipart parts.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import busboy from 'busboy';
import type { JournalMessage } from '../contract.js';
import type { CapturedExchange, JournalFile, JournalMeta, MultipartPart, NewJournalEntry, StoredBody } from './journal-model.js';

const ALWAYS_MASKED = ['authorization', 'cookie', 'set-cookie', 'proxy-authorization', 'x-api-key'];
const EMPTY = Buffer.alloc(0);

export function storedBody(body: Buffer | string | undefined, size: number, cap: number): StoredBody {
  const bytes = body === undefined ? EMPTY : typeof body === 'string' ? Buffer.from(body) : body;
  const kept = bytes.length > cap ? bytes.subarray(0, cap) : bytes;
  const total = Math.max(size, bytes.length);
  // truncated whenever bytes are missing: cut here at the cap, or never read by the data plane (over maxBodyBytes)
  return { bytes: kept, size: total, truncated: kept.length < total };
}

function headerMap(headers: IncomingHttpHeaders | OutgoingHttpHeaders, masked: ReadonlySet<string> | undefined): { map: Record<string, string>; redacted: boolean } {
  const map: Record<string, string> = {};
  let redacted = false;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    if (masked?.has(key)) {
      map[key] = '***';
      redacted = true;
    } else {
      map[key] = Array.isArray(value) ? value.join(', ') : String(value);
    }
  }
  return { map, redacted };
}

export async function toEntry(c: CapturedExchange, bodyCap: number): Promise<NewJournalEntry> {
  const masked = c.journal.maskHeaders
    ? new Set([...ALWAYS_MASKED, ...(c.journal.maskedHeaders ?? []).map((h) => h.toLowerCase())])
    : undefined;
  const request = headerMap(c.requestHeaders, masked);
  const responseHeaders = c.ruleId === undefined ? c.responseHeaders : { ...c.responseHeaders, 'x-beeceptor-rule-id': c.ruleId };
  const response = headerMap(responseHeaders, masked);
  const req = storedBody(c.requestBody, c.requestSize, bodyCap);
  // a blob's bytes stay in blob storage: the entry keeps its path and size, not a copy
  const res = c.responseBlob === undefined ? storedBody(c.responseBody, 0, bodyCap) : { bytes: EMPTY, size: c.responseBlob.size, truncated: false };
  const contentType = request.map['content-type'] ?? '';
  const multipart = contentType.toLowerCase().startsWith('multipart/form-data') && req.bytes.length > 0
    ? await parseMultipart(req.bytes, contentType)
    : undefined;
  const { weightedResponse, behavior, ...notes } = c.note ?? {};
  return {
    id: c.id,
    endpoint: c.endpoint,
    date: c.date,
    method: c.method,
    path: c.url,
    status: c.status,
    timeTaken: Math.round(c.timeTaken),
    ruleId: c.ruleId ?? null,
    behavior: typeof behavior === 'string' ? behavior : c.ruleId !== undefined ? 'mock-rule' : 'default',
    isMultipart: multipart !== undefined,
    requestBody: req.bytes,
    responseBody: res.bytes,
    meta: {
      httpVersion: c.httpVersion,
      requestHeaders: request.map,
      responseHeaders: response.map,
      requestSize: req.size,
      responseSize: res.size,
      requestTruncated: req.truncated,
      responseTruncated: res.truncated,
      redacted: request.redacted,
      responseRedacted: response.redacted,
      ...(typeof weightedResponse === 'string' ? { weightedResponse } : {}),
      ...(c.responseBlob ? { responseBlobPath: c.responseBlob.path } : {}),
      ...(multipart ? { multipart: multipart.parts } : {}),
      ...(Object.keys(notes).length > 0 ? { notes } : {}),
      ...(c.messages ? { messages: cappedMessages(c.messages, bodyCap) } : {}),
    },
    files: multipart?.files ?? [],
  };
}

/** The messages each way while their JSON fits the body cap: a long stream keeps its beginning. */
function cappedMessages(messages: NonNullable<CapturedExchange['messages']>, cap: number): NonNullable<JournalMeta['messages']> {
  let truncated = false;
  const keep = (list: JournalMessage[]): JournalMessage[] => {
    let size = 0;
    const kept: JournalMessage[] = [];
    for (const m of list) {
      size += JSON.stringify(m).length;
      if (size > cap) {
        truncated = true;
        break;
      }
      kept.push(m);
    }
    return kept;
  };
  return { request: keep(messages.request), response: keep(messages.response), truncated };
}

/** Parts of a multipart/form-data body: text fields with their value, files with their bytes. A broken body yields what parsed. */
function parseMultipart(body: Buffer, contentType: string): Promise<{ parts: MultipartPart[]; files: JournalFile[] }> {
  return new Promise((resolve) => {
    const parts: MultipartPart[] = [];
    const files: JournalFile[] = [];
    const done = (): void => resolve({ parts, files });
    let parser: busboy.Busboy;
    try {
      // browsers send non-ASCII file names as raw UTF-8 in filename="…"; busboy's default reads them as latin1
      parser = busboy({ headers: { 'content-type': contentType }, defParamCharset: 'utf8', limits: { fieldSize: body.length, fileSize: body.length } });
    } catch {
      return done();
    }
    parser.on('field', (fieldName, value, info) => {
      parts.push({ fieldName, contentType: info.mimeType, size: Buffer.byteLength(value), value });
    });
    parser.on('file', (fieldName, stream, info) => {
      const chunks: Buffer[] = [];
      const fileName = info.filename ?? '';
      // its place is taken now: a field that follows may be reported before this file's stream ends
      const part: MultipartPart = { fieldName, fileName, contentType: info.mimeType, size: 0 };
      parts.push(part);
      stream.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        part.size += chunk.length;
      });
      stream.on('end', () => {
        files.push({ component: 'Request', fieldName, fileName, contentType: info.mimeType, bytes: Buffer.concat(chunks) });
      });
      // a cut body (over the journal cap, or an unfinished upload) ends the file with an error: keep its metadata, no
      // partial file; without this listener the error is an uncaught exception that takes the server down
      stream.on('error', () => {});
    });
    parser.on('close', done);
    parser.on('error', done);
    Readable.from([body]).pipe(parser);
  });
}
