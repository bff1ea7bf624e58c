// Text from a URL, a header or a form, turned into the type its schema declares before the schema checks it:
// `"7"` → 7 for an integer, `"true"` → true for a boolean; text that is no such value stays text and fails the check.
import type { LoadedSpec } from './load-spec.js';
import { resolveRef } from './json-schema.js';

/** Turns one field's texts (several for an array) into its value. */
export type Coercion = (texts: readonly string[]) => unknown;

const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const MAX_DEPTH = 8;

/** The types a schema allows, through `$ref`s and `allOf` members; empty when it names none. */
export function schemaTypes(spec: LoadedSpec, schema: unknown, depth = 0): string[] {
  const resolved = resolveRef(spec, schema);
  if (typeof resolved !== 'object' || resolved === null || depth > MAX_DEPTH) return [];
  if (typeof resolved.type === 'string') return [resolved.type];
  if (Array.isArray(resolved.type)) return resolved.type;
  for (const member of Array.isArray(resolved.allOf) ? resolved.allOf : []) {
    const types = schemaTypes(spec, member, depth + 1);
    if (types.length > 0) return types;
  }
  return [];
}

/** An array's texts each become an item; anything else takes the first text. */
export function compileCoercion(spec: LoadedSpec, schema: unknown): Coercion {
  const types = schemaTypes(spec, schema);
  if (types.includes('array')) {
    const item = compileScalar(schemaTypes(spec, resolveRef(spec, schema)?.items));
    return (texts) => texts.map(item);
  }
  const scalar = compileScalar(types);
  return (texts) => (texts.length === 0 ? undefined : scalar(texts[0]!));
}

/** For an object's fields: each declared property coerced by its schema, others by `additionalProperties`'. */
export function compileFieldCoercion(spec: LoadedSpec, schema: unknown): (name: string, texts: readonly string[]) => unknown {
  const resolved = resolveRef(spec, schema);
  const properties = new Map<string, Coercion>();
  const declared = typeof resolved?.properties === 'object' && resolved.properties !== null ? resolved.properties : {};
  for (const [name, property] of Object.entries(declared)) properties.set(name, compileCoercion(spec, property));
  const other = compileCoercion(spec, typeof resolved?.additionalProperties === 'object' ? resolved.additionalProperties : {});
  return (name, texts) => (properties.get(name) ?? other)(texts);
}

/** The names of the properties an object schema declares. */
export function propertyNames(spec: LoadedSpec, schema: unknown): string[] {
  const properties = resolveRef(spec, schema)?.properties;
  return typeof properties === 'object' && properties !== null ? Object.keys(properties) : [];
}

/** A type list with `string` keeps the text; otherwise the first listed type the text can be wins. */
function compileScalar(types: readonly string[]): (text: string) => unknown {
  if (types.length === 0 || types.includes('string')) return (text) => text;
  return (text) => {
    for (const type of types) {
      if ((type === 'integer' || type === 'number') && NUMBER.test(text)) return Number(text);
      if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
      if (type === 'null' && (text === '' || text === 'null')) return null;
    }
    return text;
  };
}
