// Generated messages for calls no rule answers: every field set with a plausible value for its type and name, in the
// proto3 JSON form that messageFromJson takes. Pure: no I/O, no state beyond the faker instance it seeds.
import { faker } from '@faker-js/faker/locale/en';
import protobuf from 'protobufjs';
import { jsonNameOf } from './json-mapping.js';
import { WRAPPERS } from './protos.js';

/** Nesting deeper than this is left out. */
const MAX_DEPTH = 8;
/** A recursive type appears at most this often on a path: a tree node with children, the children without. */
const MAX_REPEATS = 2;

/**
 * A generated instance of the type in proto3 JSON: enums → their first non-zero value, repeated → 1–3 items, maps →
 * 1–2 entries, oneofs → their first member, nested messages to a bounded depth, well-known types in their JSON forms.
 * With a seed the values repeat. (A well-known type at the top, a Timestamp say, gives its JSON form, not an object.)
 */
export function sampleMessage(type: protobuf.Type, options: { seed?: number } = {}): Record<string, unknown> {
  if (options.seed !== undefined && Number.isFinite(options.seed)) faker.seed(options.seed);
  else faker.seed();
  return sampleOf(type, '', []) as Record<string, unknown>;
}

function sampleOf(type: protobuf.Type, fieldName: string, path: protobuf.Type[]): unknown {
  const wellKnown = WELL_KNOWN[type.fullName];
  if (wellKnown !== undefined) return wellKnown(type, fieldName);
  const json: Record<string, unknown> = {};
  const oneofsSet = new Set<protobuf.OneOf>();
  path.push(type);
  for (const field of type.fieldsArray) {
    if (field.declaringField) continue; // an extension's copy in the extended type
    if (field.partOf) {
      if (oneofsSet.has(field.partOf)) continue;
      oneofsSet.add(field.partOf);
    }
    const value = sampleField(field.resolve(), path);
    if (value !== undefined) json[jsonNameOf(field)] = value;
  }
  path.pop();
  return json;
}

/** undefined: left out (a message nested too deep). */
function sampleField(field: protobuf.Field, path: protobuf.Type[]): unknown {
  if (field instanceof protobuf.MapField) {
    const entries: Record<string, unknown> = {};
    for (let i = faker.number.int({ min: 1, max: 2 }); i > 0; i--) {
      const value = sampleValue(field, path);
      if (value === undefined) return undefined;
      entries[sampleKey(field.keyType, i)] = value;
    }
    return entries;
  }
  if (field.repeated) {
    const items: unknown[] = [];
    for (let i = faker.number.int({ min: 1, max: 3 }); i > 0; i--) {
      const value = sampleValue(field, path);
      if (value === undefined) return undefined;
      items.push(value);
    }
    return items;
  }
  return sampleValue(field, path);
}

function sampleValue(field: protobuf.Field, path: protobuf.Type[]): unknown {
  const type = field.resolvedType;
  if (type instanceof protobuf.Enum) {
    const names = Object.keys(type.values);
    return names.find((name) => type.values[name] !== 0) ?? names[0];
  }
  if (type instanceof protobuf.Type) {
    const repeats = path.filter((t) => t === type).length;
    return path.length >= MAX_DEPTH || repeats >= MAX_REPEATS ? undefined : sampleOf(type, field.name, path);
  }
  return sampleScalar(field.type, field.name);
}

function sampleKey(keyType: string, index: number): string {
  if (keyType === 'string') return `${faker.word.noun()}${index}`;
  if (keyType === 'bool') return index === 1 ? 'true' : 'false';
  return String(index);
}

/** Values are never a type's default (0, '', false), which proto3 would not send: every field shows up. */
function sampleScalar(type: string, fieldName: string): unknown {
  switch (type) {
    case 'string':
      return sampleString(fieldName);
    case 'bool':
      return true;
    case 'bytes':
      return Buffer.from(faker.string.alphanumeric(12)).toString('base64');
    case 'double':
    case 'float':
      return sampleDecimal(fieldName.toLowerCase());
    case 'int64':
    case 'uint64':
    case 'sint64':
    case 'fixed64':
    case 'sfixed64':
      return String(sampleInteger(fieldName));
    default:
      return sampleInteger(fieldName);
  }
}

/** `id`, `order_id`, `orderId`, `uuid` */
const IDENTIFIER = /^(id|uuid|guid)$|_id$|[a-z0-9]Id$/;

function sampleString(fieldName: string): string {
  if (IDENTIFIER.test(fieldName)) return faker.string.uuid();
  const name = fieldName.toLowerCase().replace(/_/g, '');
  if (name.includes('email')) return faker.internet.email();
  if (/phone|mobile/.test(name)) return faker.phone.number();
  if (name === 'firstname' || name === 'givenname') return faker.person.firstName();
  if (name === 'lastname' || name === 'surname' || name === 'familyname') return faker.person.lastName();
  if (name === 'username' || name === 'login') return faker.internet.username();
  if (/company|organization/.test(name)) return faker.company.name();
  if (name.endsWith('name')) return faker.person.fullName();
  if (/url|uri|link|website|image|avatar/.test(name)) return faker.internet.url();
  if (name.includes('city')) return faker.location.city();
  if (name.includes('country')) return faker.location.countryCode();
  if (/street|address/.test(name)) return faker.location.streetAddress();
  if (/zip|postal/.test(name)) return faker.location.zipCode();
  if (name.includes('currency')) return faker.finance.currencyCode();
  if (/sku|code/.test(name)) return faker.string.alphanumeric({ length: 8, casing: 'upper' });
  if (/token|secret|key/.test(name)) return faker.string.alphanumeric(24);
  if (/(date|time|at)$/.test(name)) return faker.date.recent().toISOString();
  if (/title|subject|label/.test(name)) return faker.lorem.words({ min: 2, max: 4 });
  if (/description|comment|note|message|text|body|summary/.test(name)) return faker.lorem.sentence();
  if (name.includes('color')) return faker.color.human();
  return faker.lorem.word();
}

/** Two decimals at most and under 10,000, so that a float keeps them exactly when printed back. */
function sampleDecimal(name: string): number {
  if (/price|amount|cost|total|balance/.test(name)) return Number(faker.commerce.price({ min: 1, max: 999 }));
  if (/^lat/.test(name)) return faker.number.float({ min: -90, max: 90, fractionDigits: 2 });
  if (/^(lng|lon)/.test(name)) return faker.number.float({ min: -180, max: 180, fractionDigits: 2 });
  if (/rating|score/.test(name)) return faker.number.float({ min: 1, max: 5, fractionDigits: 1 });
  return faker.number.float({ min: 0.01, max: 1000, fractionDigits: 2 });
}

function sampleInteger(fieldName: string): number {
  if (IDENTIFIER.test(fieldName)) return faker.number.int({ min: 1, max: 99_999 });
  const name = fieldName.toLowerCase();
  if (/count|quantity|qty|size/.test(name)) return faker.number.int({ min: 1, max: 10 });
  if (name.includes('age')) return faker.number.int({ min: 18, max: 90 });
  if (name.includes('year')) return faker.number.int({ min: 1990, max: 2030 });
  if (/percent/.test(name)) return faker.number.int({ min: 1, max: 100 });
  return faker.number.int({ min: 1, max: 1000 });
}

/** Whole seconds: printed back the same way (a fraction of .000 would not be). */
const recentTimestamp = (): string => faker.date.recent().toISOString().replace(/\.\d{3}Z$/, 'Z');

const WELL_KNOWN: Readonly<Record<string, (type: protobuf.Type, fieldName: string) => unknown>> = {
  '.google.protobuf.Timestamp': recentTimestamp,
  '.google.protobuf.Duration': () => `${faker.number.int({ min: 1, max: 3600 })}s`,
  '.google.protobuf.Struct': () => ({ [faker.word.noun()]: faker.lorem.word(), count: faker.number.int({ min: 1, max: 100 }) }),
  '.google.protobuf.Value': () => faker.lorem.word(),
  '.google.protobuf.ListValue': () => [faker.lorem.word(), faker.number.int({ min: 1, max: 100 })],
  '.google.protobuf.FieldMask': () => 'name,updateTime',
  // empty: a type URL must name a type the protos define, and nothing says which would make sense here
  '.google.protobuf.Any': () => ({}),
  '.google.protobuf.Empty': () => ({}),
  ...Object.fromEntries(
    Object.entries(WRAPPERS).map(([name, scalar]) => [
      `.google.protobuf.${name}`,
      (_: protobuf.Type, fieldName: string) => sampleScalar(scalar, fieldName),
    ]),
  ),
};
