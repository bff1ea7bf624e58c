// Small helpers the API routers share: the endpoint name path parameter.
import type { Request } from 'express';
import { checkEndpointName } from '../endpoints/endpoints.js';

/** The `{endpoint}` path parameter, validated. */
export function endpointParam(req: Request): string {
  const name = String(req.params['endpoint']);
  checkEndpointName(name);
  return name;
}
