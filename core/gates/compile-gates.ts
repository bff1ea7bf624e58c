// An endpoint's gates, compiled once per settings snapshot and run in order before its rules:
// CORS (a preflight is answered here), the security header, the rate limit.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EndpointSettings, JournalNote, MockResponse } from '../contract.js';
import { compileCors, type CorsGate } from './cors.js';
import { compileRateLimit, type RateLimiter } from './rate-limit.js';
import { refusal } from './refusal.js';
import { checkSecurity, compileSecurity, type SecurityGate } from './security.js';

export interface Gates {
  readonly cors: CorsGate;
  readonly security: SecurityGate | undefined;
  readonly rateLimit: RateLimiter | undefined;
  /** The 429 without its Retry-After, which depends on the moment. */
  readonly rateLimited: MockResponse | undefined;
}

/** A gate answered the request: the response, and what the journal notes about it. */
export interface GateAnswer {
  response: MockResponse;
  note: JournalNote;
}

const PREFLIGHT: JournalNote = Object.freeze({ behavior: 'cors-preflight' });
const REJECTED_ORIGIN: JournalNote = Object.freeze({ behavior: 'rejected', gate: 'cors' });
const REJECTED_SECURITY: JournalNote = Object.freeze({ behavior: 'rejected', gate: 'security' });
const REJECTED_RATE: JournalNote = Object.freeze({ behavior: 'rejected', gate: 'rate-limit' });

export function compileGates(settings: EndpointSettings): Gates {
  const { rate, period } = settings.rateLimit;
  const rateLimit = compileRateLimit(settings.rateLimit);
  return {
    cors: compileCors(settings.cors),
    security: compileSecurity(settings.security),
    rateLimit,
    rateLimited: rateLimit && refusal('rate_limited',
      `this endpoint lets ${rate} request${rate === 1 ? '' : 's'} through per ${period.toLowerCase()}; retry once the window ends`),
  };
}

/**
 * Runs the gates; undefined lets the request on to the rules. Synchronous, so the rate limit counts concurrent
 * requests exactly. A request without Origin costs a property check here; an allowed origin's CORS headers go on
 * `res`, so every answer carries them whoever writes it (a rule, a fallback, an error, a gate below).
 */
export function passGates(gates: Gates, req: IncomingMessage, res: ServerResponse): GateAnswer | undefined {
  const { headers } = req;
  const origin = headers.origin;
  if (origin !== undefined) {
    const allowed = gates.cors.headersFor(origin);
    // answered before security: a browser never sends the secret header on a preflight
    const preflight = req.method === 'OPTIONS' && headers['access-control-request-method'] !== undefined;
    if (allowed === undefined) {
      if (preflight) {
        return { response: refusal('forbidden', `origin ${JSON.stringify(origin.slice(0, 200))} is not allowed by this endpoint's CORS settings`), note: REJECTED_ORIGIN };
      }
    } else {
      if (preflight) return { response: gates.cors.preflight(allowed, headers), note: PREFLIGHT };
      for (const name in allowed) res.setHeader(name, allowed[name]!);
    }
  }
  if (gates.security !== undefined) {
    const refused = checkSecurity(gates.security, headers[gates.security.header]);
    if (refused !== undefined) return { response: refused, note: REJECTED_SECURITY };
  }
  if (gates.rateLimit !== undefined) {
    const wait = gates.rateLimit.take();
    if (wait > 0) {
      const { status, headers: base, body } = gates.rateLimited!;
      return { response: { status, headers: { ...base, 'retry-after': String(wait) }, body }, note: REJECTED_RATE };
    }
  }
  return undefined;
}
