// Turns a plugin list into one frozen Registry, refusing anything inconsistent before the server starts.
import {
  CONTRACT_VERSION,
  PLUGIN_BRAND,
  type ActionType,
  type ConditionType,
  type DocumentType,
  type FallbackStep,
  type Plugin,
  type ProtocolListener,
  type SpecFile,
  type SpecImporter,
} from '../contract.js';
import { MockgateError } from '../errors.js';
import { BUILTIN_HELPERS } from '../../workers/helpers/index.js';
import { TemplateChecker, type TemplateLimits } from '../templates/check-template.js';
import { compileSchema, type Validator } from '../validation.js';

export interface RegisteredType<T> {
  readonly plugin: string;
  readonly type: T;
  readonly validate: Validator;
}

export interface Registry {
  readonly plugins: readonly Plugin[];
  condition(type: string): RegisteredType<ConditionType> | undefined;
  action(type: string): RegisteredType<ActionType> | undefined;
  readonly conditionTypes: readonly string[];
  readonly actionTypes: readonly string[];
  /** Ordered by `order`, lowest first. */
  readonly fallbacks: readonly FallbackStep[];
  readonly importers: readonly SpecImporter[];
  findImporter(file: SpecFile): SpecImporter | undefined;
  readonly listeners: readonly ProtocolListener[];
  /** Helper modules for the template worker, and the helper names each provides. */
  readonly helperModules: readonly URL[];
  readonly helperNames: ReadonlyMap<string, string>;
  /** Documents endpoints can hold for plugins, by path. */
  readonly documents: readonly DocumentType[];
  /** Checks templates against the built-in and plugin helpers when rules are written. */
  readonly templates: TemplateChecker;
}

function invalid(plugin: string, message: string): MockgateError {
  return new MockgateError('plugin_invalid', `plugin "${plugin}": ${message}`);
}

export async function createRegistry(candidates: readonly unknown[], templateLimits: TemplateLimits = { maxRepeat: 1000 }): Promise<Registry> {
  const plugins = orderByDependencies(candidates.map(checkPlugin));
  const conditions = new Map<string, RegisteredType<ConditionType>>();
  const actions = new Map<string, RegisteredType<ActionType>>();
  const fallbacks = new Map<number, { plugin: string; step: FallbackStep }>();
  const importers = new Map<string, string>();
  const listeners = new Map<string, string>();
  const helperNames = new Map<string, string>();
  const helperModules: URL[] = [];
  const documents = new Map<string, { plugin: string; type: DocumentType }>();

  const schemaOf = (plugin: string, what: string, schema: object): Validator => {
    try {
      return compileSchema(schema);
    } catch (err) {
      throw invalid(plugin, `${what} has an invalid JSON schema: ${(err as Error).message}`);
    }
  };

  for (const p of plugins) {
    for (const c of p.conditions ?? []) {
      const clash = conditions.get(c.type);
      if (clash) throw invalid(p.name, `condition type "${c.type}" is already registered by plugin "${clash.plugin}"`);
      conditions.set(c.type, { plugin: p.name, type: c, validate: schemaOf(p.name, `condition type "${c.type}"`, c.schema) });
    }
    for (const a of p.actions ?? []) {
      const clash = actions.get(a.type);
      if (clash) throw invalid(p.name, `action type "${a.type}" is already registered by plugin "${clash.plugin}"`);
      actions.set(a.type, { plugin: p.name, type: a, validate: schemaOf(p.name, `action type "${a.type}"`, a.schema) });
    }
    for (const f of p.fallbacks ?? []) {
      if (!Number.isFinite(f.order)) throw invalid(p.name, `fallback "${f.name}" needs a finite order`);
      const clash = fallbacks.get(f.order);
      if (clash) throw invalid(p.name, `fallback "${f.name}" has order ${f.order}, already taken by "${clash.step.name}" of plugin "${clash.plugin}"`);
      fallbacks.set(f.order, { plugin: p.name, step: f });
    }
    for (const i of p.importers ?? []) {
      const clash = importers.get(i.kind);
      if (clash) throw invalid(p.name, `spec importer "${i.kind}" is already registered by plugin "${clash}"`);
      if (!(p.documents ?? []).some((d) => d.path === i.document)) {
        throw invalid(p.name, `spec importer "${i.kind}" stores its spec as document "${i.document}", which the plugin does not declare`);
      }
      importers.set(i.kind, p.name);
    }
    for (const l of p.listeners ?? []) {
      const clash = listeners.get(l.name);
      if (clash) throw invalid(p.name, `listener "${l.name}" is already registered by plugin "${clash}"`);
      listeners.set(l.name, p.name);
    }
    for (const d of p.documents ?? []) {
      if (!/^[a-z0-9-]+(\/[a-z0-9-]+)*$/.test(d.path)) throw invalid(p.name, `document path "${d.path}" must be lowercase segments`);
      // the core's own routes below an endpoint
      if (/^(specs|jobs|rules|settings|requests|state|blobs|recordings|data-stores|data-structures)(\/|$)/.test(d.path)) {
        throw invalid(p.name, `document path "${d.path}" is taken by the management API`);
      }
      const clash = documents.get(d.path);
      if (clash) throw invalid(p.name, `document path "${d.path}" is already registered by plugin "${clash.plugin}"`);
      documents.set(d.path, { plugin: p.name, type: d });
    }
    if (p.helpers) {
      for (const name of await helperNamesOf(p)) {
        const clash = helperNames.get(name);
        if (clash) throw invalid(p.name, `template helper "${name}" is already registered by plugin "${clash}"`);
        if (Object.hasOwn(BUILTIN_HELPERS, name)) throw invalid(p.name, `template helper "${name}" is a built-in helper`);
        helperNames.set(name, p.name);
      }
      helperModules.push(p.helpers);
    }
  }

  const allImporters = plugins.flatMap((p) => p.importers ?? []);
  return Object.freeze({
    plugins,
    condition: (type: string) => conditions.get(type),
    action: (type: string) => actions.get(type),
    conditionTypes: [...conditions.keys()],
    actionTypes: [...actions.keys()],
    fallbacks: [...fallbacks.entries()].sort(([a], [b]) => a - b).map(([, f]) => f.step),
    importers: allImporters,
    findImporter: (file: SpecFile) => allImporters.find((i) => i.detect(file)),
    listeners: plugins.flatMap((p) => p.listeners ?? []),
    helperModules,
    helperNames,
    documents: [...documents.values()].map((d) => d.type),
    templates: new TemplateChecker(new Set(helperNames.keys()), templateLimits),
  });
}

function checkPlugin(candidate: unknown, index: number): Plugin {
  const p = candidate as Partial<Plugin> | undefined;
  const name = typeof p?.name === 'string' ? p.name : `#${index}`;
  if (!p || p[PLUGIN_BRAND] !== true) throw invalid(name, 'is not a plugin: export default definePlugin({...})');
  if (p.contract !== CONTRACT_VERSION) {
    throw invalid(name, `is written for contract ${String(p.contract)}; this mockgate provides contract ${CONTRACT_VERSION}`);
  }
  return p as Plugin;
}

/** Dependencies first; otherwise the given order. Unknown dependencies, cycles and duplicate names are load errors. */
function orderByDependencies(plugins: readonly Plugin[]): Plugin[] {
  const byName = new Map<string, Plugin>();
  for (const p of plugins) {
    if (byName.has(p.name)) throw invalid(p.name, 'is loaded twice (plugin names must be unique)');
    byName.set(p.name, p);
  }
  const ordered: Plugin[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (p: Plugin, chain: string[]): void => {
    const seen = state.get(p.name);
    if (seen === 'done') return;
    if (seen === 'visiting') throw invalid(p.name, `has a dependency cycle: ${[...chain, p.name].join(' → ')}`);
    state.set(p.name, 'visiting');
    for (const dep of p.dependsOn ?? []) {
      const target = byName.get(dep);
      if (!target) throw invalid(p.name, `depends on plugin "${dep}", which is not loaded`);
      visit(target, [...chain, p.name]);
    }
    state.set(p.name, 'done');
    ordered.push(p);
  };
  for (const p of plugins) visit(p, []);
  return ordered;
}

async function helperNamesOf(p: Plugin): Promise<string[]> {
  let mod: { default?: unknown };
  try {
    mod = (await import(p.helpers!.href)) as { default?: unknown };
  } catch (err) {
    throw invalid(p.name, `helpers module ${p.helpers!.href} failed to load: ${(err as Error).message}`);
  }
  const helpers = mod.default;
  if (helpers === null || typeof helpers !== 'object') throw invalid(p.name, 'helpers module must export default defineHelpers({...})');
  for (const [name, fn] of Object.entries(helpers)) {
    if (typeof fn !== 'function') throw invalid(p.name, `helper "${name}" is not a function`);
  }
  return Object.keys(helpers);
}
