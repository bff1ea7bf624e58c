// createRegistry: every inconsistency in the plugin list is a plugin_invalid error naming the plugin; load order follows dependsOn.
import { describe, expect, it } from 'vitest';
import {
  CONTRACT_VERSION,
  defineAction,
  defineCondition,
  definePlugin,
  isMockgateError,
  type FallbackStep,
  type MockgateError,
  type PluginSpec,
} from '../../core/contract.js';
import { createRegistry } from '../../core/plugins/registry.js';
import rest from '../../plugins/rest/index.js';

const plugin = (name: string, spec: Partial<PluginSpec> = {}) => definePlugin({ name, contract: CONTRACT_VERSION, ...spec });

const condition = (type: string, schema: object = { type: 'object' }) => defineCondition({ type, schema, compile: () => () => true });
const action = (type: string, schema: object = { type: 'object' }) =>
  defineAction({ type, schema, compile: () => (ex) => ex.respond({ status: 204 }) });
const fallback = (name: string, order: number): FallbackStep => ({ name, order, compile: () => undefined });

/** The error createRegistry rejects with; fails the test when it accepts the list. */
async function rejection(candidates: readonly unknown[]): Promise<MockgateError> {
  try {
    await createRegistry(candidates);
  } catch (err) {
    if (isMockgateError(err)) return err;
    throw err;
  }
  throw new Error('createRegistry accepted the plugin list');
}

describe('createRegistry', () => {
  it('registers each type under the plugin that provides it', async () => {
    const extra = plugin('extra', { conditions: [condition('extra_condition')], actions: [action('extra_action')] });
    const registry = await createRegistry([rest, extra]);
    expect(registry.plugins.map((p) => p.name)).toEqual(['rest', 'extra']);
    expect(registry.condition('extra_condition')?.plugin).toBe('extra');
    expect(registry.action('extra_action')?.plugin).toBe('extra');
    expect(registry.condition('header')?.plugin).toBe('rest');
    expect(registry.conditionTypes).toContain('extra_condition');
    expect(registry.actionTypes).toContain('extra_action');
    expect(registry.condition('nope')).toBeUndefined();
  });

  it('accepts an empty plugin list', async () => {
    const registry = await createRegistry([]);
    expect(registry.plugins).toEqual([]);
    expect(registry.conditionTypes).toEqual([]);
  });

  describe('rejects with plugin_invalid', () => {
    it.each<[string, () => readonly unknown[], RegExp]>([
      ['an object without the plugin brand',
        () => [rest, { name: 'plain', contract: CONTRACT_VERSION, conditions: [] }],
        /^plugin "plain": is not a plugin: export default definePlugin\(\{\.\.\.\}\)$/],
      ['a module without a default export (undefined), named by its position',
        () => [rest, undefined],
        /^plugin "#1": is not a plugin/],
      ['a plugin written for another contract version',
        () => [plugin('future', { contract: 2 as typeof CONTRACT_VERSION })],
        /^plugin "future": is written for contract 2; this mockgate provides contract 1$/],
      ['the same plugin name twice',
        () => [plugin('twice'), rest, plugin('twice')],
        /^plugin "twice": is loaded twice/],
      ['a condition type another plugin registered',
        () => [rest, plugin('copycat', { conditions: [condition('header')] })],
        /^plugin "copycat": condition type "header" is already registered by plugin "rest"$/],
      ['an action type another plugin registered',
        () => [rest, plugin('copycat', { actions: [action('mock')] })],
        /^plugin "copycat": action type "mock" is already registered by plugin "rest"$/],
      ['one condition type twice in the same plugin',
        () => [plugin('stutter', { conditions: [condition('twin'), condition('twin')] })],
        /^plugin "stutter": condition type "twin" is already registered by plugin "stutter"$/],
      ['a fallback order another plugin uses',
        () => [plugin('first', { fallbacks: [fallback('one', 50)] }), plugin('second', { fallbacks: [fallback('two', 50)] })],
        /^plugin "second": fallback "two" has order 50, already taken by "one" of plugin "first"$/],
      ['a fallback order that is not a finite number',
        () => [plugin('drifting', { fallbacks: [fallback('nowhere', Number.NaN)] })],
        /^plugin "drifting": fallback "nowhere" needs a finite order$/],
      ['a spec importer kind another plugin registered',
        () => {
          const documents = [{ path: 'demo/spec', contentTypes: ['text/plain'] }];
          const importer = { kind: 'demo', specType: 'demo', document: 'demo/spec', detect: () => false, prepare: new URL('file:///x.js') };
          return [plugin('first', { importers: [importer], documents }), plugin('second', { importers: [importer], documents: [{ ...documents[0]!, path: 'demo/other' }] })];
        },
        /^plugin "second": spec importer "demo" is already registered by plugin "first"$/],
      ['a spec importer storing its spec as a document the plugin does not declare',
        () => [plugin('forgetful', { importers: [{ kind: 'demo', specType: 'demo', document: 'demo/spec', detect: () => false, prepare: new URL('file:///x.js') }] })],
        /^plugin "forgetful": spec importer "demo" stores its spec as document "demo\/spec", which the plugin does not declare$/],
      ['a document path the management API uses',
        () => [plugin('squatter', { documents: [{ path: 'specs', contentTypes: ['text/plain'] }] })],
        /^plugin "squatter": document path "specs" is taken by the management API$/],
      ['a listener name another plugin registered',
        () => {
          const listener = { name: 'line', start: async () => ({ url: 'line://x', close: async () => {} }) };
          return [plugin('first', { listeners: [listener] }), plugin('second', { listeners: [listener] })];
        },
        /^plugin "second": listener "line" is already registered by plugin "first"$/],
      ['a dependency that is not loaded',
        () => [rest, plugin('needy', { dependsOn: ['rest', 'ghost'] })],
        /^plugin "needy": depends on plugin "ghost", which is not loaded$/],
      ['a dependency cycle',
        () => [plugin('a', { dependsOn: ['b'] }), plugin('b', { dependsOn: ['c'] }), plugin('c', { dependsOn: ['a'] })],
        /^plugin "a": has a dependency cycle: a → b → c → a$/],
      ['a plugin that depends on itself',
        () => [plugin('narcissus', { dependsOn: ['narcissus'] })],
        /^plugin "narcissus": has a dependency cycle: narcissus → narcissus$/],
      ['a condition schema with a keyword ajv strict mode does not know',
        () => [plugin('sloppy', { conditions: [condition('sloppy', { type: 'object', frobnicate: true })] })],
        /^plugin "sloppy": condition type "sloppy" has an invalid JSON schema: .*unknown keyword: "frobnicate"/],
      ['a condition schema that is not a valid JSON schema',
        () => [plugin('typo', { conditions: [condition('typo', { type: 'strnig' })] })],
        /^plugin "typo": condition type "typo" has an invalid JSON schema: schema is invalid/],
      ['an action schema ajv cannot compile',
        () => [plugin('sloppy', { actions: [action('sloppy', { type: 'object', properties: { status: { minimum: 'one' } } })] })],
        /^plugin "sloppy": action type "sloppy" has an invalid JSON schema/],
    ])('%s', async (_, candidates, message) => {
      const err = await rejection(candidates());
      expect(err.code).toBe('plugin_invalid');
      expect(err.status).toBe(500);
      expect(err.message).toMatch(message);
    });
  });

  describe('dependsOn', () => {
    it('loads dependencies first, whatever order the list gives', async () => {
      const registry = await createRegistry([
        plugin('top', { dependsOn: ['middle'] }),
        plugin('middle', { dependsOn: ['base'] }),
        plugin('loner'),
        plugin('base'),
      ]);
      expect(registry.plugins.map((p) => p.name)).toEqual(['base', 'middle', 'top', 'loner']);
    });

    it('keeps the given order among plugins without dependencies', async () => {
      const registry = await createRegistry([plugin('zeta'), plugin('alpha'), rest, plugin('mu')]);
      expect(registry.plugins.map((p) => p.name)).toEqual(['zeta', 'alpha', 'rest', 'mu']);
    });

    it('registers a dependency before its dependant, so a clash names the dependant', async () => {
      const err = await rejection([
        plugin('late', { dependsOn: ['early'], conditions: [condition('shared')] }),
        plugin('early', { conditions: [condition('shared')] }),
      ]);
      expect(err.message).toBe('plugin "late": condition type "shared" is already registered by plugin "early"');
    });
  });

  it('orders fallbacks by order, lowest first, across plugins', async () => {
    const registry = await createRegistry([
      plugin('first', { fallbacks: [fallback('late', 90), fallback('early', 10)] }),
      plugin('second', { fallbacks: [fallback('middle', 50)] }),
    ]);
    expect(registry.fallbacks.map((f) => f.name)).toEqual(['early', 'middle', 'late']);
  });

  it('definePlugin refuses a name that is not lowercase letters, digits and dashes', () => {
    expect(() => plugin('Tenant')).toThrow(TypeError);
    expect(() => plugin('my_plugin')).toThrow(/must be lowercase letters, digits and dashes/);
  });
});
