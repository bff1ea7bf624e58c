// `state` condition: compares one state item of the endpoint (counter, list or string) with the rule's value.
//
// How a state condition compares (`{type: 'state', key, stateType, operator, value}`, value always a string):
//
// Numbers. Where a value is read as a number it must be decimal text: an optional minus, digits, an optional
// fraction and exponent (`3`, `-1`, `2.5`, `1e3`); no spaces, no `+`, no hex, no Infinity.
//
// counter — the counter's value is an integer; a missing counter is 0 (counters start at 0).
//   equals, not_equals, greater_than, less_than,   the counter compared with value as numbers. value must be a
//   greater_than_equal, less_than_equal           number, else the rule is refused (400 at /conditions/N/value).
//                                                  `login_attempts greater_than_equal "3"` is false until the
//                                                  counter reaches 3; `equals "0"` is true while it is missing.
//   contains, not_contains                         substring of the counter's decimal text (`"12"` contains `"2"`;
//                                                  a missing counter is the text `0`).
//
// string — the item holds any JSON value; its text is a string as-is, anything else as compact JSON text
//   (`{"a":1}`, `true`, `null`). A missing item is absent, and absent is neither equal to nor containing anything.
//   equals / not_equals                            the text is / is not exactly value. Absent: false / true.
//   contains / not_contains                        value is / is not a substring of the text. Absent: false / true.
//   greater_than, less_than, greater_than_equal,   numeric when the text and value are both numbers ("10" > "9"),
//   less_than_equal                                otherwise by UTF-16 code units, no locale ("b" > "a",
//                                                  "B" < "a"). Absent: false.
//
// list — the item holds an array; a missing list is the empty list `[]`. An element's text is as for string.
//   contains / not_contains                        some element's text is / no element's text is exactly value
//                                                  (`3` finds the number 3 and the string "3").
//   equals / not_equals                            the list as compact JSON is / is not value as compact JSON;
//                                                  value must be a JSON array, else the rule is refused (400 at
//                                                  /conditions/N/value). `[ "a", "b" ]` equals ["a","b"]; `[]`
//                                                  equals a missing list. Order matters, and so does object key order.
//   greater_than, less_than, greater_than_equal,   the list's LENGTH compared with value, which must be a number
//   less_than_equal                                (400 at /conditions/N/value otherwise).
//
// A stored item of the wrong shape (never written by mockgate) reads as missing: a counter that is not a number
// is 0, a list that is not an array is []. Matching reads the state and never changes it; a state condition
// gives no index hint, so its rule is tried on every request its other conditions allow.
import { defineCondition, type CompileContext, type Matcher, type MatchContext, type StateType } from '../../../core/contract.js';

type Operator =
  | 'equals' | 'not_equals' | 'contains' | 'not_contains'
  | 'greater_than' | 'less_than' | 'greater_than_equal' | 'less_than_equal';

type Ordering = Exclude<Operator, 'contains' | 'not_contains'>;

interface StateCondition {
  type: 'state';
  key: string;
  stateType: StateType;
  operator: Operator;
  value: string;
}

/** Which comparison results (-1, 0, 1) satisfy each ordering-style operator. */
const ORDERINGS: Record<Ordering, (sign: number) => boolean> = {
  equals: (s) => s === 0,
  not_equals: (s) => s !== 0,
  greater_than: (s) => s > 0,
  less_than: (s) => s < 0,
  greater_than_equal: (s) => s >= 0,
  less_than_equal: (s) => s <= 0,
};

const DECIMAL = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const EMPTY: readonly unknown[] = [];

export const stateCondition = defineCondition<StateCondition>({
  type: 'state',
  schema: {
    type: 'object',
    required: ['type', 'key', 'stateType', 'operator', 'value'],
    additionalProperties: false,
    properties: {
      type: { const: 'state' },
      // the state API's limit on keys: a longer key could never name an item
      key: { type: 'string', minLength: 1, maxLength: 100 },
      stateType: { enum: ['string', 'counter', 'list'] },
      operator: {
        enum: ['equals', 'not_equals', 'contains', 'not_contains', 'greater_than', 'less_than', 'greater_than_equal', 'less_than_equal'],
      },
      value: { type: 'string', maxLength: 4096 },
    },
  },

  compile(condition, cx): Matcher {
    switch (condition.stateType) {
      case 'counter':
        return counterMatcher(condition, cx);
      case 'string':
        return stringMatcher(condition);
      case 'list':
        return listMatcher(condition, cx);
    }
  },
});

function counterMatcher({ key, operator, value }: StateCondition, cx: CompileContext): Matcher {
  const read = (ctx: MatchContext): number => {
    const current = ctx.state.get('counter', key)?.value;
    return typeof current === 'number' && Number.isFinite(current) ? current : 0;
  };
  if (operator === 'contains') return (_req, ctx) => String(read(ctx)).includes(value);
  if (operator === 'not_contains') return (_req, ctx) => !String(read(ctx)).includes(value);
  const expected = parseNumber(value) ?? cx.fail(`a counter compares numbers with ${operator}; "${preview(value)}" is not a number`, 'value');
  const test = ORDERINGS[operator];
  return (_req, ctx) => test(compareNumbers(read(ctx), expected));
}

function stringMatcher({ key, operator, value }: StateCondition): Matcher {
  const read = (ctx: MatchContext): string | undefined => {
    const item = ctx.state.get('string', key);
    return item === undefined ? undefined : textOf(item.value);
  };
  switch (operator) {
    case 'equals':
      return (_req, ctx) => read(ctx) === value;
    case 'not_equals':
      return (_req, ctx) => read(ctx) !== value;
    case 'contains':
      return (_req, ctx) => read(ctx)?.includes(value) === true;
    case 'not_contains':
      return (_req, ctx) => read(ctx)?.includes(value) !== true;
    default: {
      const test = ORDERINGS[operator];
      const expected = parseNumber(value);
      return (_req, ctx) => {
        const text = read(ctx);
        if (text === undefined) return false;
        const actual = expected === undefined ? undefined : parseNumber(text);
        return test(expected === undefined || actual === undefined ? compareText(text, value) : compareNumbers(actual, expected));
      };
    }
  }
}

function listMatcher({ key, operator, value }: StateCondition, cx: CompileContext): Matcher {
  const read = (ctx: MatchContext): readonly unknown[] => {
    const current = ctx.state.get('list', key)?.value;
    return Array.isArray(current) ? current : EMPTY;
  };
  switch (operator) {
    case 'contains':
      return (_req, ctx) => read(ctx).some((element) => textOf(element) === value);
    case 'not_contains':
      return (_req, ctx) => !read(ctx).some((element) => textOf(element) === value);
    case 'equals':
    case 'not_equals': {
      const expected = compactJsonArray(value) ??
        cx.fail(`a list compares with ${operator} against a JSON array, e.g. ["a","b"]; "${preview(value)}" is not one`, 'value');
      const equal = operator === 'equals';
      return (_req, ctx) => (JSON.stringify(read(ctx)) === expected) === equal;
    }
    default: {
      const expected = parseNumber(value) ??
        cx.fail(`a list compares its length with ${operator}; "${preview(value)}" is not a number`, 'value');
      const test = ORDERINGS[operator];
      return (_req, ctx) => test(compareNumbers(read(ctx).length, expected));
    }
  }
}

/** A string as-is, any other JSON value as compact JSON text. */
function textOf(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

function parseNumber(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

function compactJsonArray(text: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? JSON.stringify(parsed) : undefined;
  } catch {
    return undefined;
  }
}

function compareNumbers(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Code-unit order, the same on every machine (no locale collation). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function preview(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
