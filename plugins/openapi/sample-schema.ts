// Schema → value. Each schema is compiled once per spec into a generator closure (keyed by the schema object and the
// property name it sits under); a request only runs closures. Values come from the faker it is given, so a seeded
// faker repeats them. Recursion is bounded: a schema met again below itself, or nesting past LIMITS.depth, keeps only
// required properties and minimal arrays; LIMITS.nodes caps the work of one value (a spec bomb fails, it does not hang).
import type { Faker } from '@faker-js/faker';
import { formatMaker } from './formats.js';
import { isRef, pointerTokens, type LoadedSpec } from './load-spec.js';
import { mergeAllOf } from './merge-all-of.js';
import { numberMaker, singular, stringMaker, type NameHint } from './names.js';
import { patternSampler } from './regex-sample.js';
import { boundsOf, exampleOf, fitLength, isNullSchema, isPlainObject, nearestMultiple, typesOf } from './schema-keywords.js';

/** Responses leave out `writeOnly` properties, requests `readOnly` ones. */
export type Direction = 'response' | 'request';

export const LIMITS = Object.freeze({ depth: 8, hardDepth: 24, softNodes: 2_000, nodes: 50_000 });

export class GenerationLimitError extends Error {
  override readonly name = 'GenerationLimitError';
}

export interface SampleOptions {
  readonly faker: Faker;
  /** Prefer the schema's own `example`/`default` values and first choices (Prism's static mode). */
  readonly static?: boolean;
  /** The property or parameter name the schema sits under, for name heuristics. */
  readonly name?: string;
}

export interface Sampler {
  sample(schema: unknown, options: SampleOptions): unknown;
}

interface Generation {
  readonly faker: Faker;
  readonly static: boolean;
  nodes: number;
  depth: number;
  /** How many schemas are open below themselves right now. */
  repeats: number;
  readonly open: Map<object, number>;
}

type Gen = (g: Generation) => unknown;

interface Hint {
  readonly name?: string | undefined;
  readonly parent?: string | undefined;
  /** The component the schema was reached through (`Pet`): names its properties' owner, and a discriminator value. */
  readonly component?: string | undefined;
}

/** Keywords of a 3.1 `$ref` sibling that change nothing about the value. */
const ANNOTATIONS = new Set(['$ref', 'description', 'summary', 'title', 'example', 'examples', '$comment', 'deprecated']);
const NULL_CHANCE = 0.1;

export function createSampler(spec: LoadedSpec, direction: Direction): Sampler {
  const compiled = new WeakMap<object, Map<string, Gen>>();
  const intelligence = spec.intelligenceMock;

  const compile = (schema: any, hint: Hint): Gen => {
    if (schema === null || typeof schema !== 'object') return schema === false ? () => undefined : anyGen(hint);
    const key = `${hint.name ?? ''}\u0000${hint.parent ?? ''}\u0000${hint.component ?? ''}`;
    let byHint = compiled.get(schema);
    if (byHint === undefined) compiled.set(schema, (byHint = new Map()));
    let gen = byHint.get(key);
    if (gen === undefined) {
      // placeholder first: a schema that reaches itself while compiling finds a lazy reference to its own generator
      let built: Gen | undefined;
      byHint.set(key, (g) => built!(g));
      built = counted(build(schema, hint));
      byHint.set(key, (gen = built));
    }
    return gen;
  };

  const build = (schema: any, hint: Hint): Gen => {
    if (isRef(schema)) return refGen(schema, hint);
    // `allOf: [{$ref}]` with nothing else that constrains (a 3.0 way to annotate a ref) is that ref: recursion stays tracked
    if (Array.isArray(schema.allOf) && schema.allOf.length === 1 && Object.keys(schema).every((k) => k === 'allOf' || k === 'nullable' || ANNOTATIONS.has(k))) {
      return compile(schema.allOf[0], hint);
    }
    if (Array.isArray(schema.allOf)) return compile(mergeAllOf(spec, schema), hint);
    if (Array.isArray(schema.oneOf) || Array.isArray(schema.anyOf)) return choiceGen(schema, hint);
    return typedGen(schema, hint);
  };

  const refGen = (schema: { $ref: string }, hint: Hint): Gen => {
    const target = spec.deref(schema);
    const component = pointerTokens(finalRef(spec, schema)).at(-1);
    const siblings = Object.keys(schema).filter((k) => !ANNOTATIONS.has(k));
    const inner = (): Gen => (siblings.length > 0
      ? compile(mergeAllOf(spec, { allOf: [target, Object.fromEntries(siblings.map((k) => [k, (schema as any)[k]]))] }), { ...hint, component })
      : compile(target, { ...hint, component }));
    if (target === null || typeof target !== 'object') return inner();
    let gen: Gen | undefined;
    return (g) => {
      const seen = g.open.get(target) ?? 0;
      g.open.set(target, seen + 1);
      if (seen > 0) g.repeats++;
      try {
        return (gen ??= inner())(g);
      } finally {
        if (seen > 0) g.repeats--;
        if (seen === 0) g.open.delete(target);
        else g.open.set(target, seen);
      }
    };
  };

  const choiceGen = (schema: any, hint: Hint): Gen => {
    const { oneOf, anyOf, discriminator, ...base } = schema;
    const branches: unknown[] = oneOf ?? anyOf;
    const hasBase = Object.keys(base).some((k) => !ANNOTATIONS.has(k) && k !== 'nullable');
    const nonNull = branches.filter((b) => !isNullSchema(spec.deref(b)));
    const nullable = nonNull.length < branches.length || schema.nullable === true;
    const options = (nonNull.length > 0 ? nonNull : branches).map((branch) => ({
      gen: hasBase ? compile(mergeAllOf(spec, { allOf: [base, branch] }), hint) : compile(branch, hint),
      tag: discriminatorValue(discriminator, branch),
    }));
    const property: string | undefined = typeof discriminator?.propertyName === 'string' ? discriminator.propertyName : undefined;
    return (g) => {
      if (nullable && !g.static && g.faker.number.float() < NULL_CHANCE) return null;
      const option = options[g.static ? 0 : g.faker.number.int(options.length - 1)]!;
      const value = option.gen(g);
      if (property !== undefined && option.tag !== undefined && isPlainObject(value)) value[property] = option.tag;
      return value;
    };
  };

  const typedGen = (schema: any, hint: Hint): Gen => {
    if ('const' in schema) return () => schema.const;
    const types = typesOf(schema);
    const nullable = types.includes('null') || schema.nullable === true || schema['x-nullable'] === true;
    const example = exampleOf(schema, types);
    const enumGen = Array.isArray(schema.enum) && schema.enum.length > 0 ? enumOf(schema.enum) : undefined;
    const concrete = types.filter((t) => t !== 'null');
    const gens = enumGen ? [enumGen] : concrete.length === 0 && types.includes('null') ? [() => null]
      : (concrete.length > 0 ? concrete : ['any']).map((t) => typeGen(t, schema, hint));
    return (g) => {
      if (g.static && example !== undefined) return copyOf(example.value);
      if (nullable && !g.static && g.faker.number.float() < NULL_CHANCE) return null;
      return gens.length === 1 || g.static ? gens[0]!(g) : gens[g.faker.number.int(gens.length - 1)]!(g);
    };
  };

  const typeGen = (type: string, schema: any, hint: Hint): Gen => {
    switch (type) {
      case 'object': return objectGen(schema, hint);
      case 'array': return arrayGen(schema, hint);
      case 'string': return stringGen(schema, hint);
      case 'integer': return numberGen(schema, hint, true);
      case 'number': return numberGen(schema, hint, false);
      case 'boolean': return (g) => (g.static ? true : g.faker.datatype.boolean());
      default: return anyGen({ ...hint, description: schema.description });
    }
  };

  const anyGen = (hint: Hint & { description?: string }): Gen => {
    const maker = stringMaker(nameHint(hint, hint.description)) ?? ((f: Faker) => f.lorem.word());
    return (g) => maker(g.faker);
  };

  const nameHint = (hint: Hint, description: unknown): NameHint => ({
    name: hint.name, parent: hint.parent ?? hint.component, intelligence,
    description: typeof description === 'string' ? description : undefined,
  });

  const objectGen = (schema: any, hint: Hint): Gen => {
    const owner = hint.component ?? hint.name;
    const required = new Set<string>(Array.isArray(schema.required) ? schema.required : []);
    const properties = Object.entries<unknown>(schema.properties ?? {})
      .filter(([, property]) => !hidden(spec, property, direction))
      .map(([name, property]) => ({ name, required: required.has(name), gen: lazy(() => compile(property, { name, parent: owner })) }));
    const additional = schema.additionalProperties;
    const extra = additional === false ? undefined
      : lazy(() => compile(additional === true || additional === undefined ? {} : additional, { parent: owner }));
    for (const name of required) {
      if (!properties.some((p) => p.name === name) && !(schema.properties && name in schema.properties)) {
        properties.push({ name, required: true, gen: lazy(() => compile(additional === false ? {} : additional ?? {}, { name, parent: owner })) });
      }
    }
    const isMap = properties.length === 0 && (additional === true || (additional !== null && typeof additional === 'object'));
    const minProperties: number = schema.minProperties ?? 0;
    const maxProperties: number = schema.maxProperties ?? Infinity;
    const tag = ownDiscriminator(schema, hint.component);
    return (g) => {
      if (g.depth >= LIMITS.hardDepth) return {};
      g.depth++;
      try {
        const minimal = isMinimal(g);
        const out: Record<string, unknown> = {};
        for (const p of properties) {
          if (!p.required && minimal) continue;
          const value = p.gen()(g);
          if (value !== undefined) out[p.name] = value;
        }
        let entries = Object.keys(out).length;
        const wanted = Math.min(maxProperties, Math.max(minProperties, isMap && !minimal ? (g.static ? 1 : g.faker.number.int({ min: 1, max: 3 })) : 0));
        for (const p of properties) {
          if (entries >= wanted) break;
          if (p.name in out) continue;
          const value = p.gen()(g);
          if (value === undefined) continue;
          out[p.name] = value;
          entries++;
        }
        for (let i = 0; entries < wanted && extra !== undefined && i < wanted * 3; i++) {
          const name = g.static ? `key${i + 1}` : `${g.faker.lorem.word()}${i > 0 ? i : ''}`;
          if (name in out) continue;
          out[name] = extra()(g);
          entries++;
        }
        for (const p of [...properties].reverse()) {
          if (entries <= maxProperties) break;
          if (p.required || !(p.name in out)) continue;
          delete out[p.name];
          entries--;
        }
        if (tag !== undefined && tag.property in out) out[tag.property] = tag.value;
        return out;
      } finally {
        g.depth--;
      }
    };
  };

  const arrayGen = (schema: any, hint: Hint): Gen => {
    const itemHint = { name: singular(hint.name), parent: hint.parent };
    const items = schema.items === false ? undefined : lazy(() => compile(schema.items ?? {}, itemHint));
    const prefix = (Array.isArray(schema.prefixItems) ? schema.prefixItems : []).map((s: unknown) => lazy(() => compile(s, itemHint)));
    const minItems: number = schema.minItems ?? 0;
    const maxItems: number = Math.min(schema.maxItems ?? Infinity, items === undefined ? prefix.length : Infinity);
    const unique = schema.uniqueItems === true;
    return (g) => {
      if (g.depth >= LIMITS.hardDepth) return [];
      g.depth++;
      try {
        const low = isMinimal(g) ? minItems : Math.min(Math.max(minItems, 1), maxItems);
        const high = isMinimal(g) ? minItems : Math.min(maxItems, Math.max(low, 3));
        const count = g.static ? low : g.faker.number.int({ min: low, max: Math.max(low, high) });
        const out: unknown[] = [];
        const seen = unique ? new Set<string>() : undefined;
        for (let attempt = 0; out.length < count && attempt < count * 4 + 4; attempt++) {
          const gen = out.length < prefix.length ? prefix[out.length]! : items;
          const value = gen === undefined ? null : gen()(g);
          if (seen !== undefined) {
            const key = JSON.stringify(value);
            if (seen.has(key)) continue;
            seen.add(key);
          }
          out.push(value);
        }
        return out;
      } finally {
        g.depth--;
      }
    };
  };

  const stringGen = (schema: any, hint: Hint): Gen => {
    const byName = stringMaker(nameHint(hint, schema.description ?? schema.title));
    const format = typeof schema.format === 'string' ? formatMaker(schema.format, byName) : undefined;
    const pattern = format === undefined && typeof schema.pattern === 'string' ? patternSampler(schema.pattern) : undefined;
    const maker = format ?? byName ?? (intelligence ? (f: Faker) => f.lorem.words({ min: 1, max: 3 }) : (f: Faker) => f.lorem.word());
    const minLength: number = schema.minLength ?? 0;
    const maxLength: number = schema.maxLength ?? Infinity;
    return (g) => {
      if (pattern !== undefined) {
        const matched = pattern(g.faker);
        if (matched !== undefined) return matched;
      }
      const value = maker(g.faker);
      // a format value is never cut (it would stop being one); other text is fitted to the length bounds
      if (format !== undefined) return value;
      return fitLength(value, minLength, maxLength, g.faker);
    };
  };

  const numberGen = (schema: any, hint: Hint, integer: boolean): Gen => {
    const { low, high } = boundsOf(schema, integer);
    const byName = numberMaker(nameHint(hint, schema.description ?? schema.title));
    const step: number | undefined = typeof schema.multipleOf === 'number' && schema.multipleOf > 0 ? schema.multipleOf : undefined;
    // a side the schema leaves open (int32's range aside) defaults to a positive range of a thousand
    const floor = integer ? 1 : 0;
    const openLow = schema.minimum === undefined && schema.exclusiveMinimum === undefined;
    const openHigh = schema.maximum === undefined && schema.exclusiveMaximum === undefined;
    const defaultLow = !openLow ? low : openHigh ? floor : high >= floor ? Math.max(floor, high - 1000) : high - 1000;
    const defaultHigh = Math.min(high, !openHigh && !openLow ? high : defaultLow + 1000);
    return (g) => {
      let value = byName?.(g.faker);
      if (value === undefined || !(value >= low && value <= high)) {
        value = integer ? g.faker.number.int({ min: Math.ceil(defaultLow), max: Math.floor(defaultHigh) })
          : g.faker.number.float({ min: defaultLow, max: defaultHigh, fractionDigits: 2 });
      }
      if (step !== undefined) value = nearestMultiple(value, step, low, high);
      if (integer) value = Math.round(value);
      return Math.min(Math.max(value, low), high);
    };
  };

  return {
    sample(schema, options) {
      const g: Generation = { faker: options.faker, static: options.static === true, nodes: 0, depth: 0, repeats: 0, open: new Map() };
      return compile(schema, { name: options.name })(g);
    },
  };
}

function counted(gen: Gen): Gen {
  return (g) => {
    if (++g.nodes > LIMITS.nodes) {
      throw new GenerationLimitError(`generating the value took more than ${LIMITS.nodes.toLocaleString('en')} steps: the schema expands too far`);
    }
    return gen(g);
  };
}

const isMinimal = (g: Generation): boolean => g.repeats > 0 || g.depth > LIMITS.depth || g.nodes > LIMITS.softNodes;

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/** The `$ref` a chain ends on: `#/components/schemas/Pet` names the component. */
function finalRef(spec: LoadedSpec, schema: { $ref: string }): string {
  let ref = schema.$ref;
  for (let i = 0; i < 64; i++) {
    const next = spec.deref({ $ref: ref }) as unknown;
    if (!isRef(next)) break;
    ref = next.$ref;
  }
  return ref;
}

function enumOf(values: unknown[]): Gen {
  return (g) => copyOf(g.static ? values[0] : values[g.faker.number.int(values.length - 1)]);
}

/** A value the answer may change: objects copied, the rest as they are. */
const copyOf = <T>(value: T): T => (value !== null && typeof value === 'object' ? structuredClone(value) : value);

/** `readOnly` properties are left out of requests, `writeOnly` ones out of responses. */
function hidden(spec: LoadedSpec, property: unknown, direction: Direction): boolean {
  const flag = direction === 'response' ? 'writeOnly' : 'readOnly';
  const target: any = spec.deref(property);
  if ((property as any)?.[flag] === true || target?.[flag] === true) return true;
  return Array.isArray(target?.allOf) && target.allOf.some((m: unknown) => (spec.deref(m) as any)?.[flag] === true);
}

/** The value a oneOf branch's discriminator property takes: its mapping key, else its component name. */
function discriminatorValue(discriminator: any, branch: unknown): string | undefined {
  if (discriminator === undefined || !isRef(branch)) return undefined;
  const name = pointerTokens(branch.$ref).at(-1);
  const mapped = Object.entries<unknown>(discriminator.mapping ?? {}).find(([, target]) => target === branch.$ref || target === name);
  return mapped?.[0] ?? name;
}

/** A schema reached as a component that declares a discriminator (2.0 inheritance) names itself in it. */
function ownDiscriminator(schema: any, component: string | undefined): { property: string; value: string } | undefined {
  const discriminator = schema.discriminator;
  const property = typeof discriminator === 'string' ? discriminator : discriminator?.propertyName;
  if (typeof property !== 'string' || component === undefined) return undefined;
  const mapped = Object.entries<unknown>(discriminator?.mapping ?? {}).find(([, target]) =>
    typeof target === 'string' && (target === component || target.endsWith(`/${component}`)));
  return { property, value: mapped?.[0] ?? component };
}
