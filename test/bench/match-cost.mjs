// Rule matching alone, without HTTP: per-request cost of finding the rule of each `npm run bench` scenario, and how
// many rules the index leaves to try. It uses mockgate's compiled internals from dist/ (run `npm run build` first),
// so it shows what the matching costs apart from node:http and the load generator.
//
//   node test/bench/match-cost.mjs
import { BUILTIN_PLUGINS } from '../../dist/core/plugins/builtin-plugins.js';
import { createRegistry } from '../../dist/core/plugins/registry.js';
import { createLogger } from '../../dist/core/logger.js';
import { compileRule } from '../../dist/core/rules/compile-rules.js';
import { RuleSet, firstMatch } from '../../dist/core/rules/rule-set.js';
import { RequestView } from '../../dist/core/request/mock-request.js';
import { SCENARIOS, rulesOf } from './scenarios.mjs';

// the headers autocannon sends, so header conditions see what they see under load
const HEADERS = { host: '127.0.0.1:8080', 'user-agent': 'autocannon' };
const ITERATIONS = 100_000;
const NO_STATE = { get: () => undefined }; // matching only: no state items

const registry = await createRegistry(BUILTIN_PLUGINS);
const log = createLogger('silent');

/** Mean ns of `fn` over ITERATIONS calls, after as many for the JIT. */
function time(fn) {
  for (let i = 0; i < ITERATIONS; i++) fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) fn();
  return Number(process.hrtime.bigint() - start) / ITERATIONS;
}

/** The candidates grouped by condition kind ("path:regex", "path:starts_with+header:equals", …). */
function byKind(rules, byId) {
  const groups = new Map();
  for (const r of rules) {
    const key = byId.get(r.id).conditions.map((c) => `${c.type}:${c.operator ?? ''}`).join('+');
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.entries()];
}

/** What each kind of candidate costs: its rules' matchers alone, on the scenario's request. */
function costByKind(groups, path) {
  const view = new RequestView('GET', path, HEADERS, 'http');
  const ctx = { captures: undefined, state: NO_STATE };
  return groups.map(([kind, rules]) => {
    const ns = time(() => {
      for (const r of rules) r.matches(view, ctx);
    });
    return { kind, count: rules.length, ns };
  }).sort((a, b) => b.ns - a.ns);
}

// the scenarios whose request is a bodiless GET over HTTP, the one this script builds (not gRPC, GraphQL POSTs, imports)
const matchable = SCENARIOS.filter((s) => s.protocol === undefined && s.kind === undefined && (s.method ?? 'GET') === 'GET');

for (const scenario of matchable) {
  const stored = rulesOf(scenario).map((r, i) => ({ id: `r${i + 1}`, ...r }));
  if (stored.length === 0) continue; // answered by a fallback step (proxy, a spec): no matching to measure
  const ruleSet = new RuleSet(stored.map((r) => compileRule(r, registry, log)));
  const byId = new Map(stored.map((r) => [r.id, r]));
  const candidates = ruleSet.candidates('GET', scenario.path);
  const match = () => firstMatch(ruleSet.candidates('GET', scenario.path), new RequestView('GET', scenario.path, HEADERS, 'http'), { captures: undefined, state: NO_STATE });
  const winner = match();
  if (winner?.id !== stored.at(-1).id) throw new Error(`${scenario.title}: rule ${winner?.id} matched, expected ${stored.at(-1).id}`);
  const ns = time(match);
  process.stdout.write(`${scenario.title}: ${(ns / 1000).toFixed(2)} µs per request; ${candidates.rules.length} of ` +
    `${stored.length} rules tried (${(ns / candidates.rules.length).toFixed(0)} ns each)\n`);
  for (const { kind, count, ns: kindNs } of costByKind(byKind(candidates.rules, byId), scenario.path)) {
    process.stdout.write(`  ${(kindNs / 1000).toFixed(2).padStart(7)} µs  ${String(count).padStart(3)} × ${kind} (${(kindNs / count).toFixed(0)} ns each)\n`);
  }
}
