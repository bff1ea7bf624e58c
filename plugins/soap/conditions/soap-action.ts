// `soap_action` condition: the document's SoapActionCondition (`equals`), plus mockgate's `contains` and `regex`.
// The action of a request is, in this order: the SOAPAction header (SOAP 1.1, surrounding quotes stripped); the `action`
// parameter of the Content-Type (SOAP 1.2: `application/soap+xml; action="…"`); when neither carries one, the local name
// of the first element inside the envelope's Body. Found once per request, whatever the number of rules asking.
import { defineCondition, headerValue, type Matcher, type MockRequest } from '../../../core/contract.js';
import { readEnvelope } from '../envelope.js';

interface SoapActionCondition {
  type: 'soap_action';
  operator: 'equals' | 'contains' | 'regex';
  value: string;
}

/** `"urn:x"` → `urn:x`; an empty value carries no action. */
function unquote(value: string): string {
  const trimmed = value.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
}

const PARAMETER = /;\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g;

/** The `action` parameter of a Content-Type (quoted or a token), or undefined. */
export function contentTypeAction(contentType: string): string | undefined {
  for (const [, name, raw] of contentType.matchAll(PARAMETER)) {
    if (name!.toLowerCase() !== 'action') continue;
    const value = raw!.trim();
    return value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
  }
  return undefined;
}

/** The action the headers name (SOAPAction, else the Content-Type's `action`), or undefined when they name none. */
export function headerAction(request: MockRequest): string | undefined {
  const header = headerValue(request, 'soapaction');
  const action = header === undefined ? undefined : unquote(header) || undefined;
  if (action !== undefined) return action;
  const contentType = headerValue(request, 'content-type');
  return contentType === undefined ? undefined : contentTypeAction(contentType) || undefined;
}

const actions = new WeakMap<MockRequest, string | null>();

/** The SOAP action of the request (see the top of this file), or undefined when it has none. Memoised per request. */
export function soapAction(request: MockRequest): string | undefined {
  const known = actions.get(request);
  if (known !== undefined) return known ?? undefined;
  let action: string | undefined;
  try {
    action = headerAction(request) ?? readEnvelope(request.text())?.operation;
  } catch {
    action = undefined; // a matcher never throws: a request whose action cannot be found has none
  }
  actions.set(request, action ?? null);
  return action;
}

export const soapActionCondition = defineCondition<SoapActionCondition>({
  type: 'soap_action',
  // read only when neither header names the action, but the core must have the body by then
  needs: ['body'],
  schema: {
    type: 'object',
    required: ['type', 'operator', 'value'],
    additionalProperties: false,
    properties: {
      type: { const: 'soap_action' },
      operator: { enum: ['equals', 'contains', 'regex'] },
      value: { type: 'string', maxLength: 4096 },
    },
  },

  // A request without an action (no header, no envelope, malformed XML) never matches, whatever the operator.
  compile({ operator, value }, cx): Matcher {
    switch (operator) {
      case 'equals':
        return (req) => soapAction(req) === value;
      case 'contains':
        return (req) => soapAction(req)?.includes(value) === true;
      case 'regex': {
        const re = cx.regex(value, 'value');
        return (req) => {
          const action = soapAction(req);
          return action !== undefined && re.test(action);
        };
      }
    }
  },
});
