// Writes the error envelope as an HTTP response; the one mapping at the data plane's edge.
import type { ServerResponse } from 'node:http';
import type { Logger } from '../contract.js';
import { isMockgateError, toErrorBody } from '../errors.js';

export function sendError(res: ServerResponse, err: unknown, log: Logger): void {
  if (!isMockgateError(err) || err.status >= 500) log.error({ err }, 'request failed');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const { status, body } = toErrorBody(err);
  const bytes = Buffer.from(JSON.stringify(body));
  const headers: Record<string, string | number> = { 'content-type': 'application/json; charset=utf-8', 'content-length': bytes.length };
  // an oversized upload is not read further: end the connection after the answer
  if (status === 413) headers['connection'] = 'close';
  res.writeHead(status, headers).end(bytes);
}
