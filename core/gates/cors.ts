// An endpoint's CORS settings compiled once: which origins it allows, the headers its answers to them carry,
// and its answer to a preflight.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { EndpointSettings, MockResponse } from '../contract.js';
import { CORS_DEFAULTS } from '../endpoints/settings.js';

export interface CorsGate {
  /** The headers every answer to this origin carries; undefined when the origin is not allowed. */
  headersFor(origin: string): Readonly<Record<string, string>> | undefined;
  /** The 204 answer to an allowed origin's preflight. */
  preflight(allowed: Readonly<Record<string, string>>, headers: IncomingHttpHeaders): MockResponse;
}

// What may be written back into a header: a request's Origin or Access-Control-Request-Headers is echoed only if it fits.
const ECHOABLE_ORIGIN = /^[\x21-\x7e]{1,512}$/;
const ECHOABLE_LIST = /^[\t\x20-\x7e]{0,4096}$/;

/**
 * `origins` empty (the document's default) or holding `*` allows any origin, as Beeceptor does. An entry with a
 * scheme (`https://app.example.com`) is matched against the whole Origin; one without (`app.example.com`,
 * `localhost:3000`) against its host and port, whatever the scheme. Case never matters.
 */
export function compileCors(cors: EndpointSettings['cors']): CorsGate {
  const credentials = cors.credentials ?? CORS_DEFAULTS.credentials;
  const anyOrigin = cors.origins.length === 0 || cors.origins.includes('*');
  const origins = new Set<string>();
  const hosts = new Set<string>();
  for (const entry of cors.origins) {
    const normalized = entry.toLowerCase().replace(/\/+$/, '');
    (normalized.includes('://') ? origins : hosts).add(normalized);
  }

  const common: Record<string, string> = {};
  const expose = cors.exposeHeaders ?? CORS_DEFAULTS.exposeHeaders;
  if (expose.length > 0) common['access-control-expose-headers'] = expose.join(', ');
  if (credentials) common['access-control-allow-credentials'] = 'true';
  // `*` is one shared object; a credentialed or listed origin must be named, and caches told the answer varies by it
  const wildcard = Object.freeze({ 'access-control-allow-origin': '*', ...common });
  const named = (origin: string): Record<string, string> => ({ 'access-control-allow-origin': origin, vary: 'Origin', ...common });

  const isListed = (origin: string): boolean => {
    const lower = origin.toLowerCase();
    if (origins.has(lower)) return true;
    const scheme = lower.indexOf('://');
    return scheme > 0 && hosts.has(lower.slice(scheme + 3));
  };

  const methods = (cors.methods ?? CORS_DEFAULTS.methods).join(', ');
  const allowHeaders = cors.headers?.join(', ');
  const maxAge = String(cors.maxAge ?? CORS_DEFAULTS.maxAge);

  return {
    headersFor(origin) {
      if (anyOrigin && !credentials) return wildcard;
      if (!ECHOABLE_ORIGIN.test(origin)) return undefined;
      return anyOrigin || isListed(origin) ? named(origin) : undefined;
    },
    preflight(allowed, request) {
      const headers: OutgoingHttpHeaders = { ...allowed, 'access-control-allow-methods': methods, 'access-control-max-age': maxAge };
      const requested = request['access-control-request-headers'];
      if (allowHeaders !== undefined) {
        if (allowHeaders !== '') headers['access-control-allow-headers'] = allowHeaders;
      } else if (requested !== undefined && requested !== '' && ECHOABLE_LIST.test(requested)) {
        headers['access-control-allow-headers'] = requested;
        headers['vary'] = allowed['vary'] === undefined ? 'Access-Control-Request-Headers' : 'Origin, Access-Control-Request-Headers';
      }
      return { status: 204, headers };
    },
  };
}
