// Violations of a spec's operation by a request, and the problem+json answer listing them the way Prism does.
import type { ErrorObject } from 'ajv/dist/2020.js';
import type { MockResponse } from '../../core/contract.js';
import { prismProblem } from './prism-problem.js';

export interface Violation {
  /** Where, as Prism writes it: `['query', 'limit']`, `['body', 'items', '0', 'name']`, `['header', 'x-trace']`. */
  location: string[];
  /** The same as a JSON pointer: `/query/limit`, `/body/items/0/name`. */
  path: string;
  /** The JSON Schema keyword that failed (`type`, `required`, `enum`, …), `unsupported_media_type` or `invalid_json`. */
  code: string;
  message: string;
  severity: 'Error';
}

/** One answer lists at most this many: a huge array of bad items must not make a huge answer. */
export const MAX_VIOLATIONS = 100;

export function violation(location: string[], code: string, message: string): Violation {
  return { location, path: pointerOf(location), code, message, severity: 'Error' };
}

/** ajv's errors for a value found at `location`, pointing at the offending member (a missing property included). */
export function schemaViolations(errors: readonly ErrorObject[] | null | undefined, location: readonly string[], out: Violation[]): void {
  for (const error of errors ?? []) {
    if (error.keyword === 'if' || out.length >= MAX_VIOLATIONS) continue;
    const at = [...location, ...error.instancePath.split('/').slice(1).map(unescapePointer)];
    let message = error.message ?? 'is invalid';
    if (error.keyword === 'required') at.push(String(error.params.missingProperty));
    else if (error.keyword === 'additionalProperties') {
      at.push(String(error.params.additionalProperty));
      message = 'is not a known property';
    } else if (error.keyword === 'enum') {
      message = `must be one of: ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    }
    out.push(violation(at, error.keyword, message));
  }
}

// Each kind of problem has its status; a request with problems of several kinds is a 422 that lists them all.
const KINDS: Record<string, { status: number; type: string; title: string; detail: string }> = {
  unsupported_media_type: {
    status: 415, type: 'INVALID_CONTENT_TYPE', title: 'Invalid content type',
    detail: 'The request body\'s media type is not one the operation accepts; mockgate answers from the spec, which defines no answer for this.',
  },
  invalid_json: {
    status: 400, type: 'BAD_REQUEST', title: 'Malformed request body',
    detail: 'The request body is not valid JSON, so mockgate could not check it against the operation\'s schema.',
  },
  other: {
    status: 422, type: 'UNPROCESSABLE_ENTITY', title: 'Invalid request',
    detail: 'The request does not match the operation in the spec and the spec defines no answer for this, so mockgate lists what is wrong.',
  },
};

/**
 * Prism's problem+json: 415 when the media type is the only problem, 400 when an unparseable JSON body is, 422
 * otherwise; `validation` lists every violation, each with mockgate's `pointer` besides Prism's `location`.
 */
export function violationsResponse(violations: readonly Violation[]): MockResponse {
  const kinds = new Set(violations.map((v) => (Object.hasOwn(KINDS, v.code) ? v.code : 'other')));
  const { status, type, title, detail } = kinds.size === 1 ? KINDS[[...kinds][0]!]! : KINDS.other!;
  const validation = violations.map(({ location, severity, code, message, path }) => ({ location, severity, code, message, pointer: path }));
  return prismProblem({ type, title, status, detail, validation });
}

function pointerOf(location: readonly string[]): string {
  return location.map((token) => `/${token.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function unescapePointer(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}
