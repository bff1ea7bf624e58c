// The `state` condition: every operator × stateType × present/absent, against a plain in-memory StateReader.
import { describe, expect, it } from 'vitest';
import type { MatchContext, StateItem, StateReader, StateType } from '../../../../core/contract.js';
import { createLogger } from '../../../../core/logger.js';
import { TemplateChecker } from '../../../../core/templates/check-template.js';
import { RequestView } from '../../../../core/request/mock-request.js';
import { createCompileContext } from '../../../../core/rules/compile-context.js';
import { compileSchema } from '../../../../core/validation.js';
import { stateCondition } from '../../../../plugins/state/conditions/state.js';
import statePlugin from '../../../../plugins/state/index.js';

const log = createLogger('silent');
const REQUEST = new RequestView('GET', '/anything', {}, 'http');

type Operator = Parameters<typeof stateCondition.compile>[0]['operator'];

/** A StateReader over plain items; it only answers get, so a matcher cannot write. */
function reader(items: ReadonlyArray<Pick<StateItem, 'type' | 'key' | 'value'>>): StateReader & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    get(type, key) {
      reads.push(`${type}:${key}`);
      const found = items.find((i) => i.type === type && i.key === key);
      return found && { ...found, lastModified: 0 };
    },
  };
}

function compile(stateType: StateType, operator: Operator, value: string, key = 'k') {
  return stateCondition.compile({ type: 'state', key, stateType, operator, value }, createCompileContext('/conditions/0', log, new TemplateChecker(new Set(), { maxRepeat: 1000 })));
}

function matches(stateType: StateType, operator: Operator, value: string, stored: unknown): boolean {
  const state = reader(stored === ABSENT ? [] : [{ type: stateType, key: 'k', value: stored }]);
  const ctx: MatchContext = { captures: undefined, state };
  return compile(stateType, operator, value)(REQUEST, ctx);
}

function compileError(stateType: StateType, operator: Operator, value: string): unknown {
  try {
    compile(stateType, operator, value);
  } catch (err) {
    return err;
  }
  throw new Error(`${stateType} ${operator} "${value}" compiled`);
}

const ABSENT = Symbol('absent');

describe('state condition: counter', () => {
  // [operator, value, result with the counter at 12, result with no counter (reads as 0)]
  it.each<[Operator, string, boolean, boolean]>([
    ['equals', '12', true, false],
    ['equals', '0', false, true],
    ['equals', '12.0', true, false],
    ['equals', '-0', false, true],
    ['not_equals', '12', false, true],
    ['not_equals', '0', true, false],
    ['greater_than', '11', true, false],
    ['greater_than', '12', false, false],
    ['greater_than', '-1', true, true],
    ['greater_than', '1e1', true, false],
    ['less_than', '13', true, true],
    ['less_than', '12', false, true],
    ['less_than', '0', false, false],
    ['less_than', '12.5', true, true],
    ['greater_than_equal', '12', true, false],
    ['greater_than_equal', '13', false, false],
    ['greater_than_equal', '0', true, true],
    ['less_than_equal', '12', true, true],
    ['less_than_equal', '11', false, true],
    ['less_than_equal', '-1', false, false],
    ['contains', '2', true, false],
    ['contains', '12', true, false],
    ['contains', '0', false, true],
    ['contains', 'x', false, false],
    ['contains', '', true, true],
    ['not_contains', '2', false, true],
    ['not_contains', '0', true, false],
    ['not_contains', 'x', true, true],
  ])('%s "%s": %s at 12, %s when missing', (operator, value, present, absent) => {
    expect(matches('counter', operator, value, 12)).toBe(present);
    expect(matches('counter', operator, value, ABSENT)).toBe(absent);
  });

  it('greater_than_equal "3" turns true exactly when the counter reaches 3', () => {
    const results = [ABSENT, 0, 1, 2, 3, 4].map((n) => matches('counter', 'greater_than_equal', '3', n));
    expect(results).toEqual([false, false, false, false, true, true]);
  });

  it.each<Operator>(['equals', 'not_equals', 'greater_than', 'less_than', 'greater_than_equal', 'less_than_equal'])(
    '%s refuses a value that is not a decimal number, at /conditions/0/value',
    (operator) => {
      for (const value of ['abc', '', ' 3', '3 ', '+3', '0x10', 'Infinity', 'NaN', '1e999', '3.', '.5', '1,000']) {
        expect(compileError('counter', operator, value), value).toMatchObject({
          code: 'validation_error',
          parameter: '/conditions/0/value',
          message: expect.stringMatching(/^\/conditions\/0\/value: a counter compares numbers/),
        });
      }
    },
  );

  it('contains and not_contains accept any text', () => {
    expect(() => compile('counter', 'contains', 'abc')).not.toThrow();
    expect(() => compile('counter', 'not_contains', '')).not.toThrow();
  });

  it('a counter holding something other than a number reads as 0', () => {
    expect(matches('counter', 'equals', '0', '7')).toBe(true);
    expect(matches('counter', 'equals', '7', '7')).toBe(false);
  });
});

describe('state condition: string', () => {
  // [operator, value, stored value, result]; ABSENT is a missing item
  it.each<[Operator, string, unknown, boolean]>([
    ['equals', 'hello', 'hello', true],
    ['equals', 'Hello', 'hello', false],
    ['equals', 'hello', ABSENT, false],
    ['equals', '', ABSENT, false],
    ['equals', '', '', true],
    ['equals', '10', 10, true],
    ['equals', '{"a":1}', { a: 1 }, true],
    ['equals', '{ "a": 1 }', { a: 1 }, false],
    ['equals', '["x"]', ['x'], true],
    ['equals', 'true', true, true],
    ['equals', 'null', null, true],
    ['equals', '"hello"', 'hello', false],
    ['not_equals', 'hello', 'hello', false],
    ['not_equals', 'x', 'hello', true],
    ['not_equals', 'hello', ABSENT, true],
    ['not_equals', '10', 10, false],
    ['contains', 'ell', 'hello', true],
    ['contains', 'xyz', 'hello', false],
    ['contains', 'ell', ABSENT, false],
    ['contains', '', ABSENT, false],
    ['contains', '"a":1', { a: 1 }, true],
    ['contains', '0', 10, true],
    ['not_contains', 'xyz', 'hello', true],
    ['not_contains', 'ell', 'hello', false],
    ['not_contains', 'ell', ABSENT, true],
    ['not_contains', '', ABSENT, true],
    // ordering: numeric when both sides are numbers
    ['greater_than', '9', '10', true],
    ['greater_than', '9', 10, true],
    ['greater_than', '999', '1e3', true],
    ['less_than', '9', '10', false],
    ['greater_than_equal', '10.0', '10', true],
    ['less_than_equal', '10', '10', true],
    ['less_than', '-1', '-2', true],
    // … otherwise by code units
    ['greater_than', 'a', 'b', true],
    ['less_than', 'a', 'B', true],
    ['greater_than', '3', 'abc', true],
    ['less_than', '9x', '10', true],
    ['less_than', '9', ' 10', true],
    ['greater_than_equal', 'abc', 'abc', true],
    ['less_than_equal', 'abd', 'abc', true],
    ['greater_than', 'abc', 'abc', false],
    ['less_than', 'abc', 'abc', false],
    ['greater_than', 'false', true, true],
    // absent: every ordering is false
    ['greater_than', '0', ABSENT, false],
    ['less_than', '0', ABSENT, false],
    ['greater_than_equal', '', ABSENT, false],
    ['less_than_equal', 'zzz', ABSENT, false],
  ])('%s "%s" against %o: %s', (operator, value, stored, expected) => {
    expect(matches('string', operator, value, stored)).toBe(expected);
  });

  it('compiles every operator with any value (nothing to check at write time)', () => {
    for (const operator of ['equals', 'not_equals', 'contains', 'not_contains', 'greater_than', 'less_than',
      'greater_than_equal', 'less_than_equal'] as const) {
      expect(() => compile('string', operator, 'not a number')).not.toThrow();
    }
  });
});

describe('state condition: list', () => {
  const LIST = ['a', 3, { b: 1 }, null];
  // [operator, value, stored value, result]; a missing list is []
  it.each<[Operator, string, unknown, boolean]>([
    ['contains', 'a', LIST, true],
    ['contains', '3', LIST, true],
    ['contains', '3', ['3'], true],
    ['contains', '{"b":1}', LIST, true],
    ['contains', 'null', LIST, true],
    ['contains', 'b', LIST, false],
    ['contains', '', LIST, false],
    ['contains', 'a', ABSENT, false],
    ['contains', 'a', [], false],
    ['not_contains', 'a', LIST, false],
    ['not_contains', 'z', LIST, true],
    ['not_contains', 'a', ABSENT, true],
    ['equals', '["a",3,{"b":1},null]', LIST, true],
    ['equals', '[ "a", 3, { "b": 1 }, null ]', LIST, true],
    ['equals', '[3,"a",{"b":1},null]', LIST, false],
    ['equals', '[]', LIST, false],
    ['equals', '[]', [], true],
    ['equals', '[]', ABSENT, true],
    ['equals', '["a"]', ABSENT, false],
    ['not_equals', '[]', LIST, true],
    ['not_equals', '[]', ABSENT, false],
    ['not_equals', '["a",3,{"b":1},null]', LIST, false],
    ['not_equals', '["a"]', ABSENT, true],
    // ordering compares the length (4 for LIST, 0 when missing)
    ['greater_than', '3', LIST, true],
    ['greater_than', '4', LIST, false],
    ['greater_than', '0', ABSENT, false],
    ['greater_than', '-1', ABSENT, true],
    ['less_than', '5', LIST, true],
    ['less_than', '4', LIST, false],
    ['less_than', '1', ABSENT, true],
    ['greater_than_equal', '4', LIST, true],
    ['greater_than_equal', '5', LIST, false],
    ['greater_than_equal', '0', ABSENT, true],
    ['less_than_equal', '4', LIST, true],
    ['less_than_equal', '3', LIST, false],
    ['less_than_equal', '0', ABSENT, true],
    ['less_than', '3.5', ['x', 'y', 'z'], true],
  ])('%s "%s" against %o: %s', (operator, value, stored, expected) => {
    expect(matches('list', operator, value, stored)).toBe(expected);
  });

  it.each<[Operator, string]>([
    ['equals', 'a'],
    ['equals', '{"a":1}'],
    ['equals', '"x"'],
    ['not_equals', ''],
    ['not_equals', '[1,'],
  ])('%s "%s" is refused: equals and not_equals take a JSON array', (operator, value) => {
    expect(compileError('list', operator, value)).toMatchObject({
      code: 'validation_error',
      parameter: '/conditions/0/value',
      message: expect.stringMatching(/against a JSON array/),
    });
  });

  it.each<Operator>(['greater_than', 'less_than', 'greater_than_equal', 'less_than_equal'])(
    '%s refuses a non-numeric length',
    (operator) => {
      expect(compileError('list', operator, 'many')).toMatchObject({
        code: 'validation_error',
        parameter: '/conditions/0/value',
        message: expect.stringMatching(/compares its length/),
      });
    },
  );

  it('a list item holding something other than an array reads as the empty list', () => {
    expect(matches('list', 'equals', '[]', 'x')).toBe(true);
    expect(matches('list', 'contains', 'x', 'x')).toBe(false);
  });
});

describe('state condition: reading state', () => {
  it('reads only the item of its own type and key', () => {
    const state = reader([
      { type: 'string', key: 'k', value: '5' },
      { type: 'counter', key: 'other', value: 5 },
    ]);
    const matcher = compile('counter', 'equals', '5');
    expect(matcher(REQUEST, { captures: undefined, state })).toBe(false);
    expect(state.reads).toEqual(['counter:k']);
  });

  it('keys are case-sensitive', () => {
    const state = reader([{ type: 'counter', key: 'Login', value: 5 }]);
    expect(compile('counter', 'equals', '5', 'login')(REQUEST, { captures: undefined, state })).toBe(false);
    expect(compile('counter', 'equals', '5', 'Login')(REQUEST, { captures: undefined, state })).toBe(true);
  });

  it('reads the state on every call, so a compiled matcher follows changes', () => {
    const items = [{ type: 'counter' as const, key: 'k', value: 2 }];
    const ctx: MatchContext = { captures: undefined, state: reader(items) };
    const matcher = compile('counter', 'greater_than_equal', '3');
    expect(matcher(REQUEST, ctx)).toBe(false);
    items[0]!.value = 3;
    expect(matcher(REQUEST, ctx)).toBe(true);
    items.length = 0;
    expect(matcher(REQUEST, ctx)).toBe(false);
  });

  it('ignores the request: no body needed, no index hint', () => {
    expect(stateCondition.needs).toBeUndefined();
    expect(stateCondition.hint).toBeUndefined();
    const withBody = new RequestView('POST', '/x?y=1', { 'x-a': 'b' }, 'http');
    withBody.setBody(Buffer.from('{"k":1}'));
    const state = reader([{ type: 'counter', key: 'k', value: 1 }]);
    expect(compile('counter', 'equals', '1')(withBody, { captures: undefined, state })).toBe(true);
  });
});

describe('state condition: schema', () => {
  const validate = compileSchema(stateCondition.schema);
  const valid = { type: 'state', key: 'login_attempts', stateType: 'counter', operator: 'greater_than_equal', value: '3' };

  it('accepts the seed shape', () => {
    expect(validate(valid)).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a missing value', { value: undefined }, 'required'],
    ['a missing key', { key: undefined }, 'required'],
    ['a missing stateType', { stateType: undefined }, 'required'],
    ['a missing operator', { operator: undefined }, 'required'],
    ['an empty key', { key: '' }, 'minLength'],
    ['a numeric value', { value: 3 }, 'type'],
    ['an unknown stateType', { stateType: 'datastore' }, 'enum'],
    ['a capitalised stateType', { stateType: 'Counter' }, 'enum'],
    ['an unknown operator', { operator: 'regex' }, 'enum'],
    ['an extra property', { extra: 1 }, 'additionalProperties'],
    ['another type', { type: 'header' }, 'const'],
  ])('refuses %s', (_name, change, keyword) => {
    const condition: Record<string, unknown> = { ...valid, ...change };
    for (const [k, v] of Object.entries(change)) if (v === undefined) delete condition[k];
    expect(validate(condition)).toBe(false);
    expect(validate.errors?.map((e) => e.keyword)).toContain(keyword);
  });

  it('is the one condition of the state plugin', () => {
    expect(statePlugin.name).toBe('state');
    expect(statePlugin.conditions).toEqual([stateCondition]);
  });
});
