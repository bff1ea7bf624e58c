// A WSDL 1.1 document read into what the WSDL answers need: every operation of its SOAP 1.1 and 1.2 bindings, with
// what names it in a request (soapAction, first Body element) and the Body of its answer, sampled from the schema.
// References (message, portType, binding, part element/type) are checked; anything broken is an Error saying what.
import type { SoapVersion } from './envelope.js';
import { notDefined, SampleWriter, Schemas } from './xsd-sample.js';
import { parseXml, type XmlElement } from './xml.js';

const WSDL = 'http://schemas.xmlsoap.org/wsdl/';
const WSDL_20 = 'http://www.w3.org/ns/wsdl';
const SOAP_BINDINGS: Readonly<Record<string, SoapVersion>> = {
  'http://schemas.xmlsoap.org/wsdl/soap/': '1.1',
  'http://schemas.xmlsoap.org/wsdl/soap12/': '1.2',
};

export interface WsdlOperation {
  readonly name: string;
  /** The SOAP version of its binding. */
  readonly version: SoapVersion;
  /** The binding's soapAction; '' when it names none. */
  readonly soapAction: string;
  /** The local name of the first Body element of a request: the input element (document) or the operation (rpc). */
  readonly requestElement: string | undefined;
  /** The answer's Body content, and the xmlns declarations it needs (for the Envelope). */
  readonly body: string;
  readonly declarations: string;
}

export interface Wsdl {
  readonly operations: readonly WsdlOperation[];
  /** The tag names of its soap:address and soap12:address elements as written (`soap:address`), for the rewrite. */
  readonly addressTags: readonly string[];
}

/** Reads a WSDL 1.1 document; throws an Error naming the first thing that is wrong with it. */
export function readWsdl(text: string): Wsdl {
  if (/<!DOCTYPE/i.test(text)) throw new Error('a WSDL may not hold a DOCTYPE');
  let root: XmlElement;
  try {
    root = parseXml(text, true);
  } catch (err) {
    throw new Error(`not well-formed XML: ${(err as Error).message}`);
  }
  if (root.ns !== WSDL || root.local !== 'definitions') {
    throw new Error(root.ns === WSDL_20 ? 'WSDL 2.0 (<description>) is not supported: upload a WSDL 1.1 <definitions>'
      : `the root element is <${root.local}>${root.ns === '' ? '' : ` of namespace ${root.ns}`}, not a WSDL 1.1 <definitions> of namespace ${WSDL}`);
  }
  const notFetched = root.childrenNamed(WSDL, 'import').map((imported) => imported.attr('location') ?? imported.attr('namespace') ?? '?');
  const schemas = new Schemas(root.childrenNamed(WSDL, 'types').flatMap((types) => types.children().filter((c) => c.local === 'schema')), notFetched);

  // WSDL components by {targetNamespace}name, and a lookup that names the broken reference
  const tns = root.attr('targetNamespace') ?? '';
  const byName = (kind: string): Map<string, XmlElement> =>
    new Map(root.childrenNamed(WSDL, kind).map((node) => [`{${tns}}${node.attr('name') ?? ''}`, node]));
  const messages = byName('message');
  const portTypes = byName('portType');
  const bindings = byName('binding');
  const find = (table: Map<string, XmlElement>, kind: string, from: XmlElement, attr: string, where: string): XmlElement => {
    const value = from.attr(attr);
    if (value === undefined) throw new Error(`${where} has no ${attr} attribute`);
    const { ns, local } = from.resolve(value);
    const found = table.get(`{${ns}}${local}`);
    if (found === undefined) throw new Error(notDefined(`${where} refers to ${kind} "${value}", which`, notFetched));
    return found;
  };

  // every reference is checked, bound to SOAP or not: a client reading the WSDL would stumble on it just the same
  for (const portType of portTypes.values()) {
    for (const operation of portType.childrenNamed(WSDL, 'operation')) {
      for (const io of operation.children().filter((c) => c.ns === WSDL && ['input', 'output', 'fault'].includes(c.local))) {
        find(messages, 'message', io, 'message', `the ${io.local} of operation "${operation.attr('name')}" of portType "${portType.attr('name')}"`);
      }
    }
  }
  for (const service of root.childrenNamed(WSDL, 'service')) {
    for (const port of service.childrenNamed(WSDL, 'port')) find(bindings, 'binding', port, 'binding', `port "${port.attr('name')}"`);
  }

  const cx: Context = { tns, schemas, message: (io) => find(messages, 'message', io, 'message', `the ${io.local}`) };
  const operations: WsdlOperation[] = [];
  for (const binding of bindings.values()) {
    const where = `binding "${binding.attr('name')}"`;
    const portType = find(portTypes, 'portType', binding, 'type', where);
    const soapBinding = binding.children().find((c) => c.local === 'binding' && SOAP_BINDINGS[c.ns] !== undefined);
    if (soapBinding === undefined) continue; // an HTTP or MIME binding: not answered
    for (const bound of binding.childrenNamed(WSDL, 'operation')) {
      const name = bound.attr('name') ?? '';
      const operation = portType.childrenNamed(WSDL, 'operation').find((o) => o.attr('name') === name);
      if (operation === undefined) throw new Error(`${where} binds operation "${name}", which its portType "${portType.attr('name')}" does not define`);
      try {
        operations.push(soapOperation(operation, bound, soapBinding, cx));
      } catch (err) {
        throw new Error(`operation "${name}" of ${where}: ${(err as Error).message}`);
      }
    }
  }
  if (operations.length === 0) {
    throw new Error('the WSDL binds no operation to SOAP: it needs a <binding> with a soap:binding or soap12:binding and at least one <operation>');
  }

  const addressTags = new Set<string>();
  for (const service of root.childrenNamed(WSDL, 'service')) {
    for (const port of service.childrenNamed(WSDL, 'port')) {
      for (const address of port.children()) {
        if (address.local === 'address' && SOAP_BINDINGS[address.ns] !== undefined) {
          addressTags.add(address.prefix === '' ? 'address' : `${address.prefix}:address`);
        }
      }
    }
  }
  return { operations, addressTags: [...addressTags] };
}

interface Context {
  readonly tns: string;
  readonly schemas: Schemas;
  /** The message an operation's input or output refers to. */
  message(io: XmlElement): XmlElement;
}

/** An operation of a SOAP binding: `operation` is the portType's, `bound` the binding's, `soapBinding` its soap:binding. */
function soapOperation(operation: XmlElement, bound: XmlElement, soapBinding: XmlElement, cx: Context): WsdlOperation {
  const name = operation.attr('name') ?? '';
  const soap = soapBinding.ns;
  const style = bound.child(soap, 'operation')?.attr('style') ?? soapBinding.attr('style') ?? 'document';
  // the parts a message puts in the Body: all of them, or those soap:body's `parts` lists
  const parts = (direction: 'input' | 'output'): XmlElement[] => {
    const io = operation.child(WSDL, direction);
    if (io === undefined) return [];
    const listed = bound.child(WSDL, direction)?.child(soap, 'body')?.attr('parts')?.trim().split(/\s+/);
    return cx.message(io).childrenNamed(WSDL, 'part').filter((part) => listed === undefined || listed.includes(part.attr('name') ?? ''));
  };
  const writer = new SampleWriter(cx.schemas);
  const output = parts('output').map((part) => {
    const element = part.attr('element');
    const type = part.attr('type');
    if (element !== undefined) return writer.globalElement(part.resolve(element));
    if (type !== undefined) return writer.typed(part.attr('name') ?? 'part', part.resolve(type));
    throw new Error(`part "${part.attr('name')}" has neither element nor type`);
  }).join('');
  let body = output;
  let requestElement: string | undefined = name;
  if (style === 'rpc') {
    // a wrapper named after the operation, in soap:body's namespace, holding one unqualified element per part
    if (operation.child(WSDL, 'output') !== undefined) {
      const wrapper = writer.qualify(bound.child(WSDL, 'output')?.child(soap, 'body')?.attr('namespace') ?? cx.tns, `${name}Response`);
      body = `<${wrapper}>${output}</${wrapper}>`;
    }
  } else {
    const first = parts('input')[0];
    const element = first?.attr('element');
    requestElement = element === undefined ? first?.attr('name') : first!.resolve(element).local;
  }
  return {
    name, version: SOAP_BINDINGS[soap]!, soapAction: bound.child(soap, 'operation')?.attr('soapAction') ?? '',
    requestElement, body, declarations: writer.declarations(),
  };
}
