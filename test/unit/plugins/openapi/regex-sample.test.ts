// Strings for schema patterns: the subset specs use is generated and checked; what it cannot do is declined.
import { describe, expect, it } from 'vitest';
import { englishFaker, startSequence } from '../../../../plugins/openapi/fakers.js';
import { patternSampler } from '../../../../plugins/openapi/regex-sample.js';

describe('patternSampler', () => {
  it.each([
    '^[A-Z]{2}$', '^\\d{3}-\\d{4}$', '^(foo|bar|baz)[0-9]{2,4}$', '^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$', '^97[89]-\\d{10}$',
    '[^abc]{3}', '^(?:v\\d+\\.){2}\\d+$', '^\\w+$', '^#[0-9a-fA-F]{6}$', 'id-\\d+', '^\\S+ \\S+$', '^(?<year>\\d{4})-\\d\\d$',
  ])('makes strings matching %s', (pattern) => {
    const sample = patternSampler(pattern)!;
    expect(sample).toBeDefined();
    const values = Array.from({ length: 20 }, (_, seed) => {
      startSequence(englishFaker, seed);
      return sample(englishFaker);
    });
    for (const value of values) expect(value).toMatch(new RegExp(pattern));
  });

  it.each(['^(?=.*\\d).{8,}$', '(a)\\1', '\\bword\\b', '[unclosed'])('declines %s', (pattern) => {
    expect(patternSampler(pattern)).toBeUndefined();
  });
});
