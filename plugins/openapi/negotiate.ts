// What the client asks of a mock answer: the `Prefer` header as Prism reads it (code=404, example=cat, dynamic=true)
// and `Accept` negotiation over the media types a response offers (q-values, wildcards).

export interface Prefer {
  code?: string;
  example?: string;
  dynamic?: boolean;
}

/** `Prefer: code=404, example="cat"; dynamic=true` → {code: '404', example: 'cat', dynamic: true}. */
export function parsePrefer(header: string | undefined): Prefer {
  const prefer: Prefer = {};
  if (header === undefined) return prefer;
  for (const part of header.split(/[,;]/)) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    const value = part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    if (key === 'code') prefer.code = value;
    else if (key === 'example') prefer.example = value;
    else if (key === 'dynamic') prefer.dynamic = value.toLowerCase() === 'true';
  }
  return prefer;
}

interface AcceptRange {
  type: string;
  subtype: string;
  q: number;
  index: number;
}

const isJson = (mediaType: string): boolean => /[/+]json$/i.test(baseType(mediaType));
export const baseType = (mediaType: string): string => mediaType.split(';')[0]!.trim().toLowerCase();

/**
 * The offered media type the client accepts best (highest q, then the most specific range, then its order in Accept);
 * among equals JSON first, then the spec's order — so curl's `*∕*` gets JSON even where the spec lists XML first.
 * Undefined when the client accepts none of them (406).
 */
export function negotiate(accept: string | undefined, offered: readonly string[]): string | undefined {
  const ranges = parseAccept(accept);
  let best: { type: string; score: number[] } | undefined;
  offered.forEach((type, offeredIndex) => {
    const [main = '', sub = ''] = baseType(type).split('/');
    let match: AcceptRange | undefined;
    let specificity = -1;
    for (const range of ranges) {
      const fits = (range.type === '*' || main === '*' || range.type === main) && (range.subtype === '*' || sub === '*' || range.subtype === sub);
      const s = !fits ? -1 : range.type === '*' ? 0 : range.subtype === '*' ? 1 : 2;
      if (s > specificity) (specificity = s), (match = range);
    }
    if (match === undefined || match.q <= 0) return;
    const score = [match.q, specificity, -match.index, isJson(type) ? 1 : 0, -offeredIndex];
    // a spec offering `*/*` or `image/*` answers the concrete type asked for (JSON when the client names none)
    const concrete = !type.includes('*') ? type : match.type !== '*' && match.subtype !== '*' ? `${match.type}/${match.subtype}`
      : main !== '*' && sub === '*' ? `${main}/octet-stream` : 'application/json';
    if (best === undefined || compare(score, best.score) > 0) best = { type: concrete, score };
  });
  return best?.type;
}

function parseAccept(accept: string | undefined): AcceptRange[] {
  if (accept === undefined || accept.trim() === '') return [{ type: '*', subtype: '*', q: 1, index: 0 }];
  const ranges: AcceptRange[] = [];
  accept.split(',').forEach((part, index) => {
    const [range, ...params] = part.split(';');
    const [type, subtype] = range!.trim().toLowerCase().split('/');
    if (!type || subtype === undefined) return;
    const qParam = params.map((p) => p.trim()).find((p) => p.toLowerCase().startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    ranges.push({ type, subtype: subtype.trim(), q: Number.isFinite(q) ? q : 0, index });
  });
  return ranges;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
