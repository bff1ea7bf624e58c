// The rule's own response (`custom` and `async` callouts): static bytes, or templates rendered per request. A copy of
// the rest plugin's approach, kept minimal: plugins import only the contract, never each other.
import type { OutgoingHttpHeaders } from 'node:http';
import type { CompileContext, Exchange, MockResponse, TemplateRef } from '../../../core/contract.js';

export interface HeaderSpec {
  key: string;
  value: string;
  templated?: boolean;
}

// node rejects header names outside the token grammar and values with control characters; refuse them at write time
export const headersSchema = {
  type: 'array',
  maxItems: 100,
  items: {
    type: 'object',
    required: ['key', 'value'],
    additionalProperties: false,
    properties: {
      key: { type: 'string', minLength: 1, maxLength: 256, pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$" },
      value: { type: 'string', maxLength: 8192, pattern: '^[\\t\\x20-\\x7e\\x80-\\xff]*$' },
      templated: { type: 'boolean' },
    },
  },
} as const;

// The server frames the body itself; a user-given length or encoding would corrupt the connection.
const FRAMING = new Set(['content-length', 'transfer-encoding']);

export type RenderResponse = (ex: Exchange) => Promise<MockResponse>;

/** The response when nothing in it is templated, else the function that renders it per request. */
export function prepareResponse(cx: CompileContext, status: number, headers: readonly HeaderSpec[], body: string, templated: boolean): MockResponse | RenderResponse {
  const fixed: OutgoingHttpHeaders = {};
  const rendered: Array<{ key: string; template: TemplateRef }> = [];
  headers.forEach(({ key, value, templated: t }, i) => {
    if (FRAMING.has(key.toLowerCase())) return;
    if (t) return void rendered.push({ key, template: cx.template(value, `headers/${i}/value`) });
    const previous = fixed[key];
    fixed[key] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [String(previous)]), value];
  });
  const bytes = Buffer.from(body);
  const bodyTemplate = templated ? cx.template(body, 'body') : undefined;
  if (bodyTemplate === undefined && rendered.length === 0) return { status, headers: { ...fixed, 'content-length': bytes.length }, body: bytes };
  return async (ex) => {
    const out: OutgoingHttpHeaders = { ...fixed };
    for (const { key, template } of rendered) out[key] = await ex.render(template);
    const text = bodyTemplate === undefined ? bytes : Buffer.from(await ex.render(bodyTemplate));
    out['content-length'] = text.length;
    return { status, headers: out, body: text };
  };
}
