// Namespace-aware reading of XML over fast-xml-parser (which keeps prefixes but does not resolve them): elements with
// their attributes, children expanded only when asked for, prefixes resolved through the in-scope xmlns declarations.
// Shared by the envelope reader (a request's first few elements) and the WSDL reader (the whole document).
import { XMLParser, XMLValidator } from 'fast-xml-parser';

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

const options = {
  preserveOrder: true, // document order: "the first child of Body" is exact
  ignoreAttributes: false,
  attributeNamePrefix: '',
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  parseAttributeValue: false,
  // the parser's default limit (100 levels) refuses hostile nesting before any recursion here could overflow
} as const;
// `decoded` turns &amp; and character references in attribute values into text (the WSDL's names and enumeration
// values); a caller that reads only element names keeps entities as written, so no DOCTYPE can make it expand any.
const parsers = {
  raw: new XMLParser({ ...options, processEntities: false }),
  decoded: new XMLParser({ ...options, processEntities: true }),
};

export interface QName {
  readonly ns: string;
  readonly local: string;
}

type Ordered = Array<Record<string, unknown>>;

export class XmlElement {
  readonly prefix: string;
  readonly local: string;
  #children: XmlElement[] | undefined;

  constructor(qname: string, readonly attrs: Readonly<Record<string, string>>, private readonly content: unknown,
    readonly parent: XmlElement | undefined) {
    const colon = qname.indexOf(':');
    this.prefix = colon < 0 ? '' : qname.slice(0, colon);
    this.local = qname.slice(colon + 1);
  }

  /** The element's namespace; '' when it has none (or its prefix is not declared). */
  get ns(): string {
    return this.namespaceOf(this.prefix) ?? '';
  }

  attr(name: string): string | undefined {
    return Object.hasOwn(this.attrs, name) ? this.attrs[name] : undefined;
  }

  /** The namespace a prefix ('' for the default namespace) stands for here, or undefined when none is declared. */
  namespaceOf(prefix: string): string | undefined {
    if (prefix === 'xml') return XML_NAMESPACE;
    const name = prefix === '' ? 'xmlns' : `xmlns:${prefix}`;
    for (let at: XmlElement | undefined = this; at !== undefined; at = at.parent) {
      const uri = at.attr(name);
      if (uri !== undefined) return uri;
    }
    return undefined;
  }

  /** A QName-valued attribute (`type="tns:Order"`) resolved here; throws when its prefix is not declared. */
  resolve(qname: string): QName {
    const colon = qname.indexOf(':');
    const prefix = colon < 0 ? '' : qname.slice(0, colon);
    const ns = this.namespaceOf(prefix);
    if (ns === undefined && prefix !== '') throw new Error(`the prefix of "${qname}" is not declared`);
    return { ns: ns ?? '', local: qname.slice(colon + 1) };
  }

  /** Child elements in document order (text, CDATA and comments left out). */
  children(): XmlElement[] {
    this.#children ??= elementsOf(this.content, this);
    return this.#children;
  }

  childrenNamed(ns: string, local: string): XmlElement[] {
    return this.children().filter((child) => child.local === local && child.ns === ns);
  }

  child(ns: string, local: string): XmlElement | undefined {
    return this.children().find((child) => child.local === local && child.ns === ns);
  }
}

function elementsOf(nodes: unknown, parent: XmlElement | undefined): XmlElement[] {
  if (!Array.isArray(nodes)) return [];
  const out: XmlElement[] = [];
  for (const node of nodes as Ordered) {
    const attrs = (node[':@'] ?? {}) as Record<string, string>;
    for (const [name, content] of Object.entries(node)) {
      if (name !== '#text' && name !== ':@') out.push(new XmlElement(name, attrs, content, parent));
    }
  }
  return out;
}

/** The root element of a document; throws an Error saying why the text is not well-formed XML with one root. */
export function parseXml(text: string, decodeEntities: boolean): XmlElement {
  const checked = XMLValidator.validate(text);
  if (checked !== true) {
    const { msg, line, col } = checked.err;
    throw new Error(`${msg.replace(/\.$/, '')} (line ${line}${col === undefined ? '' : `, column ${col}`})`);
  }
  const roots = elementsOf((decodeEntities ? parsers.decoded : parsers.raw).parse(text), undefined);
  if (roots.length !== 1) throw new Error(roots.length === 0 ? 'no root element' : `${roots.length} root elements`);
  return roots[0]!;
}
