// Request helpers: body (JSON, form or XML, by dotted path or JSON path), query parameters, headers, cookies, path
// parameters, method, path and URL.
import { XMLParser } from 'fast-xml-parser';
import type { TemplateRoot } from '../../core/contract.js';
import { isMissing, rootOf, splitArgs, type Helper } from './helper-kit.js';

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', removeNSPrefix: true, parseTagValue: true });

const parsedBodies = new WeakMap<TemplateRoot, unknown>();

/** The body as data, parsed once per render by its content type: JSON, url-encoded form or XML. */
function parsedBody(root: TemplateRoot): unknown {
  if (parsedBodies.has(root)) return parsedBodies.get(root);
  const text = root.request.body ?? '';
  const type = String(root.request.headers['content-type'] ?? '').toLowerCase();
  let value: unknown;
  try {
    if (text === '') value = undefined;
    else if (type.includes('x-www-form-urlencoded')) value = formObject(new URLSearchParams(text));
    else if (type.includes('xml')) value = xml.parse(text);
    else value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  parsedBodies.set(root, value);
  return value;
}

function formObject(form: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of form) {
    const previous = out[name];
    out[name] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return out;
}

/** `a.b.0.c`, `a.b[0].c` or a JSON path `$.a.b[0].c`; own properties only. */
export function valueAt(value: unknown, path: string): unknown {
  const parts = path.replace(/^\$\.?/, '').replace(/\[(\d+|'[^']*'|"[^"]*")\]/g, (_, key: string) => `.${key.replace(/^['"]|['"]$/g, '')}`)
    .split('.').filter((part) => part !== '');
  let current = value;
  for (const part of parts) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

const orDefault = (value: unknown, fallback: unknown): unknown => (isMissing(value) ? (fallback ?? '') : value);

function cookies(root: TemplateRoot): Map<string, string> {
  const jar = new Map<string, string>();
  const header = root.request.headers['cookie'];
  for (const pair of (Array.isArray(header) ? header.join('; ') : header ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    const name = pair.slice(0, at).trim();
    if (!jar.has(name)) jar.set(name, safeDecode(pair.slice(at + 1).trim().replace(/^"(.*)"$/, '$1')));
  }
  return jar;
}

const safeDecode = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

const lookup = (read: (root: TemplateRoot, name: string) => unknown): Helper => (...all) => {
  const { args: [name, fallback], options } = splitArgs(all);
  return orDefault(read(rootOf(options), String(name)), fallback);
};

export default {
  /** `{{body}}` is the raw body; `{{body 'a.b'}}` a value of the parsed body; a second argument is the default. */
  body: ((...all) => {
    const { args: [path, fallback], options } = splitArgs(all);
    const root = rootOf(options);
    if (path === undefined) return root.request.body ?? '';
    return orDefault(valueAt(parsedBody(root), String(path)), fallback);
  }) as Helper,
  queryParam: lookup((root, name) => root.request.query[name]),
  header: lookup((root, name) => {
    const value = root.request.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : value;
  }),
  cookie: lookup((root, name) => cookies(root).get(name)),
  pathParam: lookup((root, name) => root.params[name]),
  method: ((...all) => rootOf(splitArgs(all).options).request.method) as Helper,
  path: ((...all) => rootOf(splitArgs(all).options).request.path) as Helper,
  url: ((...all) => rootOf(splitArgs(all).options).request.url) as Helper,
};

/** Helpers that read the body or headers: only templates using them are sent those parts. */
export const BODY_HELPERS = ['body'];
export const HEADER_HELPERS = ['header', 'cookie', 'body'];
