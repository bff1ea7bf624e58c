// Every built-in plugin: loads through the registry, its schemas compile and guard their discriminator, its name is its folder.
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONTRACT_VERSION, PLUGIN_BRAND } from '../../core/contract.js';
import { BUILTIN_PLUGINS } from '../../core/plugins/builtin-plugins.js';
import { createRegistry } from '../../core/plugins/registry.js';
import tenantPlugin from '../fixtures/plugins/tenant-plugin.js';

const PLUGINS_DIR = fileURLToPath(new URL('../../plugins/', import.meta.url));
const pluginFolders = readdirSync(PLUGINS_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

const duplicates = (names: readonly string[]): string[] => names.filter((n, i) => names.indexOf(n) !== i);

describe('built-in plugins', () => {
  it('load together into one registry', async () => {
    const registry = await createRegistry(BUILTIN_PLUGINS);
    expect(registry.plugins.map((p) => p.name).sort()).toEqual(BUILTIN_PLUGINS.map((p) => p.name).sort());
  });

  it('have unique names, condition types and action types', () => {
    expect(duplicates(BUILTIN_PLUGINS.map((p) => p.name))).toEqual([]);
    expect(duplicates(BUILTIN_PLUGINS.flatMap((p) => (p.conditions ?? []).map((c) => c.type)))).toEqual([]);
    expect(duplicates(BUILTIN_PLUGINS.flatMap((p) => (p.actions ?? []).map((a) => a.type)))).toEqual([]);
  });

  it('are every folder under plugins/, each one once', () => {
    const withIndex = pluginFolders.filter((f) => existsSync(`${PLUGINS_DIR}${f}/index.ts`));
    expect(BUILTIN_PLUGINS.map((p) => p.name).sort()).toEqual(withIndex.sort());
  });

  it('leave room for the README example plugin', async () => {
    const registry = await createRegistry([...BUILTIN_PLUGINS, tenantPlugin]);
    expect(registry.condition('tenant')?.plugin).toBe('tenant');
    expect(registry.action('echo')?.plugin).toBe('tenant');
  });

  describe.each(BUILTIN_PLUGINS.map((p) => [p.name, p] as const))('%s', (name, plugin) => {
    it('is a branded plugin for this contract', () => {
      expect(plugin[PLUGIN_BRAND]).toBe(true);
      expect(plugin.contract).toBe(CONTRACT_VERSION);
    });

    it('is the default export of plugins/<its name>/index.ts', async () => {
      expect(pluginFolders).toContain(name);
      const mod = (await import(new URL(`../../plugins/${name}/index.js`, import.meta.url).href)) as { default: unknown };
      expect(mod.default).toBe(plugin);
    });

    it('loads on its own with the plugins it depends on', async () => {
      const needed = new Set<string>();
      const visit = (n: string): void => {
        if (needed.has(n)) return;
        needed.add(n);
        for (const dep of BUILTIN_PLUGINS.find((p) => p.name === n)?.dependsOn ?? []) visit(dep);
      };
      visit(name);
      const registry = await createRegistry(BUILTIN_PLUGINS.filter((p) => needed.has(p.name)));
      expect(registry.plugins.at(-1)?.name).toBe(name);
    });

    it('has schemas that compile and accept only their own discriminator', async () => {
      const registry = await createRegistry(BUILTIN_PLUGINS);
      const kinds = [
        ...(plugin.conditions ?? []).map((c) => ({ what: `condition ${c.type}`, type: c.type, registered: registry.condition(c.type) })),
        ...(plugin.actions ?? []).map((a) => ({ what: `action ${a.type}`, type: a.type, registered: registry.action(a.type) })),
      ];
      for (const { what, type, registered } of kinds) {
        expect(registered?.plugin, what).toBe(name);
        expect(registered!.validate({ type: `not-${type}` }), `${what} accepts another type`).toBe(false);
        expect(registered!.validate('a string'), `${what} accepts a non-object`).toBe(false);
      }
    });
  });
});
