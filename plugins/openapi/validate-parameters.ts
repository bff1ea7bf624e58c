// An operation's path, query, header and cookie parameters: read from the request by their style, coerced to their
// schema's types, and checked by validators compiled with the spec.
import { headerValue, type MockRequest } from '../../core/contract.js';
import { compileCoercion, compileFieldCoercion, propertyNames, schemaTypes } from './coerce.js';
import { compileJsonSchema, resolveRef } from './json-schema.js';
import type { LoadedSpec } from './load-spec.js';
import { isJsonMediaType } from './request-parts.js';
import { schemaViolations, violation, type Violation } from './violations.js';

/** What the checks of one request read: built once per request, cookies parsed only when asked. */
export interface RequestInput {
  readonly request: MockRequest;
  readonly pathParams: Readonly<Record<string, string>>;
  cookies(): ReadonlyMap<string, string>;
}

export type Check = (input: RequestInput, out: Violation[]) => void;

type Texts = (input: RequestInput) => string[] | undefined;
type Reader = (input: RequestInput) => unknown;

const ABSENT = Symbol('absent');
const LOCATIONS = new Set(['path', 'query', 'header', 'cookie']);
// OpenAPI 3: "If in is header and the name is Accept, Content-Type or Authorization, the definition SHALL be ignored."
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);
// Swagger 2.0 parameters carry their schema keywords on themselves
const SWAGGER_SCHEMA_KEYS = ['type', 'format', 'items', 'enum', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'uniqueItems', 'multipleOf'];
const COLLECTION_DELIMITERS: Record<string, string> = { csv: ',', ssv: ' ', tsv: '\t', pipes: '|' };
const STYLE_DELIMITERS: Record<string, string> = { form: ',', simple: ',', spaceDelimited: ' ', pipeDelimited: '|' };

/** The check of one parameter; undefined for one that is not a path, query, header or cookie parameter. */
export function compileParameterCheck(spec: LoadedSpec, parameter: unknown): Check | undefined {
  const p = resolveRef(spec, parameter);
  if (typeof p !== 'object' || p === null || typeof p.name !== 'string' || !LOCATIONS.has(p.in)) return undefined;
  if (p.in === 'header' && spec.version !== '2.0' && IGNORED_HEADERS.has(p.name.toLowerCase())) return undefined;
  const schema = parameterSchema(spec, p);
  const read = compileReader(spec, p, schema);
  const validate = compileJsonSchema(spec, schema, 'request');
  const required = p.in === 'path' || p.required === true;
  const location = [p.in as string, p.name as string];
  const missing = `must have required property '${p.name}'`;
  return (input, out) => {
    const value = read(input);
    if (value === ABSENT) {
      if (required) out.push(violation(location, 'required', missing));
    } else if (!validate(value)) {
      schemaViolations(validate.errors, location, out);
    }
  };
}

/** Swagger 2.0 keeps the keywords on the parameter; OpenAPI 3 has `schema`, or `content` with one media type. */
export function parameterSchema(spec: LoadedSpec, p: any): unknown {
  if (spec.version === '2.0') {
    if (p.type === 'file') return {};
    return Object.fromEntries(SWAGGER_SCHEMA_KEYS.filter((key) => p[key] !== undefined).map((key) => [key, p[key]]));
  }
  if (p.schema !== undefined) return p.schema;
  const media = Object.values(p.content ?? {})[0] as any;
  return media?.schema ?? {};
}

function compileReader(spec: LoadedSpec, p: any, schema: unknown): Reader {
  const types = schemaTypes(spec, schema);
  if (spec.version !== '2.0' && p.schema === undefined && p.content !== undefined) return contentReader(p);
  if (types.includes('object') && !types.includes('array')) return objectReader(spec, p, schema);
  const texts = compileTexts(spec, p, types.includes('array'));
  const coerce = compileCoercion(spec, schema);
  return (input) => {
    const found = texts(input);
    return found === undefined ? ABSENT : coerce(found);
  };
}

/** The parameter's texts as sent, several for a repeated query parameter; undefined when it is not there. */
function rawTexts(p: any): Texts {
  const name: string = p.name;
  switch (p.in) {
    case 'query':
      return ({ request }) => (request.query.has(name) ? request.query.getAll(name) : undefined);
    case 'path':
      return ({ pathParams }) => (pathParams[name] === undefined ? undefined : [pathParams[name]]);
    case 'header': {
      const lower = name.toLowerCase();
      return ({ request }) => {
        const value = headerValue(request, lower);
        return value === undefined ? undefined : [value];
      };
    }
    default:
      return (input) => {
        const value = input.cookies().get(name);
        return value === undefined ? undefined : [value];
      };
  }
}

/** The texts of an array or a scalar parameter, unwrapped and split as its style (or collectionFormat) says. */
function compileTexts(spec: LoadedSpec, p: any, isArray: boolean): Texts {
  const raw = rawTexts(p);
  const { prefix, delimiter } = arrayFormat(spec, p);
  const split = isArray && delimiter !== undefined;
  const trim = p.in === 'header';
  return (input) => {
    let texts = raw(input);
    if (texts === undefined) return undefined;
    if (prefix !== undefined) texts = texts.map((t) => (t.startsWith(prefix) ? t.slice(prefix.length) : t));
    if (split) texts = texts.flatMap((t) => (t === '' ? [] : t.split(delimiter)));
    return trim ? texts.map((t) => t.trim()) : texts;
  };
}

/** What comes before the value (label and matrix path styles) and what separates an array's items (none: repeated). */
function arrayFormat(spec: LoadedSpec, p: any): { prefix?: string; delimiter?: string } {
  if (spec.version === '2.0') {
    const format = p.collectionFormat ?? 'csv';
    return { delimiter: format === 'multi' ? undefined : COLLECTION_DELIMITERS[format] ?? ',' };
  }
  const style: string = p.style ?? (p.in === 'query' || p.in === 'cookie' ? 'form' : 'simple');
  const explode: boolean = p.explode ?? style === 'form';
  if (style === 'label') return { prefix: '.', delimiter: explode ? '.' : ',' };
  if (style === 'matrix') return { prefix: `;${p.name}=`, delimiter: explode ? `;${p.name}=` : ',' };
  if (explode && p.in === 'query') return {};
  return { delimiter: STYLE_DELIMITERS[style] ?? ',' };
}

/**
 * An object parameter: `deepObject` (`filter[color]=red`), exploded `form` (each property its own query parameter),
 * or one text of pairs — `color,red,size,L`, exploded `color=red,size=L`.
 */
function objectReader(spec: LoadedSpec, p: any, schema: unknown): Reader {
  const field = compileFieldCoercion(spec, schema);
  const style: string = p.style ?? (p.in === 'query' || p.in === 'cookie' ? 'form' : 'simple');
  const explode: boolean = p.explode ?? style === 'form';
  const fill = (entries: Iterable<[string, string[]]>): Record<string, unknown> | typeof ABSENT => {
    const out: Record<string, unknown> = {};
    let any = false;
    for (const [name, texts] of entries) {
      out[name] = field(name, texts);
      any = true;
    }
    return any ? out : ABSENT;
  };
  if (p.in === 'query' && style === 'deepObject') {
    const open = `${p.name}[`;
    return ({ request }) => fill(groupBy([...request.query].filter(([key]) => key.startsWith(open) && key.endsWith(']'))
      .map(([key, value]) => [key.slice(open.length, -1), value])));
  }
  if (p.in === 'query' && style === 'form' && explode) {
    const names = propertyNames(spec, schema);
    return ({ request }) => fill(names.filter((name) => request.query.has(name)).map((name) => [name, request.query.getAll(name)]));
  }
  const texts = compileTexts(spec, p, false);
  return (input) => {
    const text = texts(input)?.[0];
    if (text === undefined) return ABSENT;
    const parts = text === '' ? [] : text.split(',');
    const pairs: Array<[string, string]> = [];
    if (explode) for (const part of parts) pairs.push(splitPair(part));
    else for (let i = 0; i < parts.length; i += 2) pairs.push([parts[i]!, parts[i + 1] ?? '']);
    const value = fill(groupBy(pairs));
    return value === ABSENT ? {} : value;
  };
}

function contentReader(p: any): Reader {
  const json = isJsonMediaType(Object.keys(p.content)[0]?.toLowerCase() ?? '');
  const texts = rawTexts(p);
  return (input) => {
    const text = texts(input)?.[0];
    if (text === undefined) return ABSENT;
    if (!json) return text;
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  };
}

function splitPair(part: string): [string, string] {
  const eq = part.indexOf('=');
  return eq === -1 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)];
}

function groupBy(pairs: Iterable<[string, string]>): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const [key, value] of pairs) {
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [value]);
    else list.push(value);
  }
  return groups;
}
