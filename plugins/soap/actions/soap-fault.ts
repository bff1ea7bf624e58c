// `soap_fault` action: a SOAP Fault envelope, 1.1 or 1.2, with its namespace and content type, built once when the rule
// is written. The reason is escaped; `detail` is raw XML, refused at write time unless it is well-formed.
import { XMLValidator } from 'fast-xml-parser';
import { defineAction, delay, delaySchema, staticResponse, statusSchema, type Responder } from '../../../core/contract.js';

interface SoapFaultAction {
  type: 'soap_fault';
  version?: '1.1' | '1.2';
  code: string;
  reason: string;
  detail?: string;
  status?: number;
  delay?: number;
}

export const VERSIONS = {
  '1.1': {
    namespace: 'http://schemas.xmlsoap.org/soap/envelope/',
    contentType: 'text/xml; charset=utf-8',
    // faultcode is a QName of the envelope namespace: a standard code, optionally refined by dotted parts (Server.Database)
    code: /^(?:soap:)?(?:VersionMismatch|MustUnderstand|Client|Server)(?:\.[A-Za-z0-9_-]+)*$/,
    codes: "soap:VersionMismatch, soap:MustUnderstand, soap:Client or soap:Server (optionally refined: soap:Server.Database); the 'soap:' prefix may be left out",
  },
  '1.2': {
    namespace: 'http://www.w3.org/2003/05/soap-envelope',
    contentType: 'application/soap+xml; charset=utf-8',
    code: /^(?:soap:)?(?:VersionMismatch|MustUnderstand|DataEncodingUnknown|Sender|Receiver)$/,
    codes: "VersionMismatch, MustUnderstand, DataEncodingUnknown, Sender or Receiver; the 'soap:' prefix may be given",
  },
} as const;

// characters XML 1.0 does not allow anywhere in a document (lone surrogates included)
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Why an XML fragment (element content: elements, text, CDATA, comments) is not well-formed, or undefined when it is. */
export function fragmentProblem(fragment: string): string | undefined {
  if (NOT_XML_CHAR.test(fragment)) return 'contains a character XML does not allow';
  if (/<!DOCTYPE/i.test(fragment)) return 'may not contain a DOCTYPE';
  if (/<\?xml(?=[\s?])/i.test(fragment)) return 'may not contain an XML declaration';
  const checked = XMLValidator.validate(`<detail>${fragment}</detail>`);
  if (checked !== true) return checked.err.msg;
  // what the validator lets through: references to entities XML does not define, and `]]>` outside a CDATA section
  const markupFree = fragment.replace(/<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->/g, '');
  const entity = /&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)[^\s;]{0,32};?/.exec(markupFree);
  if (entity !== null) return `"${entity[0]}" is not a reference XML defines (write & as &amp;)`;
  if (markupFree.includes(']]>')) return '"]]>" may only end a CDATA section';
  return undefined;
}

function envelope(version: '1.1' | '1.2', code: string, reason: string, detail: string | undefined): string {
  const { namespace } = VERSIONS[version];
  const qname = `soap:${code.replace(/^soap:/, '')}`;
  const fault = version === '1.1'
    ? `<faultcode>${qname}</faultcode><faultstring>${escapeXml(reason)}</faultstring>${detail === undefined ? '' : `<detail>${detail}</detail>`}`
    : `<soap:Code><soap:Value>${qname}</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="en">${escapeXml(reason)}</soap:Text></soap:Reason>`
      + (detail === undefined ? '' : `<soap:Detail>${detail}</soap:Detail>`);
  return `<?xml version="1.0" encoding="utf-8"?>\n<soap:Envelope xmlns:soap="${namespace}"><soap:Body><soap:Fault>${fault}</soap:Fault></soap:Body></soap:Envelope>`;
}

export const soapFaultAction = defineAction<SoapFaultAction>({
  type: 'soap_fault',
  schema: {
    type: 'object',
    required: ['type', 'code', 'reason'],
    additionalProperties: false,
    properties: {
      type: { const: 'soap_fault' },
      version: { enum: ['1.1', '1.2'] },
      code: { type: 'string', minLength: 1, maxLength: 256 },
      reason: { type: 'string', maxLength: 65536 },
      detail: { type: 'string', maxLength: 1048576 },
      status: statusSchema,
      delay: delaySchema,
    },
  },

  compile(action, cx): Responder {
    const version = action.version ?? '1.1';
    const spec = VERSIONS[version];
    if (!spec.code.test(action.code)) cx.fail(`a SOAP ${version} fault code is ${spec.codes}`, 'code');
    if (NOT_XML_CHAR.test(action.reason)) cx.fail('contains a character XML does not allow', 'reason');
    if (action.detail !== undefined) {
      const problem = fragmentProblem(action.detail);
      if (problem !== undefined) cx.fail(`is not well-formed XML: ${problem}`, 'detail');
    }
    const response = staticResponse(action.status ?? 500, [{ key: 'content-type', value: spec.contentType }],
      envelope(version, action.code, action.reason, action.detail));
    const ms = action.delay ?? 0;
    if (ms === 0) return (ex) => ex.respond(response);
    return async (ex) => {
      await delay(ms, ex.signal);
      ex.respond(response);
    };
  },
});
