// What the fallback step and the rules maker compile from a stored spec, once per spec: its router, and per operation
// (on first use) its answerer and its request check. Compiled parts live as long as the spec they came from.
import type { MockRequest, MockResponse } from '../../core/contract.js';
import { compileAnswerer, type Answerer } from './answer-operation.js';
import { loadSpec, type LoadedSpec, type OperationRef } from './load-spec.js';
import { compileRouter, type Router } from './router.js';
import { createSampler } from './sample-schema.js';
import { compileSecurityCheck } from './security.js';
import { compileRequestValidator, violationsResponse } from './validate-request.js';

/** The refusal of a request the operation does not accept (401, 415, 422…), or undefined when it passes. */
export type RequestCheck = (request: MockRequest, pathParams: Record<string, string>) => MockResponse | undefined;

export interface ServedSpec {
  readonly spec: LoadedSpec;
  readonly route: Router;
  answerer(op: OperationRef): Answerer;
  requestCheck(op: OperationRef): RequestCheck;
}

const served = new WeakMap<LoadedSpec, ServedSpec>();

export function servedSpec(text: string): ServedSpec {
  const spec = loadSpec(text);
  let entry = served.get(spec);
  if (entry === undefined) served.set(spec, (entry = compileServed(spec)));
  return entry;
}

export function compileServed(spec: LoadedSpec): ServedSpec {
  const sampler = createSampler(spec, 'response');
  const answerers = new Map<OperationRef, Answerer>();
  const checks = new Map<OperationRef, RequestCheck>();
  return {
    spec,
    route: compileRouter(spec),
    answerer(op) {
      let answerer = answerers.get(op);
      if (answerer === undefined) answerers.set(op, (answerer = compileAnswerer(spec, op, sampler)));
      return answerer;
    },
    requestCheck(op) {
      let check = checks.get(op);
      if (check === undefined) checks.set(op, (check = compileRequestCheck(spec, op)));
      return check;
    },
  };
}

/** Credentials first (a 401 says more than the violations of a request that would be refused anyway), then the rest. */
function compileRequestCheck(spec: LoadedSpec, op: OperationRef): RequestCheck {
  const security = compileSecurityCheck(spec, op);
  const validate = compileRequestValidator(spec, op);
  return (request, pathParams) => {
    const refused = security?.(request);
    if (refused !== undefined) return refused;
    const violations = validate(request, pathParams);
    return violations.length > 0 ? violationsResponse(violations) : undefined;
  };
}
