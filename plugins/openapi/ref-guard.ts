// Checks the $refs of a parsed document before anything follows them: only local ones (no file system, no network),
// each resolving, and their expansion bounded — a validator walking a $ref bomb (each schema referring to the one
// below twice) does exponential work, so its size is measured first, shared targets counted once per use.
import { isRef, pointerTokens, resolvePointer } from './load-spec.js';

/** Values a full expansion of the $refs may reach; cycles count once. */
export const MAX_EXPANSION = 20_000_000;
const MAX_DEPTH = 1000;

export function checkRefs(doc: unknown): void {
  const sizes = new Map<object, number>();
  const open = new Set<object>();
  let largest = { ref: '', size: 0 };

  const size = (node: unknown, at: string, depth: number): number => {
    if (node === null || typeof node !== 'object') return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    if (open.has(node)) return 1;
    if (depth > MAX_DEPTH) throw new Error(`the document nests more than ${MAX_DEPTH} levels deep at ${at}`);
    open.add(node);
    let total = 1;
    if (isRef(node)) {
      const target = targetOf(doc, node.$ref, at);
      const expanded = size(target, node.$ref.slice(1), depth + 1);
      if (expanded > largest.size) largest = { ref: node.$ref, size: expanded };
      total += expanded;
    }
    for (const [key, value] of Object.entries(node)) {
      if (total > MAX_EXPANSION) break;
      total += size(value, `${at}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`, depth + 1);
    }
    open.delete(node);
    const capped = Math.min(total, MAX_EXPANSION + 1);
    sizes.set(node, capped);
    return capped;
  };

  if (size(doc, '', 0) > MAX_EXPANSION) {
    throw new Error(`the document's $refs expand to more than ${MAX_EXPANSION.toLocaleString('en')} values ` +
      `(a $ref bomb?), past the limit from "${largest.ref}" on`);
  }
}

function targetOf(doc: unknown, ref: string, at: string): unknown {
  const where = at === '' ? '/' : at;
  if (!ref.startsWith('#')) {
    throw new Error(`$ref "${ref}" at ${where} points outside the document: external references are not followed; ` +
      'bundle the specification into one file');
  }
  const target = resolvePointer(doc, ref);
  if (target !== undefined) return target;
  const tokens = pointerTokens(ref);
  let known = '#';
  let current: any = doc;
  for (const token of tokens) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, token)) break;
    current = current[token];
    known += `/${token.replaceAll('~', '~0').replaceAll('/', '~1')}`;
  }
  const missing = tokens[known.split('/').length - 1];
  throw new Error(`$ref "${ref}" at ${where} does not resolve: ${known} has no "${missing}"`);
}
