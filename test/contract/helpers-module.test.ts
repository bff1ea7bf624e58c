// A plugin's template helpers module: imported once by the registry to learn its names and refuse clashes.
import { describe, expect, it } from 'vitest';
import { definePlugin, CONTRACT_VERSION } from '../../core/contract.js';
import { createRegistry } from '../../core/plugins/registry.js';
import rest from '../../plugins/rest/index.js';
import demoHelpers from '../fixtures/plugins/demo-helpers.js';
import helpersPlugin from '../fixtures/plugins/helpers-plugin.js';

describe('template helpers registered by a plugin', () => {
  it('lists each helper name with the plugin that provides it, and the module for the worker', async () => {
    const registry = await createRegistry([rest, helpersPlugin]);
    expect([...registry.helperNames]).toEqual([
      ['shout', 'helpers-demo'],
      ['tenantOf', 'helpers-demo'],
    ]);
    expect(registry.helperModules.map(String)).toEqual([helpersPlugin.helpers!.href]);
  });

  it('exports plain functions', () => {
    expect(demoHelpers.shout('hi')).toBe('HI!');
    expect(demoHelpers.tenantOf('acme.example.com')).toBe('acme');
  });

  it('rejects a second plugin with a helper name already taken: plugin_invalid naming both plugins', async () => {
    const copycat = definePlugin({ name: 'copycat', contract: CONTRACT_VERSION, helpers: helpersPlugin.helpers! });
    const attempt = createRegistry([helpersPlugin, copycat]);
    await expect(attempt).rejects.toMatchObject({ name: 'MockgateError', code: 'plugin_invalid' });
    await expect(attempt).rejects.toThrow(/plugin "copycat".*"shout".*plugin "helpers-demo"/);
  });

  it('rejects a helpers module that does not load: plugin_invalid naming the plugin', async () => {
    const helpers = new URL('./no-such-helpers.js', import.meta.url);
    const broken = definePlugin({ name: 'broken-helpers', contract: CONTRACT_VERSION, helpers });
    await expect(createRegistry([broken])).rejects.toMatchObject({
      code: 'plugin_invalid',
      message: expect.stringContaining('plugin "broken-helpers": helpers module'),
    });
  });
});
