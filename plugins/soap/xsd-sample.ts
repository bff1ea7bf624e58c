// Sample XML for XSD declarations: what a WSDL-driven answer puts in its Body. One occurrence of every element
// (minOccurs and maxOccurs aside), the first branch of a choice, the first value of an enumeration, declared attributes,
// and for each built-in type a value of its lexical form. Deterministic, so an answer is built once, at upload.
import { escapeXml } from './actions/soap-fault.js';
import type { QName, XmlElement } from './xml.js';

const XSD_NAMESPACES = new Set(['http://www.w3.org/2001/XMLSchema', 'http://www.w3.org/2000/10/XMLSchema', 'http://www.w3.org/1999/XMLSchema']);
// SOAP encoding names the same built-in types (soapenc:string); the xml: namespace declares xml:lang and friends
const BUILTIN_NAMESPACES = new Set([...XSD_NAMESPACES, 'http://schemas.xmlsoap.org/soap/encoding/',
  'http://www.w3.org/2003/05/soap-encoding', 'http://www.w3.org/XML/1998/namespace']);

const MAX_DEPTH = 64;
const MAX_SAMPLE_CHARS = 1024 * 1024;

const VALUES: Readonly<Record<string, string>> = {
  boolean: 'true',
  decimal: '12.5', float: '1.5', double: '1.5',
  integer: '42', int: '42', long: '42', short: '42', byte: '42', nonNegativeInteger: '42', positiveInteger: '42',
  unsignedLong: '42', unsignedInt: '42', unsignedShort: '42', unsignedByte: '42', negativeInteger: '-42', nonPositiveInteger: '-42',
  date: '2024-05-17', dateTime: '2024-05-17T09:30:00Z', time: '09:30:00', duration: 'P1DT2H',
  gYear: '2024', gYearMonth: '2024-05', gMonth: '--05', gMonthDay: '--05-17', gDay: '---17',
  base64Binary: 'c2FtcGxl', hexBinary: '73616D706C65', anyURI: 'https://example.com/', language: 'en',
};
// names whose value must be a name themselves: the element's name is one
const NAME_TYPES = new Set(['QName', 'NOTATION', 'Name', 'NCName', 'ID', 'IDREF', 'IDREFS', 'ENTITY', 'ENTITIES', 'NMTOKEN', 'NMTOKENS']);
// strings by what the element is called, first match wins
const STRINGS: ReadonlyArray<readonly [RegExp, string]> = [
  [/mail/i, 'jane.doe@example.com'],
  [/phone|fax|mobile/i, '+1-202-555-0143'],
  [/url|uri$|link|href|website|flag|image|logo|icon/i, 'https://example.com/'],
  [/code|iso|currency/i, 'NL'],
  [/city|town|capital/i, 'Amsterdam'],
  [/country/i, 'Netherlands'],
  [/first.?name|given/i, 'Jane'],
  [/last.?name|surname|family/i, 'Doe'],
  [/name/i, 'Jane Doe'],
  [/street|address/i, '1 Main Street'],
];

/** A value of a built-in type (by local name) for an element or attribute called `name`. */
export function builtinValue(type: string, name: string): string {
  if (VALUES[type] !== undefined) return VALUES[type];
  if (NAME_TYPES.has(type)) return name;
  return escapeXml(STRINGS.find(([re]) => re.test(name))?.[1] ?? `sample ${name}`);
}

interface Schema {
  readonly tns: string;
  readonly qualifiedElements: boolean;
  readonly qualifiedAttributes: boolean;
}

interface Global {
  readonly node: XmlElement;
  readonly schema: Schema;
}

type Kind = 'element' | 'type' | 'group' | 'attribute' | 'attributeGroup';
const KINDS: Readonly<Record<string, Kind>> = {
  element: 'element', complexType: 'type', simpleType: 'type', group: 'group', attribute: 'attribute', attributeGroup: 'attributeGroup',
};

const keyOf = (kind: Kind, { ns, local }: QName): string => `${kind} {${ns}}${local}`;
const isXsd = (node: XmlElement): boolean => XSD_NAMESPACES.has(node.ns);
const xsdChildren = (node: XmlElement): XmlElement[] => node.children().filter(isXsd);

/** The global declarations of the schemas a WSDL holds inline (imported ones are not fetched, only named in errors). */
export class Schemas {
  readonly #globals = new Map<string, Global>();

  /** `notFetched`: the locations of the WSDL's own imports; those of the schemas' imports and includes are added. */
  constructor(schemaNodes: readonly XmlElement[], readonly notFetched: string[]) {
    for (const node of schemaNodes) {
      const schema: Schema = {
        tns: node.attr('targetNamespace') ?? '',
        qualifiedElements: node.attr('elementFormDefault') === 'qualified',
        qualifiedAttributes: node.attr('attributeFormDefault') === 'qualified',
      };
      for (const child of xsdChildren(node)) {
        const kind = KINDS[child.local];
        const name = child.attr('name');
        if (kind !== undefined && name !== undefined) this.#globals.set(keyOf(kind, { ns: schema.tns, local: name }), { node: child, schema });
        const location = child.attr('schemaLocation');
        if ((child.local === 'import' || child.local === 'include') && location !== undefined) notFetched.push(location);
      }
    }
  }

  find(kind: Kind, ref: QName): Global {
    const found = this.#globals.get(keyOf(kind, ref));
    if (found === undefined) throw new Error(notDefined(`${kind} "${ref.local}"${ref.ns === '' ? '' : ` of namespace ${ref.ns}`}`, this.notFetched));
    return found;
  }
}

/** "X is not defined", with a hint when the WSDL imports documents mockgate does not fetch. */
export function notDefined(what: string, notFetched: readonly string[]): string {
  const hint = notFetched.length === 0 ? '' : ` (imports are not fetched — ${notFetched.slice(0, 3).join(', ')}: put their content inline)`;
  return `${what} is not defined in the WSDL${hint}`;
}

interface Content {
  attributes: string;
  body: string;
}
const EMPTY: Content = { attributes: '', body: '' };

/**
 * Writes sample elements, one writer per answer: it hands out the prefixes (ns1, ns2, …) of the namespaces it uses,
 * which `declarations()` then lists for the envelope.
 */
export class SampleWriter {
  readonly #prefixes = new Map<string, string>();
  readonly #expanding = new Set<string>(); // named types and global elements being written: recursion stops there
  #written = 0;

  constructor(private readonly schemas: Schemas) {}

  /** ` xmlns:ns1="…"` for every namespace written so far. */
  declarations(): string {
    return [...this.#prefixes].map(([ns, prefix]) => ` xmlns:${prefix}="${escapeXml(ns)}"`).join('');
  }

  /** `local` in namespace `ns` (unprefixed when ns is ''), as a tag or attribute name. */
  qualify(ns: string, local: string): string {
    if (ns === '') return local;
    let prefix = this.#prefixes.get(ns);
    if (prefix === undefined) this.#prefixes.set(ns, (prefix = `ns${this.#prefixes.size + 1}`));
    return `${prefix}:${local}`;
  }

  /** A global element (a document/literal part), in its schema's target namespace. */
  globalElement(ref: QName): string {
    return this.#enter(keyOf('element', ref), '', () => {
      const { node, schema } = this.schemas.find('element', ref);
      return this.#element(node, schema, true);
    });
  }

  /** An unqualified element of a named type: an rpc part, or a document part declared with type=. */
  typed(name: string, type: QName): string {
    return this.#write(name, this.#typeContent(type, name));
  }

  #write(tag: string, { attributes, body }: Content): string {
    const xml = body === '' ? `<${tag}${attributes}/>` : `<${tag}${attributes}>${body}</${tag}>`;
    // child elements were counted when they were written: count this element's own markup, and its text
    this.#written += body.startsWith('<') ? xml.length - body.length : xml.length;
    if (this.#written > MAX_SAMPLE_CHARS) throw new Error(`the sample answer grows past ${MAX_SAMPLE_CHARS / 1024 / 1024} MB`);
    return xml;
  }

  /**
   * Runs `write` with `key` (a named type or global element) marked as being written; met again inside itself it
   * gives `recursion` instead, so a recursive type stops after one level (#element leaves out optional ones first).
   */
  #enter<T>(key: string, recursion: T, write: () => T): T {
    if (this.#expanding.has(key)) return recursion;
    if (this.#expanding.size >= MAX_DEPTH) throw new Error(`the types nest more than ${MAX_DEPTH} levels deep`);
    this.#expanding.add(key);
    try {
      return write();
    } finally {
      this.#expanding.delete(key);
    }
  }

  #element(node: XmlElement, schema: Schema, global: boolean): string {
    if (node.attr('maxOccurs') === '0') return '';
    const required = node.attr('minOccurs') !== '0';
    const ref = node.attr('ref');
    if (ref !== undefined) {
      const target = node.resolve(ref);
      if (BUILTIN_NAMESPACES.has(target.ns)) return '';
      if (!required && this.#expanding.has(keyOf('element', target))) return '';
      return this.globalElement(target);
    }
    const name = node.attr('name');
    if (name === undefined) throw new Error('an <element> has neither name nor ref');
    const form = node.attr('form') ?? (schema.qualifiedElements ? 'qualified' : 'unqualified');
    const tag = this.qualify(global || form === 'qualified' ? schema.tns : '', name);
    const type = node.attr('type');
    const fixed = node.attr('fixed') ?? node.attr('default');
    let content: Content | undefined;
    if (type !== undefined) {
      const ref = node.resolve(type);
      if (!required && this.#expanding.has(keyOf('type', ref))) return '';
      content = this.#typeContent(ref, name);
    } else {
      const inline = xsdChildren(node).find((child) => child.local === 'complexType' || child.local === 'simpleType');
      content = inline === undefined ? { attributes: '', body: builtinValue('anyType', name) }
        : inline.local === 'complexType' ? this.#content(inline, schema, name)
        : { attributes: '', body: this.#simple(inline, schema, name) };
    }
    return this.#write(tag, fixed === undefined ? content : { attributes: content.attributes, body: escapeXml(fixed) });
  }

  /** The attributes and content of an element of a named type. */
  #typeContent(ref: QName, name: string): Content {
    if (BUILTIN_NAMESPACES.has(ref.ns)) return { attributes: '', body: builtinValue(ref.local, name) };
    const { node, schema } = this.schemas.find('type', ref);
    if (node.local === 'simpleType') return { attributes: '', body: this.#simple(node, schema, name) };
    return this.#enter(keyOf('type', ref), EMPTY, () => this.#content(node, schema, name));
  }

  /** The particles and attributes of a complexType, or of the extension, restriction or content inside one. */
  #content(node: XmlElement, schema: Schema, name: string): Content {
    let attributes = '';
    let body = '';
    const add = (more: Content): void => {
      attributes += more.attributes;
      body += more.body;
    };
    for (const child of xsdChildren(node)) {
      switch (child.local) {
        case 'sequence': case 'all': case 'choice': case 'group':
          body += this.#particle(child, schema);
          break;
        case 'attribute': case 'attributeGroup':
          attributes += this.#attributes(child, schema);
          break;
        case 'complexContent': case 'simpleContent':
          add(this.#content(child, schema, name));
          break;
        case 'extension': {
          const base = child.attr('base');
          if (base !== undefined) add(this.#typeContent(child.resolve(base), name));
          add(this.#content(child, schema, name));
          break;
        }
        case 'restriction':
          // a complex restriction restates the content it keeps; a simple-content one restricts a value
          if (node.local === 'simpleContent') add({ attributes: '', body: this.#restricted(child, schema, name) });
          add(this.#content(child, schema, name));
          break;
      }
    }
    return { attributes, body };
  }

  #particle(node: XmlElement, schema: Schema): string {
    if (node.attr('maxOccurs') === '0') return '';
    switch (node.local) {
      case 'element':
        return this.#element(node, schema, false);
      case 'sequence': case 'all':
        return xsdChildren(node).map((child) => this.#particle(child, schema)).join('');
      case 'choice': {
        const first = xsdChildren(node).find((child) => child.local !== 'annotation');
        return first === undefined ? '' : this.#particle(first, schema);
      }
      case 'group': {
        const ref = node.attr('ref');
        if (ref === undefined) return xsdChildren(node).map((child) => this.#particle(child, schema)).join('');
        const group = this.schemas.find('group', node.resolve(ref));
        return this.#particle(group.node, group.schema);
      }
      default: // any, annotation
        return '';
    }
  }

  #attributes(node: XmlElement, schema: Schema): string {
    const ref = node.attr('ref');
    if (node.local === 'attributeGroup') {
      const group = ref === undefined ? { node, schema } : this.schemas.find('attributeGroup', node.resolve(ref));
      return xsdChildren(group.node).filter((child) => child.local === 'attribute' || child.local === 'attributeGroup')
        .map((child) => this.#attributes(child, group.schema)).join('');
    }
    if (node.attr('use') === 'prohibited') return '';
    if (ref !== undefined) {
      const target = node.resolve(ref);
      if (BUILTIN_NAMESPACES.has(target.ns)) return ''; // xml:lang, soapenc:arrayType: nothing to say
      const global = this.schemas.find('attribute', target);
      return this.#attribute(global.node, global.schema, this.qualify(target.ns, target.local));
    }
    const name = node.attr('name');
    if (name === undefined) throw new Error('an <attribute> has neither name nor ref');
    const qualified = (node.attr('form') ?? (schema.qualifiedAttributes ? 'qualified' : 'unqualified')) === 'qualified';
    return this.#attribute(node, schema, this.qualify(qualified ? schema.tns : '', name));
  }

  #attribute(node: XmlElement, schema: Schema, qname: string): string {
    const name = node.attr('name') ?? qname;
    const fixed = node.attr('fixed') ?? node.attr('default');
    const type = node.attr('type');
    const inline = xsdChildren(node).find((child) => child.local === 'simpleType');
    const value = fixed !== undefined ? escapeXml(fixed)
      : type !== undefined ? this.#typeContent(node.resolve(type), name).body
      : inline !== undefined ? this.#simple(inline, schema, name)
      : builtinValue('anySimpleType', name);
    return ` ${qname}="${value}"`;
  }

  /** A value of a simpleType: restricted, one item of a list, or the first type of a union. */
  #simple(node: XmlElement, schema: Schema, name: string): string {
    for (const child of xsdChildren(node)) {
      const inline = xsdChildren(child).find((grandchild) => grandchild.local === 'simpleType');
      switch (child.local) {
        case 'restriction':
          return this.#restricted(child, schema, name);
        case 'list': {
          const item = child.attr('itemType');
          if (item !== undefined) return this.#typeContent(child.resolve(item), name).body;
          return inline === undefined ? builtinValue('string', name) : this.#simple(inline, schema, name);
        }
        case 'union': {
          const member = child.attr('memberTypes')?.trim().split(/\s+/)[0];
          if (member) return this.#typeContent(child.resolve(member), name).body;
          return inline === undefined ? builtinValue('string', name) : this.#simple(inline, schema, name);
        }
      }
    }
    return builtinValue('string', name);
  }

  /** The first enumerated value of a restriction, else a value of its base. */
  #restricted(node: XmlElement, schema: Schema, name: string): string {
    const enumeration = xsdChildren(node).find((child) => child.local === 'enumeration');
    if (enumeration !== undefined) return escapeXml(enumeration.attr('value') ?? '');
    const base = node.attr('base');
    if (base !== undefined) return this.#typeContent(node.resolve(base), name).body;
    const inline = xsdChildren(node).find((child) => child.local === 'simpleType');
    return inline === undefined ? builtinValue('string', name) : this.#simple(inline, schema, name);
  }
}
