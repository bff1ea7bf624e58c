// The response of a rule (a mock, a weighted choice, a callout's own answer), prepared when the rule is written:
// static bytes, or templates the worker pool renders per request. Plugins reach it through the contract.
import type { OutgoingHttpHeaders } from 'node:http';
import type { BlobRef, CompileContext, Exchange, MockResponse, TemplateRef } from './contract.js';

export interface HeaderSpec {
  key: string;
  value: string;
  templated?: boolean;
}

// node rejects header names outside the token grammar and values with control characters; refuse them at write time
const HEADER_NAME = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$";
const HEADER_VALUE = '^[\\t\\x20-\\x7e\\x80-\\xff]*$';

export const headersSchema = {
  type: 'array',
  maxItems: 100,
  items: {
    type: 'object',
    required: ['key', 'value'],
    additionalProperties: false,
    properties: {
      key: { type: 'string', minLength: 1, maxLength: 256, pattern: HEADER_NAME },
      value: { type: 'string', maxLength: 8192, pattern: HEADER_VALUE },
      templated: { type: 'boolean' },
    },
  },
} as const;

export const statusSchema = { type: 'integer', minimum: 100, maximum: 599 } as const;
export const delaySchema = { type: 'number', minimum: 0, maximum: 600000 } as const;

// The server frames the body itself; a user-given length or encoding would corrupt the connection.
const FRAMING = new Set(['content-length', 'transfer-encoding']);

function headerObject(headers: readonly HeaderSpec[]): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const { key, value } of headers) {
    if (FRAMING.has(key.toLowerCase())) continue;
    const previous = out[key];
    out[key] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [String(previous)]), value];
  }
  return out;
}

export function staticResponse(status: number, headers: readonly HeaderSpec[], body: string): MockResponse {
  const out = headerObject(headers);
  const bytes = Buffer.from(body);
  out['content-length'] = bytes.length;
  return { status, headers: out, body: bytes };
}

/** A blob's answer: its content type unless the rule's headers name one, its size as the length. */
function blobResponse(status: number, headers: readonly HeaderSpec[], blob: BlobRef): MockResponse {
  const out = headerObject(headers);
  if (!headers.some(({ key }) => key.toLowerCase() === 'content-type')) out['content-type'] = blob.contentType;
  out['content-length'] = blob.size;
  return { status, headers: out, blob };
}

export interface ResponseSpec {
  status: number;
  headers: readonly HeaderSpec[];
  body: string;
  templated?: boolean;
  /** Served instead of `body` (a blob is never a template: refuse `templated` before). */
  blob?: BlobRef;
}

/** Renders the templated parts of a response for one request. */
export type RenderResponse = (ex: Exchange) => Promise<MockResponse>;

/**
 * The prepared response when nothing in it is templated, else the function that renders it per request.
 * `at` is the JSON pointer of the response inside the action (`responses/2/`), for template errors.
 */
export function prepareResponse(cx: CompileContext, spec: ResponseSpec, at = ''): MockResponse | RenderResponse {
  const prepared = spec.blob ? blobResponse(spec.status, spec.headers, spec.blob) : staticResponse(spec.status, spec.headers, spec.body);
  const body = spec.templated && !spec.blob ? cx.template(spec.body, `${at}body`) : undefined;
  const headers: Array<{ key: string; template: TemplateRef }> = [];
  spec.headers.forEach(({ key, value, templated }, i) => {
    if (templated && !FRAMING.has(key.toLowerCase())) headers.push({ key, template: cx.template(value, `${at}headers/${i}/value`) });
  });
  if (body === undefined && headers.length === 0) return prepared;
  return async (ex) => {
    const out: OutgoingHttpHeaders = { ...prepared.headers };
    for (const { key, template } of headers) out[key] = await ex.render(template);
    if (body === undefined) return { ...prepared, headers: out };
    const bytes = Buffer.from(await ex.render(body));
    out['content-length'] = bytes.length;
    return { status: spec.status, headers: out, body: bytes };
  };
}
