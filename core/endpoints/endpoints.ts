// Every endpoint of the process: its stored rules and settings, and an immutable compiled snapshot swapped on each write.
import type { DataStoreApi, EndpointView, FallbackHandler, Logger, StateApi } from '../contract.js';
import type { Blobs } from '../blobs/blobs.js';
import type { DataStoreService } from '../data-stores/data-store-service.js';
import type { StateService } from '../state/state-service.js';
import type { RenderPool } from '../templates/render-pool.js';
import { MockgateError, validationError } from '../errors.js';
import { compileGates, type Gates } from '../gates/compile-gates.js';
import type { Registry } from '../plugins/registry.js';
import { createCompileContext } from '../rules/compile-context.js';
import { compileRule, type CompiledRule } from '../rules/compile-rules.js';
import { MAX_RULES, type StoredRule } from '../rules/rule-model.js';
import { RuleSet } from '../rules/rule-set.js';
import type { Store } from '../store/store.js';
import { defaultSettings, withDefaults, type EndpointSettings } from './settings.js';

export const ENDPOINT_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

export interface Endpoint extends EndpointView {
  readonly state: StateApi;
  readonly dataStores: DataStoreApi;
  readonly createdAt: number;
  readonly settings: EndpointSettings;
  readonly rules: readonly StoredRule[];
  readonly ruleSet: RuleSet;
  readonly fallbacks: readonly FallbackHandler[];
  readonly templates: RenderPool;
  /** CORS, security header and rate limit, compiled from `settings`. */
  readonly gates: Gates;
}

type DocumentWatcher = (endpoint: string, text: string | undefined) => void;

export function checkEndpointName(name: string): void {
  if (!ENDPOINT_NAME.test(name)) {
    throw new MockgateError('validation_error',
      `endpoint name "${name.slice(0, 80)}" must match [a-z0-9][a-z0-9-]{0,62}`, 'endpoint');
  }
}

export class Endpoints {
  readonly #documents = new Map<string, Map<string, string>>();
  readonly #map = new Map<string, Endpoint>();
  readonly #compiled = new WeakMap<StoredRule, CompiledRule>();
  // by settings object: a rules write keeps the gates (and the rate limit's count), a settings write replaces them
  readonly #gates = new WeakMap<EndpointSettings, Gates>();
  readonly #domains = new Map<string, string>();
  readonly #documentWatchers = new Map<string, Set<DocumentWatcher>>();

  constructor(
    private readonly store: Store,
    private readonly registry: Registry,
    private readonly log: Logger,
    private readonly state: StateService,
    private readonly dataStores: DataStoreService,
    private readonly templates: RenderPool,
    private readonly blobs: Blobs,
  ) {
    for (const record of store.listEndpoints()) {
      const settings = withDefaults(record.settings);
      const rules = store.listRules(record.name);
      this.#map.set(record.name, this.#snapshot(record.name, record.createdAt, settings, rules, { atStartup: true }));
      const domain = customDomainOf(settings);
      if (domain === undefined) continue;
      const owner = this.#domains.get(domain);
      if (owner === undefined) this.#domains.set(domain, record.name);
      else log.error({ endpoint: record.name, domain, owner }, 'custom domain claimed by two endpoints; the first keeps it');
    }
  }

  /** Enabled custom domains, lower-case → endpoint name; the resolver looks a request's Host up here. */
  get customDomains(): ReadonlyMap<string, string> {
    return this.#domains;
  }

  get(name: string): Endpoint | undefined {
    return this.#map.get(name);
  }

  list(): Endpoint[] {
    return [...this.#map.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Creates the endpoint; a conflict error when it exists already. */
  create(name: string): Endpoint {
    checkEndpointName(name);
    if (this.#map.has(name)) throw new MockgateError('conflict', `endpoint "${name}" already exists`);
    return this.getOrCreate(name);
  }

  getOrCreate(name: string): Endpoint {
    const existing = this.#map.get(name);
    if (existing) return existing;
    checkEndpointName(name);
    const createdAt = Date.now();
    const settings = defaultSettings();
    this.store.createEndpoint({ name, createdAt, settings: {} });
    const endpoint = this.#snapshot(name, createdAt, settings, []);
    this.#map.set(name, endpoint);
    this.log.info({ endpoint: name }, 'endpoint created');
    return endpoint;
  }

  delete(name: string): boolean {
    const held = [...(this.#documents.get(name)?.keys() ?? this.store.documents.all(name).keys())];
    this.#documents.delete(name);
    this.#releaseDomain(name);
    const existed = this.store.deleteEndpoint(name);
    this.blobs.removeEndpoint(name);
    this.#map.delete(name);
    this.state.forget(name);
    for (const path of held) this.#notify(name, path, undefined);
    return existed;
  }

  /**
   * Compiles every rule first (a failure throws a validation error and changes nothing), then stores the whole
   * list in one transaction, then swaps the snapshot. `pointerOf(i)` names rule i in error pointers.
   */
  setRules(name: string, rules: readonly StoredRule[], pointerOf: (index: number) => string = () => ''): Endpoint {
    if (rules.length > MAX_RULES) {
      throw validationError('/rules', `an endpoint holds at most ${MAX_RULES} rules; this would make ${rules.length}`);
    }
    rules.forEach((rule, i) => this.#compile(name, rule, pointerOf(i)));
    const current = this.getOrCreate(name);
    this.store.replaceRules(name, rules);
    const next = this.#swap(this.#snapshot(name, current.createdAt, current.settings, rules));
    // committed: the blobs the old rules served and the new ones do not are deleted (a blob never used waits for the sweep)
    const kept = blobUsers(next);
    for (const path of blobUsers(current).keys()) if (!kept.has(path)) this.blobs.remove(name, path);
    return next;
  }

  /** Which rules use each blob of the endpoint; undefined when some stored rule cannot be compiled (its blobs are unknown). */
  blobUsers(name: string): ReadonlyMap<string, readonly string[]> | undefined {
    const endpoint = this.#map.get(name);
    if (endpoint === undefined) return new Map();
    return endpoint.ruleSet.rules.length === endpoint.rules.length ? blobUsers(endpoint) : undefined;
  }

  /** `not_found` when the endpoint holds no such blob, `conflict` while a rule uses it. */
  deleteBlob(name: string, path: string): void {
    if (this.blobs.get(name, path) === undefined) throw new MockgateError('not_found', `endpoint "${name}" holds no blob "${path.slice(0, 200)}"`);
    const users = this.blobUsers(name)?.get(path) ?? [];
    if (users.length > 0) {
      throw new MockgateError('conflict', `blob "${path}" is used by rule${users.length > 1 ? 's' : ''} ${users.join(', ')}; ` +
        'change or delete them first (a blob no rule uses any more is deleted with it)', 'blobPath');
    }
    this.blobs.remove(name, path);
  }

  /** Removes blobs no rule has used for the grace period; an endpoint whose usage is unknown keeps all of its blobs. */
  sweepBlobs(): Promise<number> {
    return this.blobs.sweep((endpoint, path) => this.#map.has(endpoint) && (this.blobUsers(endpoint)?.has(path) ?? true));
  }

  /** A custom domain another endpoint has enabled is a conflict error, and changes nothing. */
  setSettings(name: string, settings: EndpointSettings): Endpoint {
    const domain = customDomainOf(settings);
    const owner = domain === undefined ? undefined : this.#domains.get(domain);
    if (owner !== undefined && owner !== name) {
      throw new MockgateError('conflict', `custom domain "${domain}" is already the domain of endpoint "${owner}"`, '/customDomain/domain');
    }
    const current = this.getOrCreate(name);
    const next = this.#snapshot(name, current.createdAt, settings, current.rules);
    this.store.saveSettings(name, settings as unknown as Record<string, unknown>);
    this.#releaseDomain(name);
    if (domain !== undefined) this.#domains.set(domain, name);
    return this.#swap(next);
  }

  /**
   * Stores (or with undefined, removes) a document and recompiles the endpoint's fallbacks, which read it; a fallback
   * that refuses it throws and nothing changes. Returns whether the endpoint held one at that path before.
   */
  setDocument(name: string, path: string, text: string | undefined): boolean {
    const current = this.getOrCreate(name);
    const documents = this.#documentsOf(name);
    const before = documents.get(path);
    if (text === undefined) documents.delete(path);
    else documents.set(path, text);
    let next: Endpoint;
    try {
      next = this.#snapshot(name, current.createdAt, current.settings, current.rules);
    } catch (err) {
      if (before === undefined) documents.delete(path);
      else documents.set(path, before);
      throw err;
    }
    if (text === undefined) this.store.documents.delete(name, path);
    else this.store.documents.put(name, path, text, Date.now());
    this.#swap(next);
    this.#notify(name, path, text);
    return before !== undefined;
  }

  /** Calls `onChange` for each endpoint's document at `path` now, then on every change; returns the unsubscribe. */
  watchDocuments(path: string, onChange: DocumentWatcher): () => void {
    let watchers = this.#documentWatchers.get(path);
    if (watchers === undefined) this.#documentWatchers.set(path, (watchers = new Set()));
    watchers.add(onChange);
    for (const name of this.#map.keys()) {
      const text = this.#documentsOf(name).get(path);
      if (text !== undefined) onChange(name, text);
    }
    return () => void watchers.delete(onChange);
  }

  #notify(name: string, path: string, text: string | undefined): void {
    for (const watcher of this.#documentWatchers.get(path) ?? []) {
      try {
        watcher(name, text);
      } catch (err) {
        this.log.error({ err, endpoint: name, path }, 'a document watcher failed');
      }
    }
  }

  #documentsOf(name: string): Map<string, string> {
    let documents = this.#documents.get(name);
    if (documents === undefined) this.#documents.set(name, (documents = this.store.documents.all(name)));
    return documents;
  }

  #releaseDomain(name: string): void {
    const domain = customDomainOf(this.#map.get(name)?.settings);
    if (domain !== undefined && this.#domains.get(domain) === name) this.#domains.delete(domain);
  }

  #swap(endpoint: Endpoint): Endpoint {
    this.#map.set(endpoint.name, endpoint);
    return endpoint;
  }

  #compile(name: string, rule: StoredRule, pointer: string): CompiledRule {
    let compiled = this.#compiled.get(rule);
    if (!compiled) {
      compiled = compileRule(rule, this.registry, this.log, pointer, (path) => this.blobs.ref(name, path));
      this.#compiled.set(rule, compiled);
    }
    return compiled;
  }

  #snapshot(name: string, createdAt: number, settings: EndpointSettings, rules: readonly StoredRule[],
    opts: { atStartup?: boolean } = {}): Endpoint {
    const compiled: CompiledRule[] = [];
    for (const rule of rules) {
      try {
        compiled.push(this.#compile(name, rule, ''));
      } catch (err) {
        if (!opts.atStartup) throw err;
        // A stored rule whose plugin is gone stays stored and listed, but never matches; say so loudly.
        this.log.error({ endpoint: name, ruleId: rule.id, err: (err as Error).message }, 'stored rule cannot be compiled; it is skipped');
      }
    }
    const documents = this.#documentsOf(name);
    const view: EndpointView = { name, settings, document: (path) => documents.get(path) };
    const fallbacks: FallbackHandler[] = [];
    for (const step of this.registry.fallbacks) {
      const handler = step.compile(view, createCompileContext('/settings', this.log, this.registry.templates));
      if (handler) fallbacks.push(handler);
    }
    let gates = this.#gates.get(settings);
    if (gates === undefined) this.#gates.set(settings, (gates = compileGates(settings)));
    return Object.freeze({ ...view, settings, createdAt, rules, ruleSet: new RuleSet(compiled), fallbacks, templates: this.templates, state: this.state.of(name),
      dataStores: this.dataStores.of(name, settings.crud.autoDelete), gates });
  }
}

/** Blob path → ids of the compiled rules that serve it. */
function blobUsers(endpoint: Endpoint): Map<string, string[]> {
  const users = new Map<string, string[]>();
  for (const rule of endpoint.ruleSet.rules) {
    for (const path of rule.blobs) users.set(path, [...(users.get(path) ?? []), rule.id]);
  }
  return users;
}

function customDomainOf(settings: EndpointSettings | undefined): string | undefined {
  return settings?.customDomain.enabled === true && settings.customDomain.domain !== '' ? settings.customDomain.domain.toLowerCase() : undefined;
}
