// Request path + method → the spec's operation, compiled once per spec into a tree of path segments under each base
// path. Literal segments beat templated ones (`/pet/findByStatus` before `/pet/{petId}`); a path that exists without
// the method is `allowed` (the step answers 405 with Allow, as Prism does).
import { HTTP_METHODS, type LoadedSpec, type OperationRef } from './load-spec.js';

export type Route =
  | { readonly op: OperationRef; readonly pathParams: Record<string, string> }
  | { readonly allowed: readonly string[] };

export type Router = (method: string, path: string) => Route | undefined;

interface Node {
  readonly literal: Map<string, Node>;
  /** Segments with `{params}`, most literal characters first. */
  readonly templated: Array<{
    readonly segment: string;
    readonly match: (segment: string) => Record<string, string> | undefined;
    readonly weight: number;
    readonly node: Node;
  }>;
  readonly ops: Map<string, OperationRef>;
}

const newNode = (): Node => ({ literal: new Map(), templated: [], ops: new Map() });

export function compileRouter(spec: LoadedSpec): Router {
  const root = newNode();
  for (const op of spec.operations) {
    let node = root;
    for (const segment of segmentsOf(op.pathTemplate)) node = childFor(node, segment);
    node.ops.set(op.method, op);
  }
  // longest first: under servers `/api` and `/api/v3`, `/api/v3/pet` is the v3 one
  const bases = [...spec.basePaths].sort((a, b) => b.length - a.length);

  return (method, path) => {
    let allowed: string[] | undefined;
    for (const base of bases) {
      if (base !== '' && path !== base && !path.startsWith(`${base}/`)) continue;
      const segments = segmentsOf(path.slice(base.length));
      const found = find(root, segments, 0, {}, method);
      if (found === undefined) continue;
      if ('op' in found) return found;
      allowed ??= [...found.allowed];
    }
    return allowed === undefined ? undefined : { allowed };
  };
}

/** Segments of a path, a trailing slash ignored: `/pet/7/` → ['pet', '7']. */
function segmentsOf(path: string): string[] {
  const segments = path.split('/').slice(1);
  if (segments.at(-1) === '') segments.pop();
  return segments;
}

function childFor(node: Node, segment: string): Node {
  if (!segment.includes('{')) {
    let child = node.literal.get(segment);
    if (child === undefined) node.literal.set(segment, (child = newNode()));
    return child;
  }
  // each spelling keeps its own branch, so a path's parameters carry the names its own template gives them
  const existing = node.templated.find((t) => t.segment === segment);
  if (existing !== undefined) return existing.node;
  const child = newNode();
  const weight = segment.replace(/\{[^}]*\}/g, '').length;
  node.templated.push({ segment, match: segmentMatcher(segment), weight, node: child });
  node.templated.sort((a, b) => b.weight - a.weight);
  return child;
}

/** `{id}` or `{name}.{ext}` → a matcher capturing the parameters (a parameter takes at least one character). */
function segmentMatcher(segment: string): (text: string) => Record<string, string> | undefined {
  const names: string[] = [];
  const source = segment.split(/(\{[^}]*\})/).map((part) => {
    const param = /^\{([^}]*)\}$/.exec(part);
    if (param === null) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    names.push(param[1]!);
    return '(.+?)';
  }).join('');
  const re = new RegExp(`^${source}$`);
  return (text) => {
    const m = re.exec(text);
    if (m === null) return undefined;
    const params: Record<string, string> = {};
    names.forEach((name, i) => (params[name] = decode(m[i + 1]!)));
    return params;
  };
}

/** Depth-first, literal children first; the first node with the method wins, else the first with any method. */
function find(node: Node, segments: string[], i: number, params: Record<string, string>, method: string): Route | undefined {
  if (i === segments.length) {
    if (node.ops.size === 0) return undefined;
    const op = node.ops.get(method) ?? (method === 'HEAD' ? node.ops.get('GET') : undefined);
    return op !== undefined ? { op, pathParams: params } : { allowed: allowedOf(node) };
  }
  let fallback: Route | undefined;
  const literal = node.literal.get(segments[i]!);
  if (literal !== undefined) {
    const found = find(literal, segments, i + 1, params, method);
    if (found !== undefined && 'op' in found) return found;
    fallback = found;
  }
  for (const { match, node: child } of node.templated) {
    const captured = match(segments[i]!);
    if (captured === undefined) continue;
    const found = find(child, segments, i + 1, { ...params, ...captured }, method);
    if (found !== undefined && 'op' in found) return found;
    fallback ??= found;
  }
  return fallback;
}

function allowedOf(node: Node): string[] {
  const methods = HTTP_METHODS.map((m) => m.toUpperCase()).filter((m) => node.ops.has(m));
  return node.ops.has('GET') && !node.ops.has('HEAD') ? [...methods, 'HEAD'] : methods;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
