// Request validation against a spec's operation, Prism's way: every parameter and the body checked by validators
// compiled once per operation, each violation listed with its location and JSON pointer.
import type { MockRequest } from '../../core/contract.js';
import type { LoadedSpec, OperationRef } from './load-spec.js';
import { cookiesOf } from './request-parts.js';
import { compileBodyCheck } from './validate-body.js';
import { compileParameterCheck, type Check, type RequestInput } from './validate-parameters.js';
import { MAX_VIOLATIONS, type Violation } from './violations.js';

export { violationsResponse, type Violation } from './violations.js';

export type RequestValidator = (request: MockRequest, pathParams: Record<string, string>) => Violation[];

/**
 * Compiles the operation's checks; the returned function runs them on a request whose body has been read
 * (`await exchange.readBody()`) and returns the violations, none when the request is valid.
 */
export function compileRequestValidator(spec: LoadedSpec, op: OperationRef): RequestValidator {
  const checks: Check[] = [];
  for (const parameter of op.parameters) {
    const check = compileParameterCheck(spec, parameter);
    if (check !== undefined) checks.push(check);
  }
  const body = compileBodyCheck(spec, op);
  if (body !== undefined) checks.push(body);
  if (checks.length === 0) return () => [];
  return (request, pathParams) => {
    const out: Violation[] = [];
    const input = new Input(request, pathParams);
    for (const check of checks) {
      check(input, out);
      if (out.length >= MAX_VIOLATIONS) return out.slice(0, MAX_VIOLATIONS);
    }
    return out;
  };
}

class Input implements RequestInput {
  #cookies: ReadonlyMap<string, string> | undefined;

  constructor(readonly request: MockRequest, readonly pathParams: Readonly<Record<string, string>>) {}

  cookies(): ReadonlyMap<string, string> {
    return (this.#cookies ??= cookiesOf(this.request));
  }
}
