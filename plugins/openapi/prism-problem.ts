// Problem+json answers (RFC 9457) with Prism's error types, for requests request validation refuses.
import type { MockResponse } from '../../core/contract.js';

const PRISM_ERRORS = 'https://stoplight.io/prism/errors#';

export interface PrismProblem {
  status: number;
  /** Prism's error name, e.g. `UNPROCESSABLE_ENTITY`; the body's `type` is Prism's URL for it. */
  type: string;
  title: string;
  detail: string;
  [extra: string]: unknown;
}

export function prismProblem(problem: PrismProblem, headers: Record<string, string> = {}): MockResponse {
  const body = Buffer.from(JSON.stringify({ ...problem, type: PRISM_ERRORS + problem.type }));
  return {
    status: problem.status,
    headers: { ...headers, 'content-type': 'application/problem+json', 'content-length': body.length },
    body,
  };
}
