// Logic helpers: Beeceptor's block helpers `switch`/`case`/`default` and `repeat`, comparisons and logical operators
// usable as `{{#if (eq a b)}}` (or printed inline as true/false), type tests and `coalesce`.
import Handlebars from 'handlebars';
import { dataOf, isMissing, splitArgs, type Argument, type Helper, type HelperCheck, type HelperOptions } from './helper-kit.js';

// ---------------------------------------------------------------------------------------------------------------------
// Shared value tests (collections.ts uses them too)

const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A finite number, or a string that is one written in decimal (`'42'`, `' -1.5 '`, `'1e3'`; not `''`, `'0x10'`). */
export const looksNumeric = (value: unknown): boolean =>
  typeof value === 'number' ? Number.isFinite(value) : typeof value === 'string' && NUMERIC.test(value.trim());

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const MONTH_NAME = /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b/i;
const US_DATE = /^\d{1,2}\/\d{1,2}\/\d{4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/;

/**
 * The time of a date: a valid Date, an ISO 8601 date or date-time with a real calendar day, `MM/DD/YYYY`, or text
 * with a month name that Date parses (`Thu Oct 10 2024 04:39:51 GMT+0000`, `10 Oct 2024`); otherwise undefined.
 * Bare numbers are not dates.
 */
export function dateTime(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const iso = ISO_DATE.exec(text);
  if (iso !== null) {
    const [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    const calendar = new Date(Date.UTC(year, month - 1, day));
    if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return undefined;
    if (Number(iso[4] ?? 0) > 23 || Number(iso[5] ?? 0) > 59 || Number(iso[6] ?? 0) > 59) return undefined;
  } else if (!US_DATE.test(text) && !MONTH_NAME.test(text)) {
    return undefined;
  }
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : time;
}

/** Handlebars' idea of true, as `{{#if}}` has it: not false, 0, '', null, undefined, NaN or an empty array. */
export const truthy = (value: unknown): boolean => Boolean(value) && !(Array.isArray(value) && value.length === 0);

const text = (value: unknown): string => (isMissing(value) ? '' : String(value));

/** Numbers when both look numeric, dates when both are dates, else strings (by UTF-16 code units, case-sensitive). */
export function compare(a: unknown, b: unknown): number {
  if (looksNumeric(a) && looksNumeric(b)) return Math.sign(Number(a) - Number(b));
  const [ta, tb] = [dateTime(a), dateTime(b)];
  if (ta !== undefined && tb !== undefined) return Math.sign(ta - tb);
  const [sa, sb] = [text(a), text(b)];
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** A whole number from a number or numeric string, or an Error naming the helper and the argument. */
export function wholeNumber(value: unknown, helper: string, what: string): number {
  const n = looksNumeric(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw new Error(`${helper}: ${what} must be a whole number, got ${describe(value)}`);
  return n;
}

export const describe = (value: unknown): string =>
  value === undefined ? 'nothing' : typeof value === 'string' ? `'${value}'` : Array.isArray(value) ? 'an array'
    : value !== null && typeof value === 'object' ? 'an object' : String(value);

/** Write-time helpers: the problem with a literal whole-number argument, if any. */
export function literalCount(arg: Argument | undefined, what: string, maxRepeat?: number): string | undefined {
  if (arg === undefined || !arg.literal) return undefined;
  const n = looksNumeric(arg.value) ? Number(arg.value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 0) return `${what} must be a whole number of 0 or more, got ${JSON.stringify(arg.value)}`;
  if (maxRepeat !== undefined && n > maxRepeat) return `${what} ${n} is above the limit of ${maxRepeat} (raise it with the server flag --template-max-repeat)`;
  return undefined;
}

/** Write-time: the problem with the number of arguments, if any. */
export function arity(args: readonly Argument[], min: number, max: number, usage: string): string | undefined {
  if (args.length >= min && args.length <= max) return undefined;
  const how = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
  return `takes ${how} argument${(max === Infinity ? min : max) === 1 ? '' : 's'}: ${usage}`;
}

/** The first problem any of the checks finds. */
export const firstProblem = (...problems: Array<string | undefined>): string | undefined => problems.find((p) => p !== undefined);

// ---------------------------------------------------------------------------------------------------------------------
// switch / case / default

/** What one `{{#switch}}` knows while its block renders; each switch has its own, in its data frame. */
interface SwitchState {
  value: string;
  matched: boolean;
  /** `{{#default}}` blocks met before any case matched: rendered at the end if none does. */
  deferred: Array<{ marker: string; render: () => string }>;
}

const SWITCH = '_switch';
let markers = 0;

const switchKey = (value: unknown): string => (isMissing(value) ? '' : String(value));

function switchOf(options: HelperOptions, helper: string): SwitchState {
  const state = (options.data as Record<string, unknown> | undefined)?.[SWITCH] as SwitchState | undefined;
  if (state === undefined) throw new Error(`${helper}: {{#${helper}}} must be inside a {{#switch}} block`);
  return state;
}

function blockOnly(options: HelperOptions, helper: string): void {
  if (typeof options.fn !== 'function') throw new Error(`${helper}: is a block helper; write {{#${helper} …}}…{{/${helper}}}`);
}

// ---------------------------------------------------------------------------------------------------------------------
// repeat

function repeatCount(args: unknown[], options: HelperOptions): number {
  const { maxRepeat, faker } = dataOf(options);
  if (args.length === 0 || args.length > 2) throw new Error('repeat: takes a count or a min and a max: {{#repeat 3}} or {{#repeat 1 5}}');
  const [min, max] = args.map((arg, i) => {
    const n = wholeNumber(arg, 'repeat', args.length === 1 ? 'the count' : i === 0 ? 'the minimum' : 'the maximum');
    if (n < 0) throw new Error(`repeat: the count must not be negative, got ${n}`);
    return n;
  }) as [number, number | undefined];
  const top = max ?? min;
  if (top > maxRepeat) {
    throw new Error(`repeat: a count of ${top} is above the limit of ${maxRepeat} (raise it with the server flag --template-max-repeat)`);
  }
  if (max === undefined) return min;
  if (min > max) throw new Error(`repeat: the minimum ${min} is above the maximum ${max}`);
  return faker.number.int({ min, max });
}

const TRAILING_COMMA = /\s*,\s*$/;

// ---------------------------------------------------------------------------------------------------------------------

const binary = (name: string, test: (a: unknown, b: unknown) => boolean): Helper => (...all) => {
  const { args } = splitArgs(all);
  if (args.length !== 2) throw new Error(`${name}: takes two values: (${name} a b)`);
  return test(args[0], args[1]);
};

const unary = (test: (value: unknown) => boolean): Helper => (...all) => test(splitArgs(all).args[0]);

function isEmpty(value: unknown): boolean {
  if (isMissing(value) || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object' && !(value instanceof Date)) return Object.keys(value).length === 0;
  return false;
}

export default {
  /** `{{#switch value}}{{#case 'a'}}…{{/case}}{{#case 'b' 'c'}}…{{/case}}{{#default}}…{{/default}}{{/switch}}`: the first case whose value matches (as text) renders; default only when none does. */
  switch: (function (this: unknown, ...all: unknown[]) {
    const { args, options } = splitArgs(all);
    blockOnly(options, 'switch');
    if (args.length !== 1) throw new Error('switch: takes one value: {{#switch value}}');
    const state: SwitchState = { value: switchKey(args[0]), matched: false, deferred: [] };
    const frame = Handlebars.createFrame(options.data ?? {}) as Record<string, unknown>;
    frame[SWITCH] = state;
    let out = options.fn(this, { data: frame });
    for (const { marker, render } of state.deferred) out = out.split(marker).join(state.matched ? '' : render());
    return out;
  }) as Helper,

  /** `{{#case 'v1' 'v2' …}}…{{/case}}` inside a switch: renders when no earlier case matched and one of the values (or of an array's items) equals the switch value as text. */
  case: (function (this: unknown, ...all: unknown[]) {
    const { args, options } = splitArgs(all);
    blockOnly(options, 'case');
    const state = switchOf(options, 'case');
    if (state.matched || !args.flat().some((value) => switchKey(value) === state.value)) return '';
    state.matched = true;
    return options.fn(this);
  }) as Helper,

  /** `{{#default}}…{{/default}}` inside a switch: renders when no case of that switch matched, wherever it stands. */
  default: (function (this: unknown, ...all: unknown[]) {
    const { options } = splitArgs(all);
    blockOnly(options, 'default');
    const state = switchOf(options, 'default');
    if (state.matched) return '';
    const marker = `\u0000mockgate-default-${++markers}\u0000`;
    const context = this;
    const data = options.data as unknown;
    state.deferred.push({ marker, render: () => options.fn(context, { data }) });
    return marker;
  }) as Helper,

  /**
   * `{{#repeat count}}…{{/repeat}}` or `{{#repeat min max}}` (a random count, both ends included): the block rendered
   * that many times with `this` unchanged and @index/@first/@last set, joined by commas after one trailing comma of each
   * rendering is dropped; `separator='…'` joins with that instead (and drops nothing). A count of 0 renders `{{else}}`.
   */
  repeat: (function (this: unknown, ...all: unknown[]) {
    const { args, options } = splitArgs(all);
    blockOnly(options, 'repeat');
    const count = repeatCount(args, options);
    if (count === 0) return options.inverse(this);
    const separator = options.hash?.['separator'];
    const parts: string[] = [];
    for (let index = 0; index < count; index++) {
      const frame = Handlebars.createFrame(options.data ?? {}) as Record<string, unknown>;
      Object.assign(frame, { index, first: index === 0, last: index === count - 1 });
      const part = options.fn(this, { data: frame, blockParams: [index] });
      parts.push(separator === undefined ? part.replace(TRAILING_COMMA, '') : part);
    }
    return parts.join(separator === undefined ? ',' : text(separator));
  }) as Helper,

  /** `(eq a b)`: a === b (strict: '1' is not 1). */
  eq: binary('eq', (a, b) => a === b),
  /** `(ne a b)`: a !== b. */
  ne: binary('ne', (a, b) => a !== b),
  /** `(gt a b)`: a > b, as numbers when both look numeric, as dates when both are dates, else as text. */
  gt: binary('gt', (a, b) => compare(a, b) > 0),
  /** `(gte a b)`: a >= b, compared like gt. */
  gte: binary('gte', (a, b) => compare(a, b) >= 0),
  /** `(lt a b)`: a < b, compared like gt. */
  lt: binary('lt', (a, b) => compare(a, b) < 0),
  /** `(lte a b)`: a <= b, compared like gt. */
  lte: binary('lte', (a, b) => compare(a, b) <= 0),
  /** `(and a b …)`: true when every value is true as `{{#if}}` sees it. */
  and: ((...all) => splitArgs(all).args.every(truthy)) as Helper,
  /** `(or a b …)`: true when any value is true as `{{#if}}` sees it. */
  or: ((...all) => splitArgs(all).args.some(truthy)) as Helper,
  /** `(not a)`: true when a is false as `{{#if}}` sees it (false, 0, '', missing, empty array). */
  not: unary((value) => !truthy(value)),
  /** `(isNumber v)`: true for a finite number or a numeric string ('42', '-1.5'). */
  isNumber: unary(looksNumeric),
  /** `(isInteger v)`: true for a whole number or a string of one ('42', '3.0'). */
  isInteger: unary((value) => looksNumeric(value) && Number.isInteger(Number(value))),
  /** `(isDate v)`: true for an ISO 8601 date/date-time with a real calendar day, MM/DD/YYYY or a date with a month name. */
  isDate: unary((value) => dateTime(value) !== undefined),
  /** `(isEmpty v)`: true for missing, '', [] and {}. */
  isEmpty: unary(isEmpty),
  /** `{{coalesce a b …}}`: the first value that is not missing or '' (what body/queryParam give for a missing value); '' when all are. */
  coalesce: ((...all) => splitArgs(all).args.find((value) => !isMissing(value) && value !== '') ?? '') as Helper,
} as Record<string, Helper>;

const twoValues = (name: string): HelperCheck => (args) => arity(args, 2, 2, `(${name} a b)`);
const oneValue = (name: string): HelperCheck => (args) => arity(args, 1, 1, `(${name} value)`);

export const checks: Record<string, HelperCheck> = {
  switch: (args) => arity(args, 1, 1, '{{#switch value}}'),
  case: (args) => (args.length === 0 ? "needs at least one value: {{#case 'value'}}" : undefined),
  default: (args) => arity(args, 0, 0, '{{#default}}…{{/default}}'),
  repeat: (args, { maxRepeat }) => {
    if (args.length === 0 || args.length > 2) return 'takes a count or a min and a max: {{#repeat 3}} or {{#repeat 1 5}}';
    const [min, max] = args;
    const problem = args.length === 1
      ? literalCount(min, 'the count', maxRepeat)
      : firstProblem(literalCount(min, 'the minimum', maxRepeat), literalCount(max, 'the maximum', maxRepeat));
    if (problem !== undefined) return problem;
    if (min?.literal && max?.literal && Number(min.value) > Number(max.value)) return `the minimum ${min.value} is above the maximum ${max.value}`;
    return undefined;
  },
  eq: twoValues('eq'),
  ne: twoValues('ne'),
  gt: twoValues('gt'),
  gte: twoValues('gte'),
  lt: twoValues('lt'),
  lte: twoValues('lte'),
  and: (args) => arity(args, 1, Infinity, '(and a b …)'),
  or: (args) => arity(args, 1, Infinity, '(or a b …)'),
  not: oneValue('not'),
  isNumber: oneValue('isNumber'),
  isInteger: oneValue('isInteger'),
  isDate: oneValue('isDate'),
  isEmpty: oneValue('isEmpty'),
  coalesce: (args) => arity(args, 1, Infinity, '{{coalesce a b …}}'),
};
