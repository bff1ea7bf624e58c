// OpenAPI schemas (2.0, 3.0, 3.1) as JSON Schema 2020-12, and their ajv validators: one ajv per spec, so a replaced
// spec takes its compiled validators with it.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { RE2JS } from 're2js';
import type { LoadedSpec } from './load-spec.js';

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/**
 * Which side of the exchange a schema checks: a request need not carry `readOnly` properties, a response need not
 * carry `writeOnly` ones (they stay allowed, only no longer required).
 */
export type SchemaDirection = 'request' | 'response';

// keywords whose value is a schema, a list of schemas, or a map of names to schemas: the only places walked
const SCHEMA_KEYS = new Set(['additionalProperties', 'items', 'additionalItems', 'contains', 'not', 'if', 'then', 'else',
  'propertyNames', 'unevaluatedItems', 'unevaluatedProperties', 'contentSchema']);
const SCHEMA_LIST_KEYS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const SCHEMA_MAP_KEYS = new Set(['properties', 'patternProperties', 'dependentSchemas']);
// OpenAPI's own keywords, and the identifiers a converted schema must not keep: every $ref is rewritten to its $defs
const DROPPED_KEYS = new Set(['nullable', 'x-nullable', 'discriminator', 'example', 'xml', 'externalDocs', '$id', '$schema',
  '$defs', 'definitions', 'collectionFormat', 'allowEmptyValue']);

const cache = new WeakMap<LoadedSpec, { ajv: Ajv2020; schemas: WeakMap<object, Partial<Record<SchemaDirection, object>>> }>();

function cacheOf(spec: LoadedSpec) {
  let entry = cache.get(spec);
  if (entry === undefined) cache.set(spec, (entry = { ajv: createAjv(), schemas: new WeakMap() }));
  return entry;
}

/**
 * The OpenAPI schema as a JSON Schema ajv compiles. Every `$ref` (and, in a document dereferenced already, every
 * schema reached again through itself) becomes one entry of the root's `$defs`, so recursive types stay finite.
 */
export function toJsonSchema(spec: LoadedSpec, schema: any, direction: SchemaDirection = 'request'): object {
  if (!isObject(schema)) return schema === false ? { not: {} } : {};
  const { schemas } = cacheOf(spec);
  let byDirection = schemas.get(schema);
  if (byDirection === undefined) schemas.set(schema, (byDirection = {}));
  return (byDirection[direction] ??= new Converter(spec, direction).root(schema));
}

/** The validator of an OpenAPI schema, compiled once per spec, schema and direction. */
export function compileJsonSchema(spec: LoadedSpec, schema: any, direction: SchemaDirection = 'request'): ValidateFunction {
  return cacheOf(spec).ajv.compile(toJsonSchema(spec, schema, direction));
}

/** Follows `$ref`s to what a reference names (the value itself when it is none); undefined when it does not resolve. */
export function resolveRef(spec: LoadedSpec, value: unknown): any {
  try {
    return spec.deref(value);
  } catch {
    return undefined;
  }
}

class Converter {
  readonly #defs: Record<string, unknown> = {};
  readonly #refKeys = new Map<string, string>();
  /** Targets of references, by their $defs key: met again as objects, they are that entry too. */
  readonly #targetKeys = new Map<object, string>();
  /** Objects being converted, and the $defs key given to one met again inside itself. */
  readonly #open = new Map<object, string | undefined>();
  readonly #legacy: boolean;

  constructor(readonly spec: LoadedSpec, readonly direction: SchemaDirection) {
    this.#legacy = spec.version !== '3.1';
  }

  root(schema: object): object {
    const out = this.#convert(schema) as Record<string, unknown>;
    if (Object.keys(this.#defs).length === 0) return out;
    // a root that is itself a reference keeps its target in $defs next to it
    return { ...out, $defs: this.#defs };
  }

  #convert(node: unknown): unknown {
    if (!isObject(node)) return node === false ? { not: {} } : {};
    if (typeof node.$ref === 'string') {
      const ref = this.#reference(node.$ref);
      // 3.0 ignores a $ref's siblings; 3.1 applies them (`description` and such ride along harmlessly)
      return this.#legacy ? ref : { ...this.#body(node, false), ...ref };
    }
    const named = this.#targetKeys.get(node);
    if (named !== undefined) return refTo(named);
    if (this.#open.has(node)) return refTo(this.#cycleKey(node));
    const [out, key] = this.#convertOpen(node, undefined);
    if (key === undefined) return out;
    this.#defs[key] = out;
    return refTo(key);
  }

  /** Converts an object schema while it is open: met again inside itself, it becomes a reference to `key`. */
  #convertOpen(node: Record<string, any>, key: string | undefined): [unknown, string | undefined] {
    this.#open.set(node, key);
    const out = this.#nullable(node, this.#body(node, true));
    const named = this.#open.get(node);
    this.#open.delete(node);
    return [out, named];
  }

  #reference(ref: string): { $ref: string } {
    let key = this.#refKeys.get(ref);
    if (key === undefined) {
      key = this.#uniqueKey(ref.slice(ref.lastIndexOf('/') + 1));
      this.#refKeys.set(ref, key);
      const target = resolveRef(this.spec, { $ref: ref });
      // the target met again, by its $ref or as the same object, is this $defs entry, never another copy
      const direct = isObject(target) && typeof target.$ref !== 'string' && !this.#open.has(target) && !this.#targetKeys.has(target);
      if (direct) this.#targetKeys.set(target, key);
      this.#defs[key] = direct ? this.#convertOpen(target, key)[0] : this.#convert(target);
    }
    return refTo(key);
  }

  #cycleKey(node: object): string {
    let key = this.#open.get(node);
    if (key === undefined) this.#open.set(node, (key = this.#uniqueKey('schema')));
    return key;
  }

  #uniqueKey(name: string): string {
    const base = name.replace(/[^\w.-]/g, '_') || 'schema';
    let key = base;
    for (let n = 2; key in this.#defs; n++) key = `${base}_${n}`;
    this.#defs[key] = {};
    return key;
  }

  #body(node: Record<string, any>, withRef: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (DROPPED_KEYS.has(key) || key.startsWith('x-') || (!withRef && key === '$ref')) continue;
      if (SCHEMA_KEYS.has(key)) out[key] = typeof value === 'boolean' ? value : this.#convert(value);
      else if (SCHEMA_LIST_KEYS.has(key) && Array.isArray(value)) out[key] = value.map((v) => this.#convert(v));
      else if (SCHEMA_MAP_KEYS.has(key) && isObject(value)) out[key] = mapValues(value, (v) => this.#convert(v));
      else out[key] = value;
    }
    if (this.#legacy) this.#legacyKeywords(out);
    if (Array.isArray(out.required) && isObject(node.properties)) out.required = this.#required(out.required, node.properties);
    return out;
  }

  /** 2.0 and 3.0 (JSON Schema draft 4 and 5): boolean exclusive bounds, tuple `items`, the `file` type. */
  #legacyKeywords(out: Record<string, unknown>): void {
    for (const [exclusive, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
      if (typeof out[exclusive] !== 'boolean') continue;
      if (out[exclusive] === true && typeof out[bound] === 'number') {
        out[exclusive] = out[bound];
        delete out[bound];
      } else delete out[exclusive];
    }
    if (Array.isArray(out.items)) {
      out.prefixItems = out.items;
      delete out.items;
    }
    if (out.type === 'file') delete out.type;
  }

  /** 3.0's `nullable` (and 2.0's `x-nullable`): null allowed besides the type. */
  #nullable(node: Record<string, any>, out: Record<string, unknown>): unknown {
    if (!this.#legacy || (node.nullable !== true && node['x-nullable'] !== true)) return out;
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      return out;
    }
    return { anyOf: [out, { type: 'null' }] };
  }

  /** Properties the other side writes (readOnly ones in a request, writeOnly ones in a response) are not required. */
  #required(required: unknown[], properties: Record<string, unknown>): unknown[] {
    const flag = this.direction === 'request' ? 'readOnly' : 'writeOnly';
    return required.filter((name) => typeof name !== 'string' || !this.#hasFlag(properties[name], flag, 0));
  }

  #hasFlag(schema: unknown, flag: string, depth: number): boolean {
    if (!isObject(schema) || depth > 8) return false;
    if (schema[flag] === true) return true;
    if (typeof schema.$ref === 'string' && this.#hasFlag(resolveRef(this.spec, schema), flag, depth + 1)) return true;
    return Array.isArray(schema.allOf) && schema.allOf.some((member: unknown) => this.#hasFlag(member, flag, depth + 1));
  }
}

function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    // a spec's schemas carry keywords of their own; unknown ones are annotations, not errors
    strict: false,
    allErrors: true,
    logger: false,
    addUsedSchema: false,
    code: { regExp: safeRegExp },
  });
  addFormats(ajv);
  // OpenAPI's formats besides JSON Schema's
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('byte', /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);
  ajv.addFormat('binary', true);
  ajv.addFormat('password', true);
  return ajv;
}

/**
 * `pattern` and `patternProperties` run on RE2 (linear time): a spec's pattern never stalls the server on a request.
 * One RE2 cannot run (look-around, back-references) is not checked.
 */
function safeRegExp(pattern: string): { test(input: string): boolean; toString(): string } {
  // ajv keys compiled patterns by toString()
  const name = `/${pattern}/`;
  try {
    const re = RE2JS.compile(pattern);
    return { test: (input) => re.test(input), toString: () => name };
  } catch {
    return { test: () => true, toString: () => `${name}unchecked` };
  }
}
safeRegExp.code = 'safeRegExp';

function refTo(key: string): { $ref: string } {
  return { $ref: `#/$defs/${key}` };
}

function mapValues(object: Record<string, unknown>, fn: (value: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) out[key] = fn(value);
  return out;
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
