// A gate's refusal: the error envelope as a response, built once when the gate is compiled where it can be.
import type { MockResponse } from '../contract.js';
import { MockgateError, type ErrorCode } from '../errors.js';

export function refusal(code: ErrorCode, message: string): MockResponse {
  const error = new MockgateError(code, message);
  const body = Buffer.from(JSON.stringify(error.toBody()));
  return { status: error.status, headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length }, body };
}
