// The request a callout sends to its target: prepared when the rule is written, built per request, sent with fetch;
// the target's answer relayed back, and both sides as the journal shows them.
import { isUtf8 } from 'node:buffer';
import type { OutgoingHttpHeaders } from 'node:http';
import { MockgateError, headerValue, isMockgateError, type CompileContext, type EndpointSettings, type Exchange, type MockResponse, type TemplateRef } from '../../../core/contract.js';
import type { HeaderSpec } from '../../../core/contract.js';

export type CalloutMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS' | 'TRACE' | '*';

export interface TargetSpec {
  url: string;
  method: CalloutMethod;
  headers: readonly HeaderSpec[];
  /** Absent: the incoming request's body is forwarded. */
  body?: string;
  templated: boolean;
}

export interface TargetRequest {
  method: string;
  url: string;
  headers: Array<[string, string]>;
  body: Buffer | undefined;
}

/** Builds the target request for one exchange. */
export interface PreparedTarget {
  /** Some part of it reads the incoming body (forwarded, or a template reads it). */
  readonly needsBody: boolean;
  build(ex: Exchange): Promise<TargetRequest>;
}

// fetch refuses these or sets them itself (host from the URL, the length from the body)
const NOT_SENT = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'expect', 'content-length', 'host', 'te', 'trailer', 'proxy-connection']);
// hop-by-hop (RFC 9110 §7.6.1) or framing: mockgate frames the relayed body itself, and fetch has decoded it already
const NOT_RELAYED = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer',
  'transfer-encoding', 'upgrade', 'content-length', 'content-encoding']);
const NO_BODY_METHODS = new Set(['GET', 'HEAD']);

export function prepareTarget(cx: CompileContext, spec: TargetSpec): PreparedTarget {
  let url: URL;
  try {
    url = new URL(spec.url);
  } catch {
    return cx.fail(`"${spec.url}" is not a valid URL`, 'callout/url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') cx.fail('must be an http:// or https:// URL', 'callout/url');
  if (!url.hostname) cx.fail('must name a host', 'callout/url');
  if (url.username || url.password) cx.fail('must not carry credentials; send them in an Authorization header instead', 'callout/url');
  // fetch cannot send TRACE; an explicit GET has no room for a body
  if (spec.method === 'TRACE') cx.fail('TRACE cannot be sent by a callout (fetch refuses it); use another method or "*"', 'callout/method');
  if (spec.method === 'GET' && spec.body !== undefined) cx.fail('a GET callout cannot carry a body; remove body or pick another method', 'callout/body');

  const headers = spec.headers.map(({ key, value, templated }, i) => ({
    key,
    value,
    template: templated ? cx.template(value, `callout/headers/${i}/value`) : undefined,
  })).filter(({ key }) => !NOT_SENT.has(key.toLowerCase()));
  const bodyTemplate = spec.templated && spec.body !== undefined ? cx.template(spec.body, 'callout/body') : undefined;
  const fixedBody = spec.body === undefined ? undefined : Buffer.from(spec.body);
  const setsContentType = headers.some(({ key }) => key.toLowerCase() === 'content-type');
  const target = url.href;
  const templates: TemplateRef[] = [...headers.flatMap(({ template }) => (template ? [template] : [])), ...(bodyTemplate ? [bodyTemplate] : [])];

  return {
    needsBody: spec.body === undefined || templates.some((t) => t.needsBody),
    async build(ex) {
      const method = spec.method === '*' ? ex.request.method : spec.method;
      const out: Array<[string, string]> = [];
      for (const { key, value, template } of headers) out.push([key, template ? await ex.render(template) : value]);
      let body: Buffer | undefined;
      if (spec.body === undefined) {
        body = await ex.readBody();
        const contentType = headerValue(ex.request, 'content-type');
        if (!setsContentType && contentType !== undefined && body.length > 0) out.push(['content-type', contentType]);
      } else {
        body = bodyTemplate ? Buffer.from(await ex.render(bodyTemplate)) : fixedBody;
      }
      if (NO_BODY_METHODS.has(method) || body?.length === 0) body = undefined;
      return { method, url: target, headers: out, body };
    },
  };
}

/** Where a message may point: the target without its query string, which may hold a token. */
export function describeTarget(request: TargetRequest): string {
  const url = new URL(request.url);
  return `${request.method} ${url.origin}${url.pathname}`;
}

export interface TargetResponse {
  status: number;
  headers: Headers;
  body: Buffer;
}

/**
 * Sends the request; the whole exchange, body included, must finish within timeoutMs. Throws a MockgateError:
 * `gateway_timeout` past the time limit, `bad_gateway` when the target cannot be reached, breaks off, or answers
 * with more than maxBytes. With maxBytes 0 the body is not read.
 */
export async function sendToTarget(request: TargetRequest, timeoutMs: number, maxBytes: number, cancel?: AbortSignal): Promise<TargetResponse> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = cancel ? AbortSignal.any([timeout, cancel]) : timeout;
  const where = describeTarget(request);
  try {
    const res = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body, redirect: 'manual', signal });
    const chunks: Uint8Array[] = [];
    let size = 0;
    if (maxBytes === 0) {
      await res.body?.cancel();
    } else if (res.body) {
      for await (const chunk of res.body) {
        size += chunk.length;
        if (size > maxBytes) throw new MockgateError('bad_gateway', `callout to ${where} answered with more than ${maxBytes} bytes`);
        chunks.push(chunk);
      }
    }
    return { status: res.status, headers: res.headers, body: Buffer.concat(chunks, size) };
  } catch (err) {
    if (timeout.aborted) throw new MockgateError('gateway_timeout', `callout to ${where} did not answer within ${timeoutMs} ms`, undefined, undefined, { cause: err });
    if (cancel?.aborted) throw new MockgateError('bad_gateway', `callout to ${where} was cancelled: the client went away or the server is stopping`, undefined, undefined, { cause: err });
    if (isMockgateError(err)) throw err;
    throw new MockgateError('bad_gateway', `callout to ${where} failed: ${reason(err)}`, undefined, undefined, { cause: err });
  }
}

/** fetch says only "fetch failed"; the cause says why (ECONNREFUSED, a DNS failure, a bad certificate). */
function reason(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.message === 'string' && cause.message) return cause.message;
  if (typeof cause?.code === 'string') return cause.code;
  return err instanceof Error ? err.message : String(err);
}

/** The target's answer as mockgate's: hop-by-hop and framing headers dropped, the body re-framed. */
export function relay(res: TargetResponse): MockResponse {
  const listed = new Set((res.headers.get('connection') ?? '').split(',').map((t) => t.trim().toLowerCase()));
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of res.headers) {
    if (NOT_RELAYED.has(name) || listed.has(name) || name === 'set-cookie') continue;
    headers[name] = value;
  }
  const cookies = res.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  // 204 and 304 carry no body, and no length either
  if (res.status === 204 || res.status === 304) return { status: res.status, headers };
  headers['content-length'] = res.body.length;
  return { status: res.status, headers, body: res.body };
}

/** A body as the journal note keeps it: at most JOURNAL_BODY_BYTES, text when UTF-8, else base64. */
export interface NotedBody {
  body: string;
  bodyEncoding?: 'base64';
  size: number;
  truncated: boolean;
}

export const JOURNAL_BODY_BYTES = 64 * 1024;
const ALWAYS_MASKED = ['authorization', 'cookie', 'set-cookie', 'proxy-authorization', 'x-api-key'];

export function notedBody(bytes: Buffer | undefined): NotedBody {
  if (bytes === undefined || bytes.length === 0) return { body: '', size: 0, truncated: false };
  const kept = bytes.subarray(0, JOURNAL_BODY_BYTES);
  const truncated = kept.length < bytes.length;
  if (!isUtf8(bytes)) return { body: kept.toString('base64'), bodyEncoding: 'base64', size: bytes.length, truncated };
  // stream mode leaves out a character cut in half at the cap
  return { body: new TextDecoder().decode(kept, { stream: true }), size: bytes.length, truncated };
}

/** Headers as the journal note keeps them: lower-case names, masked like the entry's own when the endpoint asks. */
export function notedHeaders(headers: Iterable<[string, string]>, journal: EndpointSettings['journal']): Record<string, string> {
  const masked = journal.maskHeaders ? new Set([...ALWAYS_MASKED, ...journal.maskedHeaders.map((h) => h.toLowerCase())]) : undefined;
  const out: Record<string, string> = {};
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    const shown = masked?.has(key) ? '***' : value;
    out[key] = out[key] === undefined ? shown : `${out[key]}, ${shown}`;
  }
  return out;
}
