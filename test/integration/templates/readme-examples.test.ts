// The README's helper table is a contract: every built-in helper is listed, and every example renders, through a
// real server and the documented request, exactly the output the table shows.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_HELPERS } from '../../../workers/helpers/index.js';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import { render } from './template-harness.js';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const section = README.slice(README.indexOf('### Helpers\n'), README.indexOf('The state helpers change the same state'));
const rows = section.split('\n').filter((line) => line.startsWith('| `')).map((line) => line.slice(2, -2).split(' | '));
const examples = rows.map(([names = '', , example = '']) => {
  const match = /^`(.*)` → `(.*)`$/.exec(example);
  return { names: [...names.matchAll(/`([^`]+)`/g)].map((m) => m[1]!), template: match?.[1], output: match?.[2] };
});

const request = {
  url: '/users/42?page=2&tag=a&tag=b',
  path: { operator: 'template', value: '/users/:id' },
  headers: { 'x-tenant': 'acme', cookie: 'session=abc123', 'content-type': 'application/json' },
  body: JSON.stringify({ name: 'Ada Lovelace', price: 100, items: [{ sku: 'A1', qty: 2 }, { sku: 'B7', qty: 1 }], tags: ['x', 'y'] }),
};

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(() => mg.close());

describe('README helper table', () => {
  it('lists every built-in helper, and only those (besides Handlebars\' own)', () => {
    const listed = examples.flatMap((e) => e.names).filter((name) => !['if', 'unless', 'each', 'with', 'lookup'].includes(name));
    expect([...listed].sort()).toEqual(Object.keys(BUILTIN_HELPERS).sort());
  });

  it('gives an example with its output for every row', () => {
    expect(examples.filter((e) => e.template === undefined).map((e) => e.names)).toEqual([]);
  });

  it.each(examples.map((e) => [e.names.join(', '), e.template!, e.output!] as const))('%s: %s', async (_, template, output) => {
    const res = await render(mg, template, { ...request, method: 'POST' });
    expect(res.text).toBe(output);
    expect(res.status).toBe(200);
  });
});
