// Parts of a request the spec's checks read: its media type, its cookies, and media type ranges to match against.
import { headerValue, type MockRequest } from '../../core/contract.js';
import { baseType } from './negotiate.js';

/** The request's media type, lower case and without parameters (`application/json`); undefined without a Content-Type. */
export function mediaTypeOf(request: MockRequest): string | undefined {
  const value = headerValue(request, 'content-type');
  if (value === undefined) return undefined;
  const type = baseType(value);
  return type === '' ? undefined : type;
}

/** JSON itself, or a structured syntax suffix of it: `application/json`, `application/problem+json`, `text/json`. */
export function isJsonMediaType(type: string): boolean {
  return /^[^/]+\/(?:[^;]*\+)?json$/.test(type);
}

/**
 * A matcher over the media types an operation declares (keys of `content`, or `consumes`): a request's media type
 * picks the declared one it falls under — the exact type first, then `type/*`, then `*\/*`.
 */
export function compileMediaTypes(declared: readonly string[]): (type: string) => string | undefined {
  const byRange = new Map<string, string>();
  for (const key of declared) {
    const range = baseType(key);
    if (!byRange.has(range)) byRange.set(range, key);
  }
  return (type) => byRange.get(type) ?? byRange.get(`${type.slice(0, type.indexOf('/'))}/*`) ?? byRange.get('*/*');
}

/** The request's cookies by name (RFC 6265 `Cookie: a=1; b=2`), values percent-decoded when they can be. */
export function cookiesOf(request: MockRequest): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const pair of (headerValue(request, 'cookie') ?? '').split(/;\s*/)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    if (!cookies.has(name)) cookies.set(name, decode(pair.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1')));
  }
  return cookies;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
