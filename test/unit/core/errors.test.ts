// Every error code is documented in the README's error table with its status, and the table names no other code.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_STATUS, MockgateError, isMockgateError, toErrorBody } from '../../../core/errors.js';

describe('error codes', () => {
  it('README error table and ERROR_STATUS agree', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Errors'), readme.indexOf('\n## ', readme.indexOf('## Errors') + 1));
    const rows = [...section.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
    expect(Object.fromEntries(rows)).toEqual(ERROR_STATUS);
  });

  it('maps errors to the envelope; unknown errors never leak their message', () => {
    const err = new MockgateError('validation_error', '/a: bad', '/a', [{ path: '/a', message: 'bad' }]);
    expect(toErrorBody(err)).toEqual({ status: 400, body: { error: { code: 'validation_error', message: '/a: bad', parameter: '/a', details: [{ path: '/a', message: 'bad' }] } } });
    expect(toErrorBody(new Error('secret path /etc/x'))).toEqual({ status: 500, body: { error: { code: 'internal_error', message: 'internal error; see the server log' } } });
    expect(isMockgateError({ name: 'MockgateError', code: 'not_found' })).toBe(true);
    expect(isMockgateError({ name: 'MockgateError', code: 'nope' })).toBe(false);
  });
});
