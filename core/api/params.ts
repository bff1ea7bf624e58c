// Small helpers the API routers share: the endpoint name path parameter.
import type { Request } from 'express';
import { checkEndpointName } from '../endpoints/endpoints.js';
import { MockgateError, isMockgateError } from '../errors.js';

/** The `{endpoint}` path parameter, validated. */
export function endpointParam(req: Request): string {
  const name = String(req.params['endpoint']);
  checkEndpointName(name);
  return name;
}

/** The same, for the v1 APIs of rules and history, which answer bad_request where v2 answers validation_error. */
export function v1EndpointParam(req: Request): string {
  try {
    return endpointParam(req);
  } catch (err) {
    throw isMockgateError(err) ? new MockgateError('bad_request', err.message, err.parameter) : err;
  }
}
