// Arithmetic helpers, as Beeceptor names them: numbers or numeric strings in, numbers out (printed bare). As Beeceptor
// documents for add, a value that is not a number (text, a missing value, NaN) counts as 0. Random numbers and UUIDs
// come from the render's faker, so a server started with a faker seed repeats them.
import { dataOf, isMissing, splitArgs, type Argument, type Helper, type HelperCheck } from './helper-kit.js';

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
/** Fraction digits Intl.NumberFormat and faker accept. */
const MAX_FORMAT_DIGITS = 20;
/** Digits JS `toFixed` accepts. */
const MAX_FIXED_DIGITS = 100;

/** A finite number, or a string that writes one in decimal; anything else is undefined. */
export function numeric(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && DECIMAL.test(value.trim())) {
    const n = Number(value.trim());
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

const orZero = (value: unknown): number => numeric(value) ?? 0;

/** Drops binary floating-point noise (0.1 + 0.2 → 0.3): rounds to 15 significant digits when that moves the value by only a few units in the last place. */
function tidy(x: number): number {
  if (Number.isInteger(x) || !Number.isFinite(x)) return x === 0 ? 0 : x;
  const rounded = Number(x.toPrecision(15));
  return Math.abs(rounded - x) <= 8 * Number.EPSILON * Math.abs(x) ? rounded : x;
}

/** Rounds half away from zero at `digits` decimals, on the number as JS writes it (1.005 → 1.01). */
function roundTo(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const [mantissa, exponent = '0'] = String(Math.abs(x)).split('e');
  const shifted = Number(`${mantissa}e${Number(exponent) + digits}`);
  if (shifted >= 2 ** 52) return x;
  const result = Number(`${Math.round(shifted)}e${-digits}`);
  return x < 0 && result !== 0 ? -result : result;
}

/** A required number argument, else an error naming the helper. */
function required(value: unknown, helper: string, what: string): number {
  const n = numeric(value);
  if (n === undefined) throw new Error(`${helper}: ${what} must be a number, got ${describe(value)}`);
  return n;
}

/** An optional count of digits from 0 to max; missing is `fallback`. */
function digitsOf(value: unknown, helper: string, max: number, fallback: number): number {
  if (isMissing(value)) return fallback;
  const n = numeric(value);
  if (n === undefined || !Number.isInteger(n) || n < 0 || n > max) {
    throw new Error(`${helper}: the number of decimals must be a whole number from 0 to ${max}, got ${describe(value)}`);
  }
  return n;
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(typeof value === 'string' && value.length > 40 ? `${value.slice(0, 40)}…` : value) ?? String(value);
}

/** The numbers among the arguments, or among the items of a single array argument. */
function numbersIn(args: readonly unknown[]): number[] {
  const values = args.length === 1 && Array.isArray(args[0]) ? args[0] as unknown[] : args;
  return values.map(numeric).filter((n): n is number => n !== undefined);
}

const unary = (op: (x: number) => number): Helper => (...all) => tidy(op(orZero(splitArgs(all).args[0])));

function divideBy(helper: string, divisor: number): number {
  if (divisor === 0) throw new Error(`${helper}: division by zero`);
  return divisor;
}

export default {
  /** `{{add a b …}}`: the sum; non-numbers count as 0. */
  add: ((...all) => tidy(splitArgs(all).args.reduce<number>((sum, value) => sum + orZero(value), 0))) as Helper,
  /** `{{subtract a b …}}`: the first minus all the others. */
  subtract: ((...all) => {
    const { args: [first, ...rest] } = splitArgs(all);
    return tidy(rest.reduce<number>((difference, value) => difference - orZero(value), orZero(first)));
  }) as Helper,
  /** `{{multiply a b …}}`: the product (non-numbers count as 0, so the product is 0). */
  multiply: ((...all) => {
    const { args } = splitArgs(all);
    return args.length === 0 ? 0 : tidy(args.reduce<number>((product, value) => product * orZero(value), 1));
  }) as Helper,
  /** `{{divide a b …}}`: the first divided by each of the others in turn; a zero divisor is an error. */
  divide: ((...all) => {
    const { args: [first, ...rest] } = splitArgs(all);
    return tidy(rest.reduce<number>((quotient, value) => quotient / divideBy('divide', orZero(value)), orZero(first)));
  }) as Helper,
  /** `{{modulo a b}}`: the remainder of a divided by b, with the sign of a (JS `%`); b = 0 is an error. */
  modulo: ((...all) => {
    const { args: [a, b] } = splitArgs(all);
    return tidy(orZero(a) % divideBy('modulo', orZero(b)));
  }) as Helper,
  /** `{{floor x}}`: the largest whole number ≤ x. */
  floor: unary(Math.floor),
  /** `{{ceil x}}`: the smallest whole number ≥ x. */
  ceil: unary(Math.ceil),
  /** `{{round x [decimals]}}`: x rounded half away from zero to decimals places (default 0). */
  round: ((...all) => {
    const { args: [value, decimals] } = splitArgs(all);
    return roundTo(orZero(value), digitsOf(decimals, 'round', MAX_FIXED_DIGITS, 0));
  }) as Helper,
  /** `{{abs x}}`: the absolute value. */
  abs: unary(Math.abs),
  /** `{{min a b …}}` or `{{min array}}`: the smallest number (non-numbers skipped); nothing when there is none. */
  min: ((...all) => {
    const numbers = numbersIn(splitArgs(all).args);
    return numbers.length === 0 ? '' : Math.min(...numbers);
  }) as Helper,
  /** `{{max a b …}}` or `{{max array}}`: the largest number (non-numbers skipped); nothing when there is none. */
  max: ((...all) => {
    const numbers = numbersIn(splitArgs(all).args);
    return numbers.length === 0 ? '' : Math.max(...numbers);
  }) as Helper,
  /** `{{toFixed x [digits]}}`: text with exactly digits decimals (default 0), rounded half away from zero ('123.46'). */
  toFixed: ((...all) => {
    const { args: [value, digits] } = splitArgs(all);
    const places = digitsOf(digits, 'toFixed', MAX_FIXED_DIGITS, 0);
    return roundTo(orZero(value), places).toFixed(places);
  }) as Helper,
  /**
   * `{{formatNumber x [decimals] [locale]}}`: x with the locale's grouping and decimal marks (default en-US; decimals
   * fixed when given, else up to 3): `{{formatNumber 1234567.891 2}}` → 1,234,567.89. A locale may come second.
   */
  formatNumber: ((...all) => {
    const { args: [value, ...rest] } = splitArgs(all);
    let decimals: number | undefined;
    let locale = 'en-US';
    for (const arg of rest) {
      if (isMissing(arg)) continue;
      if (typeof arg === 'string' && numeric(arg) === undefined) locale = arg;
      else decimals = digitsOf(arg, 'formatNumber', MAX_FORMAT_DIGITS, 0);
    }
    let format: Intl.NumberFormat;
    try {
      format = new Intl.NumberFormat(locale, decimals === undefined ? {} : { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    } catch {
      throw new Error(`formatNumber: ${describe(locale)} is not a locale`);
    }
    return format.format(orZero(value));
  }) as Helper,
  /** `{{randomInt min max}}`: a random whole number from min to max, both included. */
  randomInt: ((...all) => {
    const { args: [min, max], options } = splitArgs(all);
    const from = required(min, 'randomInt', 'the minimum');
    const to = required(max, 'randomInt', 'the maximum');
    if (from > to) throw new Error(`randomInt: the minimum ${from} is greater than the maximum ${to}`);
    const low = Math.ceil(from);
    const high = Math.floor(to);
    if (low > high) throw new Error(`randomInt: there is no whole number from ${from} to ${to}`);
    if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high)) throw new Error('randomInt: the bounds must be safe integers');
    return dataOf(options).faker.number.int({ min: low, max: high });
  }) as Helper,
  /** `{{randomFloat min max [decimals]}}`: a random number from min to max, with at most decimals places when given. */
  randomFloat: ((...all) => {
    const { args: [min, max, decimals], options } = splitArgs(all);
    const low = required(min, 'randomFloat', 'the minimum');
    const high = required(max, 'randomFloat', 'the maximum');
    if (low > high) throw new Error(`randomFloat: the minimum ${low} is greater than the maximum ${high}`);
    const faker = dataOf(options).faker;
    if (isMissing(decimals)) return faker.number.float({ min: low, max: high });
    const fractionDigits = digitsOf(decimals, 'randomFloat', MAX_FORMAT_DIGITS, 0);
    try {
      return faker.number.float({ min: low, max: high, fractionDigits });
    } catch {
      throw new Error(`randomFloat: there is no number with ${fractionDigits} decimals from ${low} to ${high}`);
    }
  }) as Helper,
  /** `{{uuid}}`: a random version 4 UUID. */
  uuid: ((...all) => dataOf(splitArgs(all).options).faker.string.uuid()) as Helper,
};

const known = (arg: Argument | undefined): arg is { literal: true; value: string | number | boolean } => arg?.literal === true;

/** What is wrong with a literal count of digits, if anything. */
function literalDigits(arg: Argument | undefined, max: number): string | undefined {
  if (!known(arg)) return undefined;
  const n = numeric(arg.value);
  return n !== undefined && Number.isInteger(n) && n >= 0 && n <= max ? undefined
    : `the number of decimals must be a whole number from 0 to ${max}, got ${JSON.stringify(arg.value)}`;
}

const zeroDivisor = (arg: Argument | undefined): string | undefined =>
  known(arg) && orZero(arg.value) === 0
    ? `division by zero (${numeric(arg.value) === undefined ? `${JSON.stringify(arg.value)} is not a number, so it counts as 0` : 'the divisor is 0'})`
    : undefined;

/** Bounds of randomInt/randomFloat: both present, literal ones numbers, literal min ≤ max. */
function boundsCheck(helper: string, [min, max]: readonly Argument[], whole: boolean): string | undefined {
  if (min === undefined || max === undefined) return `needs a minimum and a maximum: {{${helper} 1 10}}`;
  for (const [arg, what] of [[min, 'the minimum'], [max, 'the maximum']] as const) {
    if (known(arg) && numeric(arg.value) === undefined) return `${what} must be a number, got ${JSON.stringify(arg.value)}`;
  }
  if (known(min) && known(max)) {
    const low = numeric(min.value)!;
    const high = numeric(max.value)!;
    if (low > high) return `the minimum ${low} is greater than the maximum ${high}`;
    if (whole && Math.ceil(low) > Math.floor(high)) return `there is no whole number from ${low} to ${high}`;
  }
  return undefined;
}

export const checks: Record<string, HelperCheck> = {
  divide: ([, ...divisors]) => divisors.map(zeroDivisor).find((problem) => problem !== undefined),
  modulo: ([, divisor]) => (divisor === undefined ? 'needs a number and a divisor: {{modulo 7 3}}' : zeroDivisor(divisor)),
  round: ([, decimals]) => literalDigits(decimals, MAX_FIXED_DIGITS),
  toFixed: ([, digits]) => literalDigits(digits, MAX_FIXED_DIGITS),
  formatNumber: ([, ...rest]) => {
    for (const arg of rest) {
      if (!known(arg)) continue;
      if (typeof arg.value === 'string' && numeric(arg.value) === undefined) {
        try {
          new Intl.NumberFormat(arg.value);
        } catch {
          return `${JSON.stringify(arg.value)} is not a locale`;
        }
      } else {
        const problem = literalDigits(arg, MAX_FORMAT_DIGITS);
        if (problem !== undefined) return problem;
      }
    }
    return undefined;
  },
  randomInt: (args) => boundsCheck('randomInt', args, true),
  randomFloat: (args) => boundsCheck('randomFloat', args, false) ?? literalDigits(args[2], MAX_FORMAT_DIGITS),
};
