// The faker helper, as Beeceptor names it: `{{faker 'module.method' …}}` calls a method of the endpoint locale's
// @faker-js/faker instance. Old faker names (random.*, datatype.*, name.*, address.*…) still work through an alias
// table; only the modules' own methods can be called, never faker's set-up (seed, setDefaultRefDate…) or internals.
import type { Faker } from '@faker-js/faker';
import { faker as en } from '@faker-js/faker/locale/en';
import { formatDate, looksLikeLiteral, looksLikeObjectLiteral, parseLooseLiteral, toDate } from './dates.js';
import { dataOf, isMissing, splitArgs, type Helper, type HelperCheck } from './helper-kit.js';

/** Each faker module and its callable methods, as found on the en faker (every locale's faker has the same classes). */
const METHODS: ReadonlyMap<string, ReadonlySet<string>> = (() => {
  const modules = new Map<string, Set<string>>();
  for (const [name, module] of Object.entries(en)) {
    if (name.startsWith('_') || name === 'definitions' || name === 'rawDefinitions') continue;
    if (module === null || typeof module !== 'object') continue;
    const methods = new Set<string>();
    for (let proto = Object.getPrototypeOf(module) as object | null; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
      for (const method of Object.getOwnPropertyNames(proto)) {
        // read the descriptor: a getter is never run, and only plain functions count
        if (method !== 'constructor' && !method.startsWith('_') && typeof Object.getOwnPropertyDescriptor(proto, method)?.value === 'function') {
          methods.add(method);
        }
      }
    }
    if (methods.size > 0) modules.set(name, methods);
  }
  return modules;
})();

/** Names of faker v5–v8 (and Beeceptor's docs) that moved. */
const ALIASES: Readonly<Record<string, string>> = {
  'random.uuid': 'string.uuid',
  'datatype.uuid': 'string.uuid',
  'random.number': 'number.int',
  'datatype.number': 'number.int',
  'random.float': 'number.float',
  'datatype.float': 'number.float',
  'datatype.bigInt': 'number.bigInt',
  'datatype.string': 'string.sample',
  'datatype.hexadecimal': 'string.hexadecimal',
  'random.hexaDecimal': 'string.hexadecimal',
  'datatype.datetime': 'date.anytime',
  'random.boolean': 'datatype.boolean',
  'random.word': 'lorem.word',
  'random.words': 'lorem.words',
  'random.alpha': 'string.alpha',
  'random.alphaNumeric': 'string.alphanumeric',
  'random.numeric': 'string.numeric',
  'random.arrayElement': 'helpers.arrayElement',
  'random.arrayElements': 'helpers.arrayElements',
  'random.objectElement': 'helpers.objectValue',
  'name.findName': 'person.fullName',
  'name.title': 'person.jobTitle',
  'address.cityName': 'location.city',
  'address.streetName': 'location.street',
  'address.zipCodeByState': 'location.zipCode',
  'internet.userName': 'internet.username',
  'internet.avatar': 'image.avatar',
  'internet.color': 'color.rgb',
  'image.imageUrl': 'image.url',
  'image.image': 'image.url',
  'phone.phoneNumber': 'phone.number',
  'phone.phoneNumberFormat': 'phone.number',
  'company.companyName': 'company.name',
  'company.bs': 'company.buzzPhrase',
  'commerce.color': 'color.human',
  'finance.account': 'finance.accountNumber',
  'finance.mask': 'finance.maskedNumber',
};
/** Whole modules that were renamed; a method listed in ALIASES wins. */
const MODULE_ALIASES: Readonly<Record<string, string>> = { name: 'person', address: 'location' };

/** Methods returning a Date (or Dates): a trailing format argument prints them (ISO without one). */
const DATE_METHODS = new Set(['date.anytime', 'date.past', 'date.future', 'date.recent', 'date.soon', 'date.between', 'date.betweens', 'date.birthdate']);
/** Old positional forms: `date.past 2` meant two years. */
const NUMBER_OPTION: Readonly<Record<string, string>> = { 'date.past': 'years', 'date.future': 'years', 'date.recent': 'days', 'date.soon': 'days' };

/** Largest length or count a call may ask for (lorem.paragraphs 1e9 would stall the worker). */
const MAX_SIZE = 10_000;
const SIZED_MODULES = new Set(['lorem', 'string', 'word']);

interface Target {
  path: string;
  module: string;
  method: string;
}

/** The module and method a path names, after aliases; throws `faker: "…" is not a faker method` otherwise. */
function resolve(path: string): Target {
  const named = Object.hasOwn(ALIASES, path) ? ALIASES[path]! : path;
  const parts = named.split('.');
  if (parts.length === 2) {
    const [given, method] = parts as [string, string];
    const module = Object.hasOwn(MODULE_ALIASES, given) ? MODULE_ALIASES[given]! : given;
    if (METHODS.get(module)?.has(method)) return { path: `${module}.${method}`, module, method };
  }
  const close = suggestions(path);
  throw new Error(`faker: ${JSON.stringify(path)} is not a faker method${close.length > 0 ? `; did you mean ${close.map((p) => `"${p}"`).join(', ')}?` : ''}`);
}

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}

/** Up to three known paths close to a wrong one: a near spelling, or the same method in another module. */
function suggestions(path: string): string[] {
  if (path.length > 100) return [];
  const wanted = path.toLowerCase();
  const method = wanted.split('.').pop()!;
  const scored: Array<[number, string]> = [];
  for (const [module, methods] of METHODS) {
    for (const m of methods) {
      const candidate = `${module}.${m}`;
      const d = m.toLowerCase() === method ? 0 : distance(wanted, candidate.toLowerCase());
      if (d <= Math.max(2, Math.floor(wanted.length / 4))) scored.push([d, candidate]);
    }
  }
  return scored.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1])).slice(0, 3).map(([, p]) => p);
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);

const isSize = (key: string): boolean => key === 'length' || key === 'count' || /Count$/.test(key);
/**
 * A length or count must be a number up to MAX_SIZE or a range with a max up to it: faker reads anything else as a
 * range up to Number.MAX_SAFE_INTEGER (`lorem.paragraphs 'abc'` would never end).
 */
const badSize = (value: unknown): boolean =>
  value === undefined ? false
    : typeof value === 'number' ? !(value <= MAX_SIZE)
      : isPlainObject(value) ? !(typeof value['max'] === 'number' && value['max'] <= MAX_SIZE && (value['min'] === undefined || typeof value['min'] === 'number'))
        : true;

function checkSizes(target: Target, params: readonly unknown[]): void {
  params.forEach((param, i) => {
    const positional = SIZED_MODULES.has(target.module) && i === (target.path === 'string.fromCharacters' ? 1 : 0);
    let bad = positional && (isPlainObject(param) ? (Object.hasOwn(param, 'min') || Object.hasOwn(param, 'max')) && badSize(param) : badSize(param));
    if (isPlainObject(param)) bad ||= Object.entries(param).some(([key, v]) => isSize(key) && badSize(v));
    if (bad) throw new Error(`faker: ${target.path}: a length or count must be a number up to ${MAX_SIZE}, or {min, max} within it`);
  });
}

/** Leading arguments that stay text even when they look like numbers. */
const TEXT_ARGUMENTS: ReadonlyMap<string, number> = new Map([
  ['helpers.fake', Infinity], ['helpers.mustache', Infinity], ['helpers.slugify', Infinity], ['helpers.replaceSymbols', Infinity],
  ['helpers.replaceCreditCardSymbols', Infinity], ['helpers.fromRegExp', Infinity], ['string.fromCharacters', 1],
  ['date.between', Infinity], ['date.betweens', Infinity],
]);
const TEXT_OPTIONS = new Set(['from', 'to', 'refDate']);
const NUMERIC = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const numeric = (value: unknown): unknown => (typeof value === 'string' && NUMERIC.test(value) ? Number(value) : value);
const numericFields = (value: Record<string, unknown>, depth: number): Record<string, unknown> =>
  Object.fromEntries(Object.entries(value).map(([key, v]) => [key,
    TEXT_OPTIONS.has(key) ? v : isPlainObject(v) && depth < 1 ? numericFields(v, depth + 1) : numeric(v)]));

/** Request values arrive as text: numbers written as text become numbers (`(queryParam 'max')`, `(object max=…)`). */
function numbersOf(target: Target, params: readonly unknown[]): unknown[] {
  const text = TEXT_ARGUMENTS.get(target.path) ?? 0;
  return params.map((param, i) => (isPlainObject(param) ? numericFields(param, 0) : i < text ? param : numeric(param)));
}

/** Options written as a string literal (`'{min:500, max:600}'`) become values; others pass as they are. */
function argumentOf(value: unknown, path: string): unknown {
  if (!looksLikeLiteral(value)) return value;
  try {
    return parseLooseLiteral(value);
  } catch (err) {
    throw new Error(`faker: ${path}: bad options: ${(err as Error).message}`);
  }
}

/** A trailing output format of a date method (not a date: `date.between '2020-01-01' '2024-01-01'` passes dates). */
function takeFormat(target: Target, rest: unknown[]): string | undefined {
  const last = rest.at(-1);
  if (!DATE_METHODS.has(target.path) || typeof last !== 'string' || looksLikeObjectLiteral(last)) return undefined;
  if (target.method.startsWith('between') && rest.length !== 1 && rest.length !== 3 && isDate(last)) return undefined;
  rest.pop();
  return last === '' ? undefined : last;
}

const isDate = (value: string): boolean => {
  try {
    toDate(value, 'faker');
    return true;
  } catch {
    return false;
  }
};

/** Old positional forms of date methods, as options objects. */
function legacyOptions(target: Target, params: unknown[]): unknown[] {
  const option = NUMBER_OPTION[target.path];
  if (option !== undefined && typeof params[0] === 'number') return [{ [option]: params[0] }, ...params.slice(1)];
  if (target.method.startsWith('between') && params.length >= 2 && !isPlainObject(params[0])) {
    return [{ from: params[0], to: params[1], ...(params.length > 2 ? { count: params[2] } : {}) }];
  }
  return params;
}

const json = (value: unknown): string => JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

/** Dates print formatted; an object prints as JSON yet keeps its fields for subexpressions; arrays print as Handlebars does. */
function present(value: unknown, format: string | undefined): unknown {
  if (value instanceof Date) return formatDate(value, format ?? 'iso');
  if (Array.isArray(value)) return value.some((v) => v instanceof Date) ? value.map((v: unknown) => present(v, format)) : value;
  if (isPlainObject(value)) {
    const copy: Record<string, unknown> = { ...value };
    Object.defineProperty(copy, 'toString', { value: () => json(value), enumerable: false });
    return copy;
  }
  return value;
}

export default {
  /**
   * `{{faker 'person.firstName'}}`; options as `(object max=1000)`, as a string `'{min:500, max:600}'`, as hash
   * arguments `min=1 max=5` or positionally; date methods take a trailing format: `{{faker 'date.past' 'us'}}`.
   */
  faker: ((...all) => {
    const { args: [path, ...rest], options } = splitArgs(all);
    if (typeof path !== 'string' || path === '') throw new Error("faker: needs a method such as 'person.firstName'");
    const target = resolve(path);
    const format = takeFormat(target, rest);
    let params = rest.map((value) => argumentOf(value, target.path));
    const hash = options.hash as Record<string, unknown> | undefined;
    if (hash !== undefined && Object.keys(hash).length > 0) {
      const last = params.at(-1);
      if (isPlainObject(last)) params[params.length - 1] = { ...last, ...hash };
      else params.push({ ...hash });
    }
    while (params.length > 0 && isMissing(params.at(-1))) params.pop();
    params = legacyOptions(target, numbersOf(target, params));
    checkSizes(target, params);
    const module = (dataOf(options).faker as Faker & Record<string, Record<string, (...a: unknown[]) => unknown>>)[target.module]!;
    let value: unknown;
    try {
      value = module[target.method]!(...params);
    } catch (err) {
      throw new Error(`faker: ${target.path}: ${(err as Error).message}`);
    }
    return present(value, format);
  }) as Helper,
};

const NOT_LITERAL = Symbol('not a literal');

export const checks: Record<string, HelperCheck> = {
  faker: ([path, ...rest]) => {
    if (path === undefined) return "needs a method such as 'person.firstName'";
    if (!path.literal) return undefined;
    if (typeof path.value !== 'string' || path.value === '') return `${JSON.stringify(path.value)} is not a faker method; write one such as 'person.firstName'`;
    try {
      const target = resolve(path.value);
      const values: unknown[] = rest.map((arg) => (arg.literal ? arg.value : NOT_LITERAL));
      takeFormat(target, values);
      for (const value of values) if (value !== NOT_LITERAL) argumentOf(value, target.path);
      return undefined;
    } catch (err) {
      return (err as Error).message.replace(/^faker: /, '');
    }
  },
};
