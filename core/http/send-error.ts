// Errors at the data plane's edge: the envelope as a response, logged when it is our fault.
import type { ServerResponse } from 'node:http';
import type { Logger, MockResponse } from '../contract.js';
import { isMockgateError, toErrorBody } from '../errors.js';

export function errorResponse(err: unknown, log: Logger): MockResponse {
  if (!isMockgateError(err) || err.status >= 500) log.error({ err }, 'request failed');
  const { status, body } = toErrorBody(err);
  const bytes = Buffer.from(JSON.stringify(body));
  const headers: Record<string, string | number> = { 'content-type': 'application/json; charset=utf-8', 'content-length': bytes.length };
  // an oversized upload is not read further: end the connection after the answer
  if (status === 413) headers['connection'] = 'close';
  return { status, headers, body: bytes };
}

/** For failures before an exchange exists. */
export function sendError(res: ServerResponse, err: unknown, log: Logger): void {
  const response = errorResponse(err, log);
  if (res.headersSent) return void res.destroy();
  res.writeHead(response.status, response.headers).end(response.body);
}
