// An endpoint's compiled rules and their index. Immutable: a write builds a new RuleSet and swaps the reference.
import type { MatchContext, MockRequest } from '../contract.js';
import type { CompiledRule } from './compile-rules.js';

export interface Candidates {
  /** An ordered subsequence of the enabled rules: the index never changes which rule wins. */
  readonly rules: readonly CompiledRule[];
  readonly needsBody: boolean;
}

interface MethodTable {
  readonly exact: ReadonlyMap<string, Candidates>;
  readonly segment: ReadonlyMap<string, Candidates>;
  readonly rest: Candidates;
}

export function firstSegment(path: string): string {
  const end = path.indexOf('/', 1);
  return end === -1 ? path.slice(1) : path.slice(1, end);
}

function candidates(rules: readonly CompiledRule[]): Candidates {
  return { rules, needsBody: rules.some((r) => r.needsBody) };
}

function segmentOf(rule: CompiledRule): string | undefined {
  return rule.hint.exactPath !== undefined ? firstSegment(rule.hint.exactPath) : rule.hint.firstSegment;
}

/** Per method: rules with no hint; plus, per first segment, the rules hinting it; plus, per exact path, those hinting it. */
function buildTable(rules: readonly CompiledRule[]): MethodTable {
  const unhinted = (r: CompiledRule): boolean => r.hint.exactPath === undefined && r.hint.firstSegment === undefined;
  const segments = new Set<string>();
  const paths = new Set<string>();
  for (const r of rules) {
    const seg = segmentOf(r);
    if (seg !== undefined) segments.add(seg);
    if (r.hint.exactPath !== undefined) paths.add(r.hint.exactPath);
  }
  const segment = new Map<string, Candidates>();
  for (const s of segments) {
    segment.set(s, candidates(rules.filter((r) => unhinted(r) || (r.hint.exactPath === undefined && r.hint.firstSegment === s))));
  }
  const exact = new Map<string, Candidates>();
  for (const p of paths) {
    const s = firstSegment(p);
    exact.set(p, candidates(rules.filter((r) =>
      unhinted(r) || r.hint.exactPath === p || (r.hint.exactPath === undefined && r.hint.firstSegment === s))));
  }
  return { exact, segment, rest: candidates(rules.filter(unhinted)) };
}

export class RuleSet {
  static readonly EMPTY = new RuleSet([]);
  readonly #byMethod = new Map<string, MethodTable>();
  readonly #anyMethod: MethodTable;

  constructor(readonly rules: readonly CompiledRule[]) {
    const enabled = rules.filter((r) => r.enabled);
    const methods = new Set(enabled.map((r) => r.method).filter((m) => m !== '*'));
    for (const m of methods) this.#byMethod.set(m, buildTable(enabled.filter((r) => r.method === m || r.method === '*')));
    this.#anyMethod = buildTable(enabled.filter((r) => r.method === '*'));
  }

  candidates(method: string, path: string): Candidates {
    // HEAD is answered by GET rules (node omits the body), as HTTP servers conventionally do
    const table = this.#byMethod.get(method === 'HEAD' ? 'GET' : method) ?? this.#anyMethod;
    return table.exact.get(path) ?? table.segment.get(firstSegment(path)) ?? table.rest;
  }
}

export function firstMatch(c: Candidates, req: MockRequest, ctx: MatchContext): CompiledRule | undefined {
  for (const rule of c.rules) {
    ctx.captures = undefined;
    if (rule.matches(req, ctx)) return rule;
  }
  return undefined;
}
