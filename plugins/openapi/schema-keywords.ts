// What a schema's keywords allow, as the generator needs it: its types, its own example, its numeric bounds, and
// values brought within them.
import type { Faker } from '@faker-js/faker';

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

export function isNullSchema(schema: any): boolean {
  return schema?.type === 'null' || (Array.isArray(schema?.type) && schema.type.length === 1 && schema.type[0] === 'null');
}

/** The listed type(s); inferred from the keywords when absent. */
export function typesOf(schema: any): string[] {
  if (Array.isArray(schema.type)) return schema.type.length > 0 ? schema.type : ['any'];
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.enum)) return ['any'];
  if (schema.properties || schema.additionalProperties || schema.required) return ['object'];
  if (schema.items || schema.prefixItems) return ['array'];
  if (schema.format || schema.pattern || schema.minLength !== undefined || schema.maxLength !== undefined) return ['string'];
  if (schema.minimum !== undefined || schema.maximum !== undefined || schema.multipleOf !== undefined) return ['number'];
  return ['any'];
}

/** The schema's own example (or default) when it has the schema's type: some specs give `example: 12345` for a string. */
export function exampleOf(schema: any, types: string[]): { value: unknown } | undefined {
  const candidates = [schema.example, ...(Array.isArray(schema.examples) ? schema.examples : []), schema.default];
  for (const value of candidates) {
    if (value === undefined) continue;
    if (Array.isArray(schema.enum) && !schema.enum.some((e: unknown) => JSON.stringify(e) === JSON.stringify(value))) continue;
    if (types.includes('any') || types.some((t) => hasType(value, t))) return { value };
  }
  return undefined;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer': return Number.isInteger(value);
    case 'number': return typeof value === 'number';
    case 'array': return Array.isArray(value);
    case 'object': return isPlainObject(value);
    case 'null': return value === null;
    default: return typeof value === type;
  }
}

export function boundsOf(schema: any, integer: boolean): { low: number; high: number } {
  const epsilon = integer ? 1 : 0.01;
  let low = typeof schema.minimum === 'number' ? schema.minimum : -Infinity;
  let high = typeof schema.maximum === 'number' ? schema.maximum : Infinity;
  if (schema.exclusiveMinimum === true) low += epsilon;
  if (schema.exclusiveMaximum === true) high -= epsilon;
  if (typeof schema.exclusiveMinimum === 'number') low = Math.max(low, schema.exclusiveMinimum + epsilon);
  if (typeof schema.exclusiveMaximum === 'number') high = Math.min(high, schema.exclusiveMaximum - epsilon);
  if (schema.format === 'int32') low = Math.max(low, -(2 ** 31)), high = Math.min(high, 2 ** 31 - 1);
  if (integer) low = Math.ceil(Math.max(low, Number.MIN_SAFE_INTEGER)), high = Math.floor(Math.min(high, Number.MAX_SAFE_INTEGER));
  return { low, high };
}

/**
 * The multiple of `step` nearest `value` inside [low, high], written without float noise (0.1 × 3 is 0.3). Among the
 * nearest few, one whose division by `step` is exact in floating point: validators check `value / step` naively.
 */
export function nearestMultiple(value: number, step: number, low: number, high: number): number {
  const decimals = Math.min((String(step).split('.')[1] ?? '').length, 20);
  let k = Math.round(value / step);
  if (k * step < low) k = Math.ceil(low / step);
  if (k * step > high) k = Math.floor(high / step);
  const at = (i: number): number => Number((i * step).toFixed(decimals));
  for (let d = 0; d < 8; d++) {
    for (const i of [k + d, k - d]) {
      const candidate = at(i);
      if (candidate >= low && candidate <= high && Number.isInteger(candidate / step)) return candidate;
    }
  }
  return at(k);
}

export function fitLength(value: string, minLength: number, maxLength: number, faker: Faker): string {
  // UTF-16 length bounds the code point count both ways: most strings need no counting at all
  if (value.length >= minLength * 2 && value.length <= maxLength) return value;
  const points = [...value];
  if (points.length < minLength) return value + faker.string.alphanumeric(minLength - points.length);
  return points.length > maxLength ? points.slice(0, maxLength).join('') : value;
}
