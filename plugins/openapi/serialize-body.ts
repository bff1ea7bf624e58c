// A generated or example value as the bytes of a media type: JSON, XML (element names from the schema's `xml`
// objects, as the Petstore's application/xml answers), form fields, text; anything else as its text.
import { isRef, pointerTokens, type LoadedSpec } from './load-spec.js';
import { baseType } from './negotiate.js';

export function serializeBody(spec: LoadedSpec, value: unknown, mediaType: string, schema: unknown): string {
  const type = baseType(mediaType);
  if (/[/+]json$/.test(type)) return JSON.stringify(value);
  if (/[/+]xml$/.test(type)) return `<?xml version="1.0" encoding="UTF-8"?>\n${toXml(spec, value, schema, rootName(spec, schema))}`;
  if (type === 'application/x-www-form-urlencoded' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const form = new URLSearchParams();
    for (const [key, field] of Object.entries(value)) form.append(key, typeof field === 'string' ? field : JSON.stringify(field));
    return form.toString();
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The root element: the schema's `xml.name`, else the component it refers to, else `root`. */
function rootName(spec: LoadedSpec, schema: unknown): string {
  const named = xmlName(spec.deref(schema));
  if (named !== undefined) return named;
  if (isRef(schema)) return pointerTokens(schema.$ref).at(-1) ?? 'root';
  const items = (spec.deref(schema) as any)?.items;
  return isRef(items) ? `${pointerTokens(items.$ref).at(-1)}s` : 'root';
}

function toXml(spec: LoadedSpec, value: unknown, schema: unknown, name: string, depth = 0): string {
  const s: any = spec.deref(schema) ?? {};
  const tag = elementName(name);
  if (value === null || value === undefined) return `<${tag}/>`;
  if (Array.isArray(value)) {
    const items = s.items;
    const itemName = xmlName(spec.deref(items)) ?? xmlName(items) ?? (isRef(items) ? pointerTokens(items.$ref).at(-1)! : tag);
    const inner = value.map((v) => toXml(spec, v, items, itemName, depth + 1)).join('');
    // at the root, a list needs one element around it to stay a document
    return s.xml?.wrapped === true || depth === 0 ? `<${tag}>${inner}</${tag}>` : inner;
  }
  if (typeof value === 'object') {
    const properties = s.properties ?? {};
    let attributes = '';
    let children = '';
    for (const [key, field] of Object.entries(value)) {
      const fieldSchema: any = properties[key];
      const resolved: any = spec.deref(fieldSchema);
      if (resolved?.xml?.attribute === true || fieldSchema?.xml?.attribute === true) {
        attributes += ` ${elementName(xmlName(fieldSchema) ?? key)}="${escapeXml(String(field))}"`;
      } else {
        // a property is named by its key (or its own xml.name), not by the name its referenced schema gives itself
        children += toXml(spec, field, fieldSchema, xmlName(fieldSchema) ?? key, depth + 1);
      }
    }
    return `<${tag}${attributes}>${children}</${tag}>`;
  }
  return `<${tag}>${escapeXml(String(value))}</${tag}>`;
}

function xmlName(schema: any): string | undefined {
  const name = schema?.xml?.name;
  return typeof name === 'string' && name !== '' && !name.startsWith('##') ? name : undefined;
}

function elementName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_.:-]/g, '_');
  return /^[A-Za-z_]/.test(safe) ? safe : `_${safe}`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}
