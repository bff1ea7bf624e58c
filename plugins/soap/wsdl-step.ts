// The endpoint's WSDL (a spec uploaded through POST …/specs, or to PUT /api/v2/endpoints/{e}/wsdl), its importer, and
// the fallback step it compiles to: `GET …?wsdl` serves it with its SOAP addresses pointing back at this endpoint, and a
// SOAP request naming one of its operations is answered with an envelope whose Body is sampled from its output message.
import { headerValue, memoizeByText, staticResponse, type DocumentType, type FallbackStep, type SpecImporter, type MockRequest, type MockResponse } from '../../core/contract.js';
import { escapeXml, VERSIONS } from './actions/soap-fault.js';
import { headerAction } from './conditions/soap-action.js';
import { readEnvelope, type SoapVersion } from './envelope.js';
import { readWsdl, type WsdlOperation } from './wsdl-model.js';

export const WSDL_PATH = 'wsdl';

interface CompiledWsdl {
  /** The WSDL text cut at each soap:address `location` value, to be joined with the URL the client used. */
  readonly served: readonly string[];
  /** The answer of the operation a request names, or undefined when it names none of the WSDL. */
  answer(version: SoapVersion, action: string | undefined, element: string | undefined): MockResponse | undefined;
}

// a WSDL is read and every answer built once per text
const wsdlOf = memoizeByText(compile);

function compile(text: string): CompiledWsdl {
  const { operations, addressTags } = readWsdl(text);
  const answers = new Map(operations.map((op) => [op, { '1.1': envelope('1.1', op), '1.2': envelope('1.2', op) }]));
  const indexes = { '1.1': indexOf(operations.filter((op) => op.version === '1.1')), '1.2': indexOf(operations.filter((op) => op.version === '1.2')) };
  return {
    served: cutAtAddresses(text, addressTags),
    answer(version, action, element) {
      // the bindings of the request's SOAP version first, then the other's (a 1.2 client of a WSDL binding only 1.1)
      for (const index of version === '1.1' ? [indexes['1.1'], indexes['1.2']] : [indexes['1.2'], indexes['1.1']]) {
        const op = (action === undefined ? undefined : index.byAction.get(action))
          ?? (element === undefined ? undefined : index.byElement.get(element));
        if (op !== undefined) return answers.get(op)![version];
      }
      return undefined;
    },
  };
}

/** Operations by soapAction, and by first Body element (the input element, else the operation name); first one wins. */
function indexOf(operations: readonly WsdlOperation[]) {
  const byAction = new Map<string, WsdlOperation>();
  const byElement = new Map<string, WsdlOperation>();
  for (const op of operations) {
    if (op.soapAction !== '' && !byAction.has(op.soapAction)) byAction.set(op.soapAction, op);
    if (op.requestElement !== undefined && !byElement.has(op.requestElement)) byElement.set(op.requestElement, op);
  }
  for (const op of operations) if (!byElement.has(op.name)) byElement.set(op.name, op);
  return { byAction, byElement };
}

function envelope(version: SoapVersion, op: WsdlOperation): MockResponse {
  const { namespace, contentType } = VERSIONS[version];
  return staticResponse(200, [{ key: 'content-type', value: contentType }], '<?xml version="1.0" encoding="utf-8"?>\n'
    + `<soap:Envelope xmlns:soap="${namespace}"${op.declarations}><soap:Body>${op.body}</soap:Body></soap:Envelope>`);
}

/** The text around the `location` values of the address elements (`soap:address`, …): n + 1 pieces for n addresses. */
function cutAtAddresses(text: string, tags: readonly string[]): string[] {
  if (tags.length === 0) return [text];
  const names = tags.map((tag) => tag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const location = new RegExp(`(<(?:${names})\\s[^>]*?\\blocation\\s*=\\s*)(?:"[^"]*"|'[^']*')`, 'g');
  const pieces: string[] = [];
  let from = 0;
  for (const match of text.matchAll(location)) {
    pieces.push(text.slice(from, match.index + match[1]!.length));
    from = match.index + match[0].length;
  }
  pieces.push(text.slice(from));
  return pieces;
}

/** The URL the client reached this endpoint's path by: what a client of the served WSDL must call. */
function selfUrl(request: MockRequest): string {
  const scheme = request.transport === 'https' ? 'https' : 'http';
  return `${scheme}://${headerValue(request, 'host') ?? 'localhost'}${request.mountPath}${request.path}`;
}

export const wsdlDocument: DocumentType = { path: WSDL_PATH, contentTypes: ['application/wsdl+xml', 'text/xml', 'application/xml'] };

export const wsdlImporter: SpecImporter = {
  kind: 'wsdl',
  specType: 'wsdl',
  document: WSDL_PATH,
  // an XML document whose root is a WSDL 1.1 `definitions` (or a 2.0 `description`, refused by prepare with a reason)
  detect: (file) => /^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:[\w.-]+:)?(?:definitions|description)[\s>]/
    .test(Buffer.from(file.bytes.subarray(0, 64 * 1024)).toString('utf8')),
  prepare: new URL(`./prepare-wsdl${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
};

export const wsdlStep: FallbackStep = {
  name: 'wsdl',
  // after the proxy target (20) and the GraphQL schema (30): the WSDL answers what neither rules nor the service did
  order: 32,
  compile(endpoint) {
    const text = endpoint.document(WSDL_PATH);
    if (text === undefined) return undefined;
    const wsdl = wsdlOf(text);
    return async (ex) => {
      const { request } = ex;
      if (request.method === 'GET' && [...request.query.keys()].some((key) => key.toLowerCase() === 'wsdl')) {
        const body = Buffer.from(wsdl.served.join(`"${escapeXml(selfUrl(request))}"`));
        ex.annotate({ behavior: 'wsdl' });
        ex.respond({ status: 200, headers: { 'content-type': 'text/xml; charset=utf-8', 'content-length': body.length }, body });
        return true;
      }
      if (request.method !== 'POST') return false;
      await ex.readBody();
      const head = readEnvelope(request.text());
      if (head?.version === undefined) return false;
      const answer = wsdl.answer(head.version, headerAction(request), head.operation);
      if (answer === undefined) return false;
      ex.annotate({ behavior: 'wsdl' });
      ex.respond(answer);
      return true;
    };
  },
};
