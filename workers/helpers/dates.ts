// Date and time helpers, as Beeceptor names them: now (with relative offsets), dateAdd, dateParse, dateDiff, dateFormat
// and timestamp. Every date is read and printed in UTC; custom patterns are dayjs format tokens (YYYY, MM, DD, HH, mm,
// ss, SSS, Z, ddd, MMM…). The output shorthands are shared with the faker helper's date results.
import dayjs, { type Dayjs } from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat.js';
import utc from 'dayjs/plugin/utc.js';
import { isMissing, splitArgs, type Argument, type Helper, type HelperCheck } from './helper-kit.js';

dayjs.extend(utc);
dayjs.extend(customParseFormat);

/** Output shorthands: a name here is never read as a dayjs pattern. */
const PATTERNS: Readonly<Record<string, string>> = {
  iso: 'YYYY-MM-DDTHH:mm:ss.SSSZ',
  utc: 'YYYY-MM-DDTHH:mm:ss[Z]',
  us: 'MM/DD/YYYY',
  eu: 'DD/MM/YYYY',
  sql: 'YYYY-MM-DD HH:mm:ss',
  compact: 'YYYYMMDDHHmmss',
  // JS Date.toString() as printed in UTC: what `{{now}}` gives
  long: 'ddd MMM DD YYYY HH:mm:ss [GMT+0000 (Coordinated Universal Time)]',
};

/**
 * Prints a date in UTC: a shorthand (iso, utc, long, us, eu, sql, compact; timestamp is epoch milliseconds and unix
 * epoch seconds, both as numbers) or else a dayjs pattern.
 */
export function formatDate(date: Date | number, format: string): string | number {
  const ms = typeof date === 'number' ? date : date.getTime();
  if (!Number.isFinite(ms)) throw new Error('invalid date');
  const shorthand = format.trim().toLowerCase();
  if (shorthand === 'timestamp') return ms;
  if (shorthand === 'unix') return Math.floor(ms / 1000);
  return dayjs.utc(ms).format(PATTERNS[shorthand] ?? format);
}

// ---------------------------------------------------------------------------------------------------------------------
// Relaxed object literals: Beeceptor writes options as strings such as '{minutes:5}' or '{min:500, max:600}'.

/**
 * Parses a JSON-like literal whose keys need no quotes: objects, arrays, numbers, true/false/null and strings in single
 * or double quotes. Throws an Error saying where it stopped.
 */
export function parseLooseLiteral(text: string): unknown {
  let at = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at character ${at + 1} of ${JSON.stringify(text)}`);
  };
  const space = (): void => {
    while (at < text.length && /\s/.test(text[at]!)) at++;
  };
  const value = (depth: number): unknown => {
    if (depth > 32) fail('too deeply nested');
    space();
    const c = text[at];
    if (c === '{') return object(depth);
    if (c === '[') return array(depth);
    if (c === '"' || c === "'") return string();
    const word = /^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(at))?.[0];
    if (word === undefined) return fail(c === undefined ? 'unexpected end' : `unexpected ${JSON.stringify(c)}`);
    at += word.length;
    return word === 'true' ? true : word === 'false' ? false : word === 'null' ? null : Number(word);
  };
  const string = (): string => {
    const quote = text[at++];
    let out = '';
    while (at < text.length && text[at] !== quote) {
      let c = text[at++]!;
      if (c === '\\') {
        const e = text[at++];
        if (e === undefined) break;
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(at, at + 4))) {
          c = String.fromCharCode(parseInt(text.slice(at, at + 4), 16));
          at += 4;
        } else c = ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[e] ?? e;
      }
      out += c;
    }
    if (text[at] !== quote) fail('unterminated string');
    at++;
    return out;
  };
  const key = (): string => {
    space();
    const c = text[at];
    if (c === '"' || c === "'") return string();
    const name = /^[A-Za-z_$][\w$-]*|^\d+/.exec(text.slice(at))?.[0];
    if (name === undefined) return fail('expected a key');
    at += name.length;
    return name;
  };
  const object = (depth: number): Record<string, unknown> => {
    at++;
    const out: Record<string, unknown> = {};
    space();
    while (text[at] !== '}') {
      const name = key();
      space();
      if (text[at] !== ':') fail(`expected ":" after ${JSON.stringify(name)}`);
      at++;
      // defineProperty: a key such as __proto__ stays an ordinary own property
      Object.defineProperty(out, name, { value: value(depth + 1), enumerable: true, writable: true, configurable: true });
      space();
      if (text[at] === ',') {
        at++;
        space();
      } else if (text[at] !== '}') fail('expected "," or "}"');
    }
    at++;
    return out;
  };
  const array = (depth: number): unknown[] => {
    at++;
    const out: unknown[] = [];
    space();
    while (text[at] !== ']') {
      out.push(value(depth + 1));
      space();
      if (text[at] === ',') {
        at++;
        space();
      } else if (text[at] !== ']') fail('expected "," or "]"');
    }
    at++;
    return out;
  };
  const result = value(0);
  space();
  if (at < text.length) fail('unexpected text after the value');
  return result;
}

/** A string written as an options literal: `{…}` (but not a `{{…}}` mustache) or `[…]`. */
export const looksLikeLiteral = (value: unknown): value is string =>
  typeof value === 'string' && /^\s*(?:\{(?!\{)|\[)/.test(value);

/** A string written as an object literal, such as an offset `'{days:1}'` (a pattern may start with `[text]`). */
export const looksLikeObjectLiteral = (value: unknown): value is string => typeof value === 'string' && /^\s*\{(?!\{)/.test(value);

// ---------------------------------------------------------------------------------------------------------------------
// Offsets

const UNITS = ['years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds', 'milliseconds'] as const;
type Unit = (typeof UNITS)[number];
export type Offset = Partial<Record<Unit, number>>;

const UNIT_NAMES: Readonly<Record<string, Unit>> = {
  ms: 'milliseconds', millisecond: 'milliseconds', milliseconds: 'milliseconds',
  s: 'seconds', sec: 'seconds', second: 'seconds', seconds: 'seconds',
  min: 'minutes', minute: 'minutes', minutes: 'minutes',
  h: 'hours', hour: 'hours', hours: 'hours',
  d: 'days', day: 'days', days: 'days',
  w: 'weeks', week: 'weeks', weeks: 'weeks',
  month: 'months', months: 'months',
  y: 'years', year: 'years', years: 'years',
};
const unitOf = (name: string): Unit | undefined => (Object.hasOwn(UNIT_NAMES, name.toLowerCase()) ? UNIT_NAMES[name.toLowerCase()] : undefined);

/** A duration from Beeceptor's string form `'{months:-11, days:1}'` or an object such as `(object hours=3)`. */
export function parseOffset(input: unknown): Offset {
  const source = typeof input === 'string' ? parseLooseLiteral(input) : input;
  if (source === null || typeof source !== 'object' || Array.isArray(source) || source instanceof Date) {
    throw new Error(`${JSON.stringify(typeof input === 'string' ? input : String(input))} is not an offset such as '{days:1, hours:-2}'`);
  }
  const offset: Offset = {};
  for (const [name, raw] of Object.entries(source)) {
    const unit = unitOf(name);
    if (unit === undefined) throw new Error(`unknown offset unit "${name}"; use ${UNITS.join(', ')}`);
    if (offset[unit] !== undefined) throw new Error(`the offset gives ${unit} twice`);
    const n = typeof raw === 'string' && /^\s*[+-]?\d+\s*$/.test(raw) ? Number(raw) : raw;
    if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new Error(`the offset's ${unit} must be a whole number, got ${JSON.stringify(raw)}`);
    offset[unit] = n;
  }
  return offset;
}

/** Calendar units first (years, months, weeks, days), then time units. */
export function applyOffset(date: Date, offset: Offset): Date {
  let d: Dayjs = dayjs.utc(date.getTime());
  for (const unit of UNITS) {
    const n = offset[unit];
    if (n) d = d.add(n, unit);
  }
  const out = d.toDate();
  if (!Number.isFinite(out.getTime())) throw new Error('the offset leads out of the range of dates');
  return out;
}

const isOffsetArgument = (value: unknown): boolean =>
  looksLikeObjectLiteral(value) || (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date));

// ---------------------------------------------------------------------------------------------------------------------
// Reading dates

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
/** A zone in free date text: GMT or UTC, or Z / ±hh:mm right after a time. */
const ZONE = /GMT|UTC|\d:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})\b/i;

/** `2024-10-10`, `2024-10-10T04:39:51.123`, `2024-10-10 04:39+02:00`…; no zone means UTC; out-of-range parts refused. */
function parseIso(match: RegExpExecArray): number | undefined {
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = match;
  const parts = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)] as const;
  const ms = Date.UTC(...parts, Number(frac.slice(0, 3).padEnd(3, '0')));
  const back = new Date(ms);
  if (back.getUTCFullYear() !== parts[0] || back.getUTCMonth() !== parts[1] || back.getUTCDate() !== parts[2]
    || back.getUTCHours() !== parts[3] || back.getUTCMinutes() !== parts[4] || back.getUTCSeconds() !== parts[5]) return undefined;
  if (zone === undefined || zone.toUpperCase() === 'Z') return ms;
  const [, sign, zh, zm = '0'] = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
  return ms - (sign === '-' ? -1 : 1) * (Number(zh) * 60 + Number(zm)) * 60_000;
}

/** Any date text: ISO 8601, 8- or 14-digit compact dates, epoch milliseconds, or what JS Date reads (taken as UTC). */
function parseDateText(input: string): number | undefined {
  const text = input.trim();
  if (/^\d{8}$/.test(text)) return parseWithPattern(text, 'YYYYMMDD');
  if (/^\d{14}$/.test(text)) return parseWithPattern(text, 'YYYYMMDDHHmmss');
  if (/^[+-]?\d+(?:\.\d+)?$/.test(text)) return Number(text);
  const iso = ISO.exec(text);
  if (iso !== null) return parseIso(iso);
  const native = new Date(text);
  if (!Number.isFinite(native.getTime())) return undefined;
  if (ZONE.test(text)) return native.getTime();
  // no zone given: JS read it as local time; the same wall-clock time in UTC is meant
  return Date.UTC(native.getFullYear(), native.getMonth(), native.getDate(), native.getHours(), native.getMinutes(),
    native.getSeconds(), native.getMilliseconds());
}

/** A dayjs pattern, or a shorthand read back: us, eu, sql, compact, iso/utc (ISO 8601), timestamp (ms), unix (s). */
function parseWithPattern(text: string, pattern: string): number | undefined {
  const shorthand = pattern.trim().toLowerCase();
  if (shorthand === 'timestamp' || shorthand === 'unix') {
    if (!/^\s*[+-]?\d+(?:\.\d+)?\s*$/.test(text)) return undefined;
    return Number(text) * (shorthand === 'unix' ? 1000 : 1);
  }
  if (shorthand === 'iso' || shorthand === 'utc') {
    const iso = ISO.exec(text.trim());
    return iso === null ? undefined : parseIso(iso);
  }
  if (shorthand === 'long') return parseDateText(text);
  const format = PATTERNS[shorthand] ?? pattern;
  let parsed = dayjs.utc(text, format, true);
  // dayjs's strict mode refuses any text with a zone token (Z, ZZ): read those leniently
  if (!parsed.isValid() && /Z/.test(format.replace(/\[[^\]]*\]/g, ''))) parsed = dayjs.utc(text, format);
  return parsed.isValid() ? parsed.valueOf() : undefined;
}

/** A date argument: a Date, epoch milliseconds, or date text. Throws naming the helper when it is none of them. */
export function toDate(value: unknown, helper: string, pattern?: string): Date {
  let ms: number | undefined;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = value;
  else if (typeof value === 'string' && value.trim() !== '') {
    ms = pattern === undefined ? parseDateText(value) : parseWithPattern(value, pattern);
  }
  const date = new Date(ms ?? Number.NaN);
  if (!Number.isFinite(date.getTime())) {
    if (isMissing(value) || value === '') throw new Error(`${helper}: needs a date`);
    const shown = JSON.stringify(value instanceof Date ? 'Invalid Date' : String(value));
    throw new Error(`${helper}: ${shown} is not a date${pattern === undefined ? '' : ` in the pattern "${pattern}"`}`);
  }
  return date;
}

const formatOf = (value: unknown, fallback: string): string =>
  isMissing(value) || value === '' || typeof value === 'object' ? fallback : String(value);

const withName = <T>(helper: string, run: () => T): T => {
  try {
    return run();
  } catch (err) {
    const message = (err as Error).message;
    throw new Error(message.startsWith(`${helper}: `) ? message : `${helper}: ${message}`);
  }
};

// ---------------------------------------------------------------------------------------------------------------------
// Differences

const DIFF_UNITS: Readonly<Record<string, 'millisecond' | 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year'>> = {
  ms: 'millisecond', millisecond: 'millisecond', milliseconds: 'millisecond',
  s: 'second', second: 'second', seconds: 'second',
  m: 'minute', min: 'minute', minute: 'minute', minutes: 'minute',
  h: 'hour', hour: 'hour', hours: 'hour',
  d: 'day', day: 'day', days: 'day',
  w: 'week', week: 'week', weeks: 'week',
  M: 'month', month: 'month', months: 'month',
  y: 'year', year: 'year', years: 'year',
};
const diffUnit = (name: string): (typeof DIFF_UNITS)[string] | undefined =>
  Object.hasOwn(DIFF_UNITS, name) ? DIFF_UNITS[name] : Object.hasOwn(DIFF_UNITS, name.toLowerCase()) ? DIFF_UNITS[name.toLowerCase()] : undefined;
const DIFF_UNIT_LIST = 'ms, seconds, minutes, hours, days, weeks, months, years';

// ---------------------------------------------------------------------------------------------------------------------

export default {
  /**
   * `{{now}}` (long form), `{{now 'utc'}}`, `{{now 'iso'}}`, `{{now 'YYYYMMDD'}}`; with an offset first:
   * `{{now '{minutes:5}' 'utc'}}` or `{{now (object hours=3) 'iso'}}`.
   */
  now: ((...all) => withName('now', () => {
    const { args } = splitArgs(all);
    let [offset, format] = args;
    if (!isOffsetArgument(offset)) [offset, format] = isOffsetArgument(format) ? [format, offset] : [undefined, offset];
    const date = offset === undefined ? new Date(Date.now()) : applyOffset(new Date(Date.now()), parseOffset(offset));
    return formatDate(date, formatOf(format, 'long'));
  })) as Helper,

  /** `{{dateAdd date '{days:3}' 'iso'}}`: the date moved by the offset (negative values go back); ISO by default. */
  dateAdd: ((...all) => withName('dateAdd', () => {
    const { args: [value, offset, format] } = splitArgs(all);
    if (isMissing(offset) || offset === '') throw new Error("needs an offset such as '{days:1}'");
    return formatDate(applyOffset(toDate(value, 'dateAdd'), parseOffset(offset)), formatOf(format, 'iso'));
  })) as Helper,

  /** `{{dateParse text [inputPattern] [format]}}`: text read by a dayjs pattern or shorthand (any usual form without). */
  dateParse: ((...all) => withName('dateParse', () => {
    const { args: [value, pattern, format] } = splitArgs(all);
    const input = isMissing(pattern) || pattern === '' ? undefined : String(pattern);
    return formatDate(toDate(value, 'dateParse', input), formatOf(format, 'iso'));
  })) as Helper,

  /** `{{dateDiff a b 'days'}}`: b − a as a whole number of the unit, truncated toward zero (milliseconds by default). */
  dateDiff: ((...all) => withName('dateDiff', () => {
    const { args: [a, b, unitName] } = splitArgs(all);
    const name = formatOf(unitName, 'ms');
    const unit = diffUnit(name);
    if (unit === undefined) throw new Error(`unknown unit "${name}"; use ${DIFF_UNIT_LIST}`);
    const from = dayjs.utc(toDate(a, 'dateDiff').getTime());
    return dayjs.utc(toDate(b, 'dateDiff').getTime()).diff(from, unit);
  })) as Helper,

  /** `{{dateFormat date 'DD/MM/YYYY'}}`: a date printed with a shorthand or dayjs pattern (ISO by default). */
  dateFormat: ((...all) => withName('dateFormat', () => {
    const { args: [value, format] } = splitArgs(all);
    return formatDate(toDate(value, 'dateFormat'), formatOf(format, 'iso'));
  })) as Helper,

  /** `{{timestamp}}`: epoch milliseconds of now; `{{timestamp date}}` of that date. */
  timestamp: ((...all) => withName('timestamp', () => {
    const { args: [value] } = splitArgs(all);
    return isMissing(value) ? Date.now() : toDate(value, 'timestamp').getTime();
  })) as Helper,
};

// ---------------------------------------------------------------------------------------------------------------------
// Write-time checks of literal arguments

const literal = (arg: Argument | undefined): string | number | boolean | undefined => (arg?.literal ? arg.value : undefined);

/** What is wrong with a literal offset, or undefined. */
function offsetProblem(arg: Argument | undefined): string | undefined {
  const value = literal(arg);
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !looksLikeObjectLiteral(value)) return `${JSON.stringify(value)} is not an offset such as '{days:1, hours:-2}'`;
  try {
    parseOffset(value);
    return undefined;
  } catch (err) {
    return `bad offset: ${(err as Error).message}`;
  }
}

/** What is wrong with a literal date, or undefined. */
function dateProblem(arg: Argument | undefined, pattern?: Argument): string | undefined {
  const value = literal(arg);
  if (value === undefined || (pattern !== undefined && !pattern.literal)) return undefined;
  const p = literal(pattern);
  try {
    toDate(value, 'date', p === undefined || p === '' ? undefined : String(p));
    return undefined;
  } catch (err) {
    return (err as Error).message.replace(/^date: /, '');
  }
}

export const checks: Record<string, HelperCheck> = {
  now: ([first, second]) => {
    if (looksLikeObjectLiteral(literal(first))) return offsetProblem(first);
    if (looksLikeObjectLiteral(literal(second))) return offsetProblem(second);
    return undefined;
  },
  dateAdd: ([date, offset]) => dateProblem(date) ?? offsetProblem(offset),
  dateParse: ([text, pattern]) => dateProblem(text, pattern),
  dateDiff: ([a, b, unit]) => {
    const name = literal(unit);
    if (name !== undefined && diffUnit(String(name)) === undefined) return `unknown unit "${name}"; use ${DIFF_UNIT_LIST}`;
    return dateProblem(a) ?? dateProblem(b);
  },
  dateFormat: ([date]) => dateProblem(date),
  timestamp: ([date]) => dateProblem(date),
};
