// String helpers, as Beeceptor names them: case, concatenation, search, padding, splitting and cutting text. A missing
// input prints as nothing; numbers and booleans are used as their text; an object that is not text is an error.
import { isDeepStrictEqual } from 'node:util';
import { isMissing, splitArgs, type Argument, type Helper, type HelperCheck } from './helper-kit.js';

/** Longest string `padStart`/`padEnd` build, so a template cannot ask for gigabytes. */
export const MAX_PAD_LENGTH = 1_000_000;

/**
 * A helper argument as text: missing is '', numbers and booleans print as JS prints them, arrays comma-joined (as
 * `{{ }}` prints them), values with their own `toString` (a SafeString, a Date) as that; a plain object is an error.
 */
export function textOf(value: unknown, helper: string, what = 'the input'): string {
  if (isMissing(value)) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || Array.isArray(value)) return String(value);
  if (typeof value === 'object' && (value as { toString?: unknown }).toString !== Object.prototype.toString &&
    typeof (value as { toString?: unknown }).toString === 'function') return String(value);
  throw new Error(`${helper}: ${what} must be text, got ${describe(value)}`);
}

/** What a value is, for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}

/** A whole number argument (numbers or numeric strings), else an error naming the helper. */
function wholeNumber(value: unknown, helper: string, what: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new Error(`${helper}: ${what} must be a whole number, got ${describe(value)}`);
  return n;
}

/** A length argument: a whole number from 0 to `max`. */
function lengthOf(value: unknown, helper: string, max = Number.MAX_SAFE_INTEGER): number {
  const n = wholeNumber(value, helper, 'the length');
  if (n < 0 || n > max) throw new Error(`${helper}: the length must be from 0 to ${max}, got ${n}`);
  return n;
}

/** Equal for `contains`: the same value, deeply equal arrays/objects, or a number and the string that writes it. */
function sameItem(item: unknown, wanted: unknown): boolean {
  if (item === wanted || isDeepStrictEqual(item, wanted)) return true;
  if (typeof item === 'number' && typeof wanted === 'string') return String(item) === wanted;
  if (typeof item === 'string' && typeof wanted === 'number') return item === String(wanted);
  return false;
}

const oneText = (name: string, transform: (text: string) => string): Helper => (...all) =>
  transform(textOf(splitArgs(all).args[0], name));

const edgeTest = (name: 'startsWith' | 'endsWith'): Helper => (...all) => {
  const { args: [text, part] } = splitArgs(all);
  if (isMissing(part)) return false;
  return textOf(text, name)[name](textOf(part, name, 'the text to look for'));
};

const pad = (name: 'padStart' | 'padEnd'): Helper => (...all) => {
  const { args: [text, length, padChar] } = splitArgs(all);
  const fill = isMissing(padChar) ? ' ' : textOf(padChar, name, 'the pad character');
  return textOf(text, name)[name](lengthOf(length, name, MAX_PAD_LENGTH), fill);
};

export default {
  /** `{{lowercase text}}`: the text in lower case. */
  lowercase: oneText('lowercase', (text) => text.toLowerCase()),
  /** `{{uppercase text}}`: the text in upper case. */
  uppercase: oneText('uppercase', (text) => text.toUpperCase()),
  /** `{{capitalize text}}`: the text with its first letter in upper case, the rest unchanged. */
  capitalize: oneText('capitalize', (text) => text.charAt(0).toUpperCase() + text.slice(1)),

  /**
   * `{{concat a b …}}`: the texts joined; when any argument is an array, an array of every array's items followed in
   * order by the other arguments (missing ones skipped), which `{{ }}` prints comma-joined.
   */
  concat: ((...all) => {
    const { args } = splitArgs(all);
    if (args.some(Array.isArray)) return args.filter((value) => !isMissing(value)).flatMap((value) => (Array.isArray(value) ? value : [value]));
    return args.map((value) => textOf(value, 'concat')).join('');
  }) as Helper,

  /** `{{contains textOrArray value}}`: true when the text has the value as a substring (case-sensitive) or the array has it as an item. */
  contains: ((...all) => {
    const { args: [haystack, needle] } = splitArgs(all);
    if (isMissing(haystack) || isMissing(needle)) return false;
    if (Array.isArray(haystack)) return haystack.some((item) => sameItem(item, needle));
    return textOf(haystack, 'contains').includes(textOf(needle, 'contains', 'the text to look for'));
  }) as Helper,

  /** `{{padStart text length [padChar]}}`: the text padded at the start to the length, with padChar (default a space). */
  padStart: pad('padStart'),
  /** `{{padEnd text length [padChar]}}`: the text padded at the end to the length, with padChar (default a space). */
  padEnd: pad('padEnd'),

  /** `{{split text [separator]}}`: an array of the parts between separators (plain text, default ','); [] for no text. */
  split: ((...all) => {
    const { args: [text, separator] } = splitArgs(all);
    const whole = textOf(text, 'split');
    return whole === '' ? [] : whole.split(isMissing(separator) ? ',' : textOf(separator, 'split', 'the separator'));
  }) as Helper,

  /** `{{trim text}}`: the text without leading and trailing white space. */
  trim: oneText('trim', (text) => text.trim()),

  /** `{{substring text start [end]}}`: the characters from start up to (not including) end, as JS `substring`. */
  substring: ((...all) => {
    const { args: [text, start, end] } = splitArgs(all);
    const from = wholeNumber(start, 'substring', 'the start');
    return textOf(text, 'substring').substring(from, isMissing(end) ? undefined : wholeNumber(end, 'substring', 'the end'));
  }) as Helper,

  /** `{{replace text search replacement}}`: every occurrence of search (plain text, not a pattern) replaced. */
  replace: ((...all) => {
    const { args: [text, search, replacement] } = splitArgs(all);
    const whole = textOf(text, 'replace');
    const find = textOf(search, 'replace', 'the text to replace');
    if (find === '') return whole;
    const by = textOf(replacement, 'replace', 'the replacement');
    return whole.replaceAll(find, () => by);
  }) as Helper,

  /** `{{startsWith text prefix}}`: true when the text starts with the prefix (case-sensitive). */
  startsWith: edgeTest('startsWith'),
  /** `{{endsWith text suffix}}`: true when the text ends with the suffix (case-sensitive). */
  endsWith: edgeTest('endsWith'),

  /** `{{slugify text}}`: lower-case ASCII letters and digits joined by single '-', accents dropped ('Crème Brûlée!' → 'creme-brulee'). */
  slugify: oneText('slugify', (text) => text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')),

  /** `{{stripTags text}}`: the text without HTML/XML tags and comments; a lone '<' (as in 'a < b') stays. */
  stripTags: oneText('stripTags', (text) => text.replace(/<!--[\s\S]*?-->|<\/?[A-Za-z][^<>]*>|<![^<>]*>|<\?[^<>]*\?>/g, '')),

  /**
   * `{{truncate text length [suffix]}}`: text longer than length characters is cut so that, with the suffix (default
   * none) appended, it is length characters long; shorter text is unchanged.
   */
  truncate: ((...all) => {
    const { args: [text, length, suffix] } = splitArgs(all);
    const chars = Array.from(textOf(text, 'truncate'));
    const limit = lengthOf(length, 'truncate');
    if (chars.length <= limit) return chars.join('');
    const tail = isMissing(suffix) ? '' : textOf(suffix, 'truncate', 'the suffix');
    return chars.slice(0, Math.max(0, limit - Array.from(tail).length)).join('') + tail;
  }) as Helper,
};

const known = (arg: Argument | undefined): arg is { literal: true; value: string | number | boolean } => arg?.literal === true;

/** What is wrong with a literal whole-number argument, if anything. */
function literalWhole(arg: Argument | undefined, what: string, min: number, max: number): string | undefined {
  if (!known(arg)) return undefined;
  const n = typeof arg.value === 'string' && arg.value.trim() !== '' ? Number(arg.value) : arg.value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) return `${what} must be a whole number, got ${JSON.stringify(arg.value)}`;
  if (n < min || n > max) return `${what} must be from ${min} to ${max}, got ${n}`;
  return undefined;
}

const padCheck = (name: string): HelperCheck => ([, length]) =>
  length === undefined ? `needs a text and a length: {{${name} text 5 '0'}}` : literalWhole(length, 'the length', 0, MAX_PAD_LENGTH);

export const checks: Record<string, HelperCheck> = {
  padStart: padCheck('padStart'),
  padEnd: padCheck('padEnd'),
  substring: ([, start, end]) => (start === undefined ? 'needs a text and a start: {{substring text 0 5}}'
    : literalWhole(start, 'the start', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER) ??
      literalWhole(end, 'the end', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)),
  replace: (args) => (args.length < 3 ? "needs a text, the text to replace and a replacement: {{replace text 'a' 'b'}}" : undefined),
  truncate: ([, length]) => (length === undefined ? 'needs a text and a length: {{truncate text 20}}'
    : literalWhole(length, 'the length', 0, Number.MAX_SAFE_INTEGER)),
};
