// Collection helpers: Beeceptor's `len`, `object`, `array`, `json` and `sort`, and helpers to parse JSON, reorder,
// pick from, slice, build and take apart arrays and objects. None changes its input; array results print
// comma-joined (Handlebars' toString), so wrap them in `{{{json …}}}` for JSON.
import { arity, dateTime, describe, firstProblem, literalCount, looksNumeric, wholeNumber } from './logic.js';
import { dataOf, isMissing, splitArgs, type Argument, type Helper, type HelperCheck, type HelperOptions } from './helper-kit.js';
import { valueAt } from './request.js';

/** An array as is, or the array a JSON-array string holds; undefined for anything else. */
function arrayOf(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string' || !value.trimStart().startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Missing, or '' (what `body` and `queryParam` give for a missing value). */
const absent = (value: unknown): boolean => isMissing(value) || value === '';

/** The array argument of a helper that needs one: missing (or '') gives [], anything else not an array is an Error. */
function requireArray(value: unknown, helper: string, what = 'the first argument'): unknown[] {
  if (absent(value)) return [];
  const list = arrayOf(value);
  if (list === undefined) throw new Error(`${helper}: ${what} must be an array, got ${describe(value)}`);
  return list;
}

/** An array, a JSON-array string's array, or a string's characters (whole code points, `text` set). */
function sequenceOf(value: unknown, helper: string): { items: unknown[]; text: boolean } {
  const list = arrayOf(value);
  if (list !== undefined) return { items: list, text: false };
  if (typeof value === 'string') return { items: Array.from(value), text: true };
  throw new Error(`${helper}: the first argument must be an array or a string, got ${describe(value)}`);
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);

const ORDERS = ['asc', 'desc'];
const isOrder = (value: unknown): boolean => typeof value === 'string' && ORDERS.includes(value.toLowerCase());

/** Missing values last; numbers before text; within a kind numbers numerically, dates by time, text case-sensitively. */
function sortCompare(a: unknown, b: unknown, descending: boolean): number {
  if (isMissing(a) || isMissing(b)) return isMissing(a) ? (isMissing(b) ? 0 : 1) : -1;
  const rank = (v: unknown): number =>
    typeof v === 'number' ? 0 : v instanceof Date || typeof v === 'string' ? 1 : typeof v === 'boolean' ? 2 : 3;
  const [ra, rb] = [rank(a), rank(b)];
  let order: number;
  if (ra !== rb) order = ra - rb;
  else if (ra === 0) order = (a as number) - (b as number);
  else if (ra === 3) order = 0;
  else if (ra === 1 && dateTime(a) !== undefined && dateTime(b) !== undefined) order = dateTime(a)! - dateTime(b)!;
  else {
    const [sa, sb] = [String(a), String(b)];
    order = sa < sb ? -1 : sa > sb ? 1 : 0;
  }
  return descending ? -order : order;
}

function json(value: unknown): string {
  if (value === undefined) return '';
  try {
    return JSON.stringify(value) ?? '';
  } catch (err) {
    throw new Error(`json: the value cannot be written as JSON (${(err as Error).message})`);
  }
}

const count = (value: unknown, helper: string, what: string): number => {
  const n = wholeNumber(value, helper, what);
  if (n < 0) throw new Error(`${helper}: ${what} must not be negative, got ${n}`);
  return n;
};

const capped = (n: number, helper: string, options: HelperOptions, what: string): void => {
  const { maxRepeat } = dataOf(options);
  if (n > maxRepeat) throw new Error(`${helper}: ${what} ${n} is above the limit of ${maxRepeat} (raise it with the server flag --template-max-repeat)`);
};

function finite(value: unknown, helper: string, what: string): number {
  if (!looksNumeric(value)) throw new Error(`${helper}: ${what} must be a number, got ${describe(value)}`);
  return Number(value);
}

/** How many numbers `range start end step` gives (both ends included); 0 when the step goes the wrong way. */
function rangeLength(start: number, end: number, step: number): number {
  const steps = (end - start) / step;
  return steps < 0 ? 0 : Math.floor(steps + 1e-9) + 1;
}

const pickInt = (options: HelperOptions, min: number, max: number): number => dataOf(options).faker.number.int({ min, max });

export default {
  /** `{{len value}}`: an array's items, a string's characters, a number's characters (2342432 → 7), an object's keys; missing → 0. */
  len: ((...all) => {
    const [value] = splitArgs(all).args;
    if (isMissing(value)) return 0;
    if (Array.isArray(value)) return value.length;
    if (isPlainObject(value)) return Object.keys(value).length;
    return String(value).length;
  }) as Helper,

  /** `(object key=value …)`: an object of the hash arguments, in their order (values keep their types; nest with (object …)). */
  // Handlebars fills options.hash from the last pair to the first
  object: ((...all) => Object.fromEntries(Object.entries((splitArgs(all).options.hash ?? {}) as Record<string, unknown>).reverse())) as Helper,

  /** `(array a b …)`: an array of the arguments. */
  array: ((...all) => splitArgs(all).args) as Helper,

  /** `{{{json value ['dotted.key']}}}`: compact JSON of the value (or of its key); a string is quoted, not parsed; missing → ''. */
  json: ((...all) => {
    const { args: [value, key] } = splitArgs(all);
    return json(isMissing(key) ? value : valueAt(value, String(key)));
  }) as Helper,

  /** `(jsonParse text)`: the value a JSON string holds ('' gives nothing); a value that is not a string is returned as is; invalid JSON is an error. */
  jsonParse: ((...all) => {
    const [value] = splitArgs(all).args;
    if (value === '') return undefined;
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch (err) {
      throw new Error(`jsonParse: the text is not valid JSON (${(err as Error).message})`);
    }
  }) as Helper,

  /**
   * `(sort list ['dotted.key'] ['asc'|'desc'])`: a sorted copy (by the key for objects), missing values last; a JSON-array
   * string is parsed; anything else is returned unchanged.
   */
  sort: ((...all) => {
    const { args: [list, second, third] } = splitArgs(all);
    const items = arrayOf(list);
    if (items === undefined) return list;
    const [key, order] = third === undefined && isOrder(second) ? [undefined, second] : [second, third ?? 'asc'];
    if (!isOrder(order)) throw new Error(`sort: the order must be 'asc' or 'desc', got ${describe(order)}`);
    const at = isMissing(key) ? (item: unknown) => item : (item: unknown) => valueAt(item, String(key));
    const descending = String(order).toLowerCase() === 'desc';
    return items.map((item) => ({ item, by: at(item) }))
      .sort((a, b) => sortCompare(a.by, b.by, descending))
      .map(({ item }) => item);
  }) as Helper,

  /** `(reverse list)`: a reversed copy of an array (or JSON-array string), or a string with its characters reversed; missing → missing. */
  reverse: ((...all) => {
    const [value] = splitArgs(all).args;
    if (isMissing(value)) return value;
    const list = arrayOf(value);
    if (list !== undefined) return [...list].reverse();
    if (typeof value === 'string') return Array.from(value).reverse().join('');
    throw new Error(`reverse: the argument must be an array or a string, got ${describe(value)}`);
  }) as Helper,

  /** `{{oneOf a b c …}}` or `{{oneOf list}}`: one of the arguments, or of the one array's items, at random; an empty array → ''. */
  oneOf: ((...all) => {
    const { args, options } = splitArgs(all);
    const choices = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
    return choices.length === 0 ? '' : choices[pickInt(options, 0, choices.length - 1)];
  }) as Helper,

  /** `(someOf list min max [unique])`: between min and max (inclusive, random) items of the list; repeats allowed unless unique is true (then at most the list's length). */
  someOf: ((...all) => {
    const { args: [list, minArg, maxArg, unique], options } = splitArgs(all);
    const items = requireArray(list, 'someOf');
    const min = count(minArg, 'someOf', 'the minimum');
    const max = count(maxArg, 'someOf', 'the maximum');
    if (min > max) throw new Error(`someOf: the minimum ${min} is above the maximum ${max}`);
    capped(max, 'someOf', options, 'a maximum of');
    if (items.length === 0) return [];
    if (unique === true || unique === 'true') {
      const n = pickInt(options, Math.min(min, items.length), Math.min(max, items.length));
      const pool = [...items];
      for (let i = 0; i < n; i++) {
        const j = pickInt(options, i, pool.length - 1);
        [pool[i], pool[j]] = [pool[j], pool[i]];
      }
      return pool.slice(0, n);
    }
    return Array.from({ length: pickInt(options, min, max) }, () => items[pickInt(options, 0, items.length - 1)]);
  }) as Helper,

  /** `{{join list [separator]}}`: the items as text joined by the separator (default ','); missing items print as ''. */
  join: ((...all) => {
    const { args: [list, separator] } = splitArgs(all);
    return requireArray(list, 'join').map((item) => (isMissing(item) ? '' : String(item))).join(isMissing(separator) ? ',' : String(separator));
  }) as Helper,

  /** `{{first list [n]}}`: the first item (or character), or an array (string) of the first n. */
  first: ((...all) => {
    const { args: [value, n] } = splitArgs(all);
    if (isMissing(value)) return undefined;
    const { items, text } = sequenceOf(value, 'first');
    if (isMissing(n)) return items[0];
    const taken = items.slice(0, count(n, 'first', 'the count'));
    return text ? taken.join('') : taken;
  }) as Helper,

  /** `{{last list [n]}}`: the last item (or character), or an array (string) of the last n. */
  last: ((...all) => {
    const { args: [value, n] } = splitArgs(all);
    if (isMissing(value)) return undefined;
    const { items, text } = sequenceOf(value, 'last');
    if (isMissing(n)) return items[items.length - 1];
    const wanted = count(n, 'last', 'the count');
    const taken = wanted === 0 ? [] : items.slice(-wanted);
    return text ? taken.join('') : taken;
  }) as Helper,

  /** `{{at list index}}`: the item (or character) at the index, negative counting from the end; out of range → ''. */
  at: ((...all) => {
    const { args: [value, index] } = splitArgs(all);
    if (isMissing(value)) return undefined;
    return sequenceOf(value, 'at').items.at(wholeNumber(index, 'at', 'the index'));
  }) as Helper,

  /** `(range start end [step])`: the numbers from start to end, both included, by step (default 1, or -1 when end < start). */
  range: ((...all) => {
    const { args: [startArg, endArg, stepArg], options } = splitArgs(all);
    const start = finite(startArg, 'range', 'the start');
    const end = finite(endArg, 'range', 'the end');
    const step = isMissing(stepArg) ? (end < start ? -1 : 1) : finite(stepArg, 'range', 'the step');
    if (step === 0) throw new Error('range: the step must not be 0');
    const length = rangeLength(start, end, step);
    capped(length, 'range', options, 'a length of');
    return Array.from({ length }, (_, i) => start + i * step);
  }) as Helper,

  /** `(keys object)`: the object's own keys (an array's indexes); missing → []. */
  keys: ((...all) => Object.keys(objectOf(splitArgs(all).args[0], 'keys'))) as Helper,

  /** `(values object)`: the object's own values (an array's items); missing → []. */
  values: ((...all) => Object.values(objectOf(splitArgs(all).args[0], 'values'))) as Helper,

  /** `(pluck list 'dotted.key')`: each item's value at the key (missing where an item has none). */
  pluck: ((...all) => {
    const { args: [list, key] } = splitArgs(all);
    if (absent(key)) throw new Error("pluck: needs a key: (pluck list 'key')");
    return requireArray(list, 'pluck').map((item) => valueAt(item, String(key)));
  }) as Helper,
} as Record<string, Helper>;

function objectOf(value: unknown, helper: string): object {
  if (isMissing(value) || value === '') return {};
  if (typeof value !== 'object') throw new Error(`${helper}: the argument must be an object or an array, got ${describe(value)}`);
  return value;
}

// ---------------------------------------------------------------------------------------------------------------------
// Write-time checks

const literalNumber = (arg: Argument | undefined, what: string): string | undefined =>
  arg?.literal && !looksNumeric(arg.value) ? `${what} must be a number, got ${JSON.stringify(arg.value)}` : undefined;

const literalInteger = (arg: Argument | undefined, what: string): string | undefined =>
  arg?.literal && !(looksNumeric(arg.value) && Number.isSafeInteger(Number(arg.value)))
    ? `${what} must be a whole number, got ${JSON.stringify(arg.value)}` : undefined;

const literalArray = (arg: Argument | undefined, helper: string): string | undefined =>
  arg?.literal && arrayOf(arg.value) === undefined ? `the first argument must be an array, e.g. (${helper} (array 1 2 3) …) or (${helper} (body 'items') …)` : undefined;

export const checks: Record<string, HelperCheck> = {
  len: (args) => arity(args, 1, 1, '{{len value}}'),
  object: (args) => (args.length > 0 ? 'takes key=value pairs, not plain values: (object name="Ada" age=36)' : undefined),
  json: (args) => arity(args, 1, 2, "{{{json value ['dotted.key']}}}"),
  jsonParse: (args) => {
    const [text] = args;
    const problem = arity(args, 1, 1, '(jsonParse text)');
    if (problem !== undefined || !text?.literal || typeof text.value !== 'string') return problem;
    try {
      JSON.parse(text.value);
      return undefined;
    } catch (err) {
      return `the text is not valid JSON (${(err as Error).message})`;
    }
  },
  sort: (args) => {
    const problem = arity(args, 1, 3, "(sort list ['dotted.key'] ['asc'|'desc'])");
    const order = args[2];
    if (problem !== undefined) return problem;
    return order?.literal && !isOrder(order.value) ? `the order must be 'asc' or 'desc', got ${JSON.stringify(order.value)}` : undefined;
  },
  reverse: (args) => arity(args, 1, 1, '(reverse list)'),
  oneOf: (args) => arity(args, 1, Infinity, "{{oneOf 'a' 'b' …}} or {{oneOf list}}"),
  someOf: (args, { maxRepeat }) => {
    const [list, min, max] = args;
    const problem = firstProblem(arity(args, 3, 4, '(someOf list min max [unique])'), literalArray(list, 'someOf'),
      literalCount(min, 'the minimum'), literalCount(max, 'the maximum', maxRepeat));
    if (problem !== undefined) return problem;
    return min?.literal && max?.literal && Number(min.value) > Number(max.value) ? `the minimum ${min.value} is above the maximum ${max.value}` : undefined;
  },
  join: (args) => firstProblem(arity(args, 1, 2, "{{join list [',']}}"), literalArray(args[0], 'join')),
  first: (args) => firstProblem(arity(args, 1, 2, '{{first list [n]}}'), literalCount(args[1], 'the count')),
  last: (args) => firstProblem(arity(args, 1, 2, '{{last list [n]}}'), literalCount(args[1], 'the count')),
  at: (args) => firstProblem(arity(args, 2, 2, '{{at list index}}'), literalInteger(args[1], 'the index')),
  range: (args, { maxRepeat }) => {
    const [start, end, step] = args;
    const problem = firstProblem(arity(args, 2, 3, '(range start end [step])'), literalNumber(start, 'the start'),
      literalNumber(end, 'the end'), literalNumber(step, 'the step'));
    if (problem !== undefined) return problem;
    if (step?.literal && Number(step.value) === 0) return 'the step must not be 0';
    if (start?.literal && end?.literal && (step === undefined || step.literal)) {
      const [a, b] = [Number(start.value), Number(end.value)];
      const length = rangeLength(a, b, step === undefined ? (b < a ? -1 : 1) : Number(step.value));
      if (length > maxRepeat) return `a length of ${length} is above the limit of ${maxRepeat} (raise it with the server flag --template-max-repeat)`;
    }
    return undefined;
  },
  keys: (args) => arity(args, 1, 1, '(keys object)'),
  values: (args) => arity(args, 1, 1, '(values object)'),
  pluck: (args) => arity(args, 2, 2, "(pluck list 'dotted.key')"),
};
