// The stored OpenAPI document, loaded once per text: its version, a $ref resolver and its operations with their
// parameters merged. Everything else in the plugin (router, answers, rules, request validation) reads this shape.
import { memoizeByText } from '../../core/contract.js';

export interface LoadedSpec {
  /** The bundled OpenAPI document (internal $refs kept). */
  readonly doc: any;
  readonly version: '2.0' | '3.0' | '3.1';
  readonly intelligenceMock: boolean;
  /** Follows $ref chains within doc (returns value itself when not a ref). */
  deref<T = any>(value: T): T;
  /** Every operation of `paths`, in document order. */
  readonly operations: readonly OperationRef[];
  /** Path prefixes the operations live under (`/api/v3`; '' for the root), from `servers` or `basePath`, in spec order. */
  readonly basePaths: readonly string[];
}

export interface OperationRef {
  /** Upper-case. */
  readonly method: string;
  /** '/pet/{petId}' as in the spec. */
  readonly pathTemplate: string;
  /** The Operation Object. */
  readonly operation: any;
  readonly pathItem: any;
  /** Path-item + operation parameters merged (operation wins by name+in), dereferenced. */
  readonly parameters: readonly any[];
}

/** What the importer stores as the plugin's document. */
export interface StoredSpec {
  spec: unknown;
  intelligenceMock: boolean;
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
/** Longest $ref chain followed (a → b → c …) before giving up: chains that long are loops. */
const MAX_REF_CHAIN = 64;

/** The stored document as a LoadedSpec; throws when the text is not one this plugin stored. */
export const loadSpec = memoizeByText((text): LoadedSpec => {
  const stored = JSON.parse(text) as Partial<StoredSpec>;
  return loadDocument(stored.spec, stored.intelligenceMock === true);
});

/** A parsed OpenAPI document as a LoadedSpec (the prepare step uses it before anything is stored). */
export function loadDocument(doc: any, intelligenceMock: boolean): LoadedSpec {
  if (doc === null || typeof doc !== 'object' || (typeof doc.openapi !== 'string' && doc.swagger !== '2.0')) {
    throw new Error('the stored document is not an OpenAPI document');
  }
  const version = doc.swagger === '2.0' ? '2.0' : String(doc.openapi).startsWith('3.1') ? '3.1' : '3.0';
  const deref = <T>(value: T): T => {
    let current: any = value;
    for (let i = 0; isRef(current); i++) {
      if (i === MAX_REF_CHAIN) throw new Error(`$ref chain from "${(value as any).$ref}" is a loop`);
      current = resolvePointer(doc, current.$ref);
      if (current === undefined) throw new Error(`$ref "${(value as any).$ref}" does not resolve`);
    }
    return current as T;
  };
  return Object.freeze({
    doc, version, intelligenceMock, deref,
    operations: Object.freeze(operationsOf(doc, deref)),
    basePaths: Object.freeze(basePathsOf(doc, version)),
  });
}

export function isRef(value: unknown): value is { $ref: string } {
  return value !== null && typeof value === 'object' && typeof (value as { $ref?: unknown }).$ref === 'string';
}

/** The value a local `#/a/b~1c` reference points at, or undefined. */
export function resolvePointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let current: any = doc;
  for (const token of pointerTokens(ref)) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, token)) return undefined;
    current = current[token];
  }
  return current;
}

/** Tokens of a `#/…` reference: percent-decoded (it is a URI fragment), then ~1 and ~0 unescaped. */
export function pointerTokens(ref: string): string[] {
  const pointer = ref.slice(1);
  if (pointer === '') return [];
  let decoded = pointer;
  try {
    decoded = decodeURIComponent(pointer);
  } catch {
    // not percent-encoded
  }
  return decoded.split('/').slice(1).map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function operationsOf(doc: any, deref: <T>(value: T) => T): OperationRef[] {
  const operations: OperationRef[] = [];
  for (const [pathTemplate, rawItem] of Object.entries<any>(doc.paths ?? {})) {
    const pathItem = deref(rawItem);
    if (pathItem === null || typeof pathItem !== 'object') continue;
    const shared = ((pathItem.parameters ?? []) as unknown[]).map(deref);
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (operation === null || typeof operation !== 'object') continue;
      const own = ((operation.parameters ?? []) as unknown[]).map(deref);
      const key = (p: any): string => `${p?.in}:${p?.name}`;
      const overridden = new Set(own.map(key));
      const parameters = Object.freeze([...shared.filter((p) => !overridden.has(key(p))), ...own]);
      operations.push(Object.freeze({ method: method.toUpperCase(), pathTemplate, operation, pathItem, parameters }));
    }
  }
  return operations;
}

/**
 * 3.x: the path part of each server URL (variables replaced by their defaults; absolute or relative); 2.0: basePath.
 * '' stands for the root.
 */
function basePathsOf(doc: any, version: LoadedSpec['version']): string[] {
  const raw: string[] = version === '2.0'
    ? [typeof doc.basePath === 'string' ? doc.basePath : '']
    : Array.isArray(doc.servers) && doc.servers.length > 0
      ? doc.servers.map((server: any) => serverPath(String(server?.url ?? ''), server?.variables))
      : [''];
  return [...new Set(raw.map(normalizeBase))];
}

function serverPath(url: string, variables: Record<string, { default?: unknown }> | undefined): string {
  const filled = url.replace(/\{([^}]+)\}/g, (_, name: string) => String(variables?.[name]?.default ?? ''));
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(.*)$/i.exec(filled);
  const path = absolute ? absolute[1]! : filled.startsWith('//') ? filled.replace(/^\/\/[^/]*/, '') : filled;
  return path.split(/[?#]/)[0]!;
}

function normalizeBase(path: string): string {
  const relative = path.replace(/^\.?\//, '');
  return `/${relative}`.replace(/\/+$/, '');
}

/** The operation as GET …/specs lists it: `GET /pet/{petId}`. */
export const operationName = (op: OperationRef): string => `${op.method} ${op.pathTemplate}`;
