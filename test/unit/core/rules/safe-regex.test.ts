// User regexes run on a linear-time engine: hostile patterns cannot stall the process.
import { describe, expect, it } from 'vitest';
import { compileSafeRegex } from '../../../../core/rules/safe-regex.js';

describe('safe regex', () => {
  it('runs (a+)+$ against 30 a and a ! in well under 100 ms', () => {
    const re = compileSafeRegex('(a+)+$');
    const started = performance.now();
    expect(re.test(`${'a'.repeat(30)}!`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('stays linear on a 100 000-character hostile input', () => {
    const re = compileSafeRegex('^(a|aa)+$');
    const started = performance.now();
    expect(re.test(`${'a'.repeat(100_000)}!`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses back-references and look-around with a message saying why', () => {
    expect(() => compileSafeRegex('(a)\\1')).toThrow(/back-references/);
    expect(() => compileSafeRegex('(?=x)')).toThrow(/invalid regular expression/);
    expect(() => compileSafeRegex('(')).toThrow(/invalid regular expression/);
  });

  it('returns named groups of the first match', () => {
    const re = compileSafeRegex('^/users/(?P<id>\\d+)/(?<part>\\w+)$');
    expect(re.groups('/users/42/items')).toEqual({ id: '42', part: 'items' });
    expect(re.groups('/users/x/items')).toBeUndefined();
  });

  it('is case-insensitive on request', () => {
    expect(compileSafeRegex('abc', { caseInsensitive: true }).test('xABCx')).toBe(true);
    expect(compileSafeRegex('abc').test('xABCx')).toBe(false);
  });
});
