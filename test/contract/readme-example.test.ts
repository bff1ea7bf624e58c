// The README's "Writing a plugin" example is the tested fixture, character for character, so the docs cannot drift.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../fixtures/plugins/tenant-plugin.ts', import.meta.url));

const read = (path: string): string => readFileSync(path, 'utf8').replace(/\r\n/g, '\n');

describe('README plugin example', () => {
  it('contains test/fixtures/plugins/tenant-plugin.ts verbatim in a ts code block', (ctx) => {
    if (!existsSync(README)) ctx.skip('README.md does not exist yet; this check runs once it does');
    const readme = read(README);
    expect(readme).toContain('## Writing a plugin');
    expect(readme.includes('```ts\n' + read(EXAMPLE) + '```'), 'README.md must show tenant-plugin.ts exactly as tested').toBe(true);
  });
});
