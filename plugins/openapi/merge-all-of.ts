// `allOf` as one schema, for generation: a value made for the merged schema satisfies every member. Properties both
// members declare become `{allOf: [a, b]}`, merged in turn when that property is compiled (so recursion stays lazy).
import type { LoadedSpec } from './load-spec.js';

const MIN_KEYS = ['minimum', 'minLength', 'minItems', 'minProperties', 'exclusiveMinimum'] as const;
const MAX_KEYS = ['maximum', 'maxLength', 'maxItems', 'maxProperties', 'exclusiveMaximum'] as const;

export function mergeAllOf(spec: LoadedSpec, schema: any, seen: Set<object> = new Set()): any {
  const { allOf, ...rest } = schema;
  let merged: any = rest;
  seen.add(schema);
  for (const member of (allOf ?? []) as unknown[]) {
    let part: any = spec.deref(member);
    if (part === true || part === undefined) continue;
    if (part === null || typeof part !== 'object' || seen.has(part)) continue;
    if (Array.isArray(part.allOf)) part = mergeAllOf(spec, part, seen);
    merged = mergeTwo(merged, part);
  }
  seen.delete(schema);
  return merged;
}

function mergeTwo(a: any, b: any): any {
  const out: any = { ...b, ...a };
  if (a.properties || b.properties) {
    const properties: Record<string, unknown> = { ...b.properties };
    for (const [key, value] of Object.entries<unknown>(a.properties ?? {})) {
      properties[key] = key in properties ? { allOf: [properties[key], value] } : value;
    }
    out.properties = properties;
  }
  if (a.required || b.required) out.required = [...new Set([...(a.required ?? []), ...(b.required ?? [])])];
  if (a.type !== undefined && b.type !== undefined) out.type = commonType(a.type, b.type);
  if (Array.isArray(a.enum) && Array.isArray(b.enum)) {
    const keys = new Set(b.enum.map((v: unknown) => JSON.stringify(v)));
    out.enum = a.enum.filter((v: unknown) => keys.has(JSON.stringify(v)));
  }
  for (const key of MIN_KEYS) if (typeof a[key] === 'number' && typeof b[key] === 'number') out[key] = Math.max(a[key], b[key]);
  for (const key of MAX_KEYS) if (typeof a[key] === 'number' && typeof b[key] === 'number') out[key] = Math.min(a[key], b[key]);
  if (a.items !== undefined && b.items !== undefined && a.items !== b.items) out.items = { allOf: [a.items, b.items] };
  if (a.additionalProperties === false || b.additionalProperties === false) out.additionalProperties = false;
  // null is allowed only when every member that names a type allows it
  if ((a.type !== undefined && a.nullable !== true) || (b.type !== undefined && b.nullable !== true)) delete out.nullable;
  out.readOnly = a.readOnly === true || b.readOnly === true || undefined;
  out.writeOnly = a.writeOnly === true || b.writeOnly === true || undefined;
  return out;
}

function commonType(a: string | string[], b: string | string[]): string | string[] {
  const left = Array.isArray(a) ? a : [a];
  const right = Array.isArray(b) ? b : [b];
  const both = left.filter((t) => right.includes(t) || (t === 'integer' && right.includes('number')));
  for (const t of right) if (t === 'integer' && left.includes('number') && !both.includes('integer')) both.push('integer');
  if (both.length === 0) return left;
  return both.length === 1 ? both[0]! : both;
}
