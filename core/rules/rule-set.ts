// An endpoint's compiled rules and their index. Immutable: a write builds a new RuleSet and swaps the reference.
import type { MatchContext, MockRequest } from '../contract.js';
import type { CompiledRule } from './compile-rules.js';

export interface Candidates {
  /** An ordered subsequence of the enabled rules: the index never changes which rule wins. */
  readonly rules: readonly CompiledRule[];
  readonly needsBody: boolean;
}

/** A node of the segment trie: the rules that can match a path reaching it (and going no deeper in the trie). */
interface SegmentNode {
  readonly children: Map<string, SegmentNode>;
  candidates: Candidates;
}

interface MethodTable {
  readonly exact: ReadonlyMap<string, Candidates>;
  readonly root: SegmentNode;
}

function candidates(rules: readonly CompiledRule[]): Candidates {
  return { rules, needsBody: rules.some((r) => r.needsBody) };
}

/** The whole segments a rule requires at the start of the path; [] when it requires none. */
function requiredSegments(rule: CompiledRule): readonly string[] {
  return rule.hint.exactPath !== undefined ? rule.hint.exactPath.split('/').slice(1) : rule.hint.segments ?? [];
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => path[i] === s);
}

/** Could `rule` match a request whose path has exactly these segments (exactPath) or starts with them (otherwise)? */
function admits(rule: CompiledRule, segments: readonly string[], exactPath: string | undefined): boolean {
  if (rule.hint.exactPath !== undefined) return rule.hint.exactPath === exactPath;
  return startsWith(segments, rule.hint.segments ?? []);
}

function buildTable(rules: readonly CompiledRule[]): MethodTable {
  const root: SegmentNode = { children: new Map(), candidates: candidates([]) };
  const nodes: Array<[SegmentNode, string[]]> = [[root, []]];
  const paths = new Set<string>();
  for (const rule of rules) {
    if (rule.hint.exactPath !== undefined) paths.add(rule.hint.exactPath);
    let node = root;
    const walked: string[] = [];
    for (const segment of requiredSegments(rule)) {
      walked.push(segment);
      let child = node.children.get(segment);
      if (!child) {
        child = { children: new Map(), candidates: candidates([]) };
        node.children.set(segment, child);
        nodes.push([child, [...walked]]);
      }
      node = child;
    }
  }
  for (const [node, segments] of nodes) node.candidates = candidates(rules.filter((r) => admits(r, segments, undefined)));
  const exact = new Map<string, Candidates>();
  for (const p of paths) {
    const segments = p.split('/').slice(1);
    exact.set(p, candidates(rules.filter((r) => admits(r, segments, p))));
  }
  return { exact, root };
}

export class RuleSet {
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
    const exact = table.exact.get(path);
    if (exact !== undefined) return exact;
    // walk the path's segments down the trie as far as they go, without splitting the string
    let node = table.root;
    let start = 1;
    while (node.children.size > 0 && start <= path.length) {
      const end = path.indexOf('/', start);
      const child = node.children.get(end === -1 ? path.slice(start) : path.slice(start, end));
      if (child === undefined) break;
      node = child;
      if (end === -1) break;
      start = end + 1;
    }
    return node.candidates;
  }
}

export function firstMatch(c: Candidates, req: MockRequest, ctx: MatchContext): CompiledRule | undefined {
  for (const rule of c.rules) {
    ctx.captures = undefined;
    if (rule.matches(req, ctx)) return rule;
  }
  return undefined;
}
