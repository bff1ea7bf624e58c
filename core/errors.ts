// The one error type of mockgate, its code table and the wire envelope.

/** Every error code mockgate answers with, and its HTTP status. Codes follow the seeds; DECISIONS.md adds the last ones. */
export const ERROR_STATUS = {
  validation_error: 400,
  bad_request: 400,
  invalid_json_body: 400,
  duplicate_key: 400,
  missing_authentication: 401,
  unauthorized_api_key: 401,
  forbidden: 403,
  not_found: 404,
  no_rule_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal_error: 500,
  plugin_invalid: 500,
  template_error: 500,
  template_timeout: 500,
  bad_gateway: 502,
  gateway_timeout: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorDetail {
  path: string;
  message: string;
  received?: string;
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; parameter?: string; details?: ErrorDetail[] };
}

export class MockgateError extends Error {
  override readonly name = 'MockgateError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly parameter?: string,
    readonly details?: ErrorDetail[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.status = ERROR_STATUS[code];
  }

  toBody(): ErrorBody {
    const error: ErrorBody['error'] = { code: this.code, message: this.message };
    if (this.parameter !== undefined) error.parameter = this.parameter;
    if (this.details !== undefined && this.details.length > 0) error.details = this.details;
    return { error };
  }
}

/** Compared by code, never by class: a plugin may bundle its own copy of the core. */
export function isMockgateError(err: unknown): err is MockgateError {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'MockgateError' &&
    typeof (err as { code?: unknown }).code === 'string' && (err as { code: string }).code in ERROR_STATUS;
}

export function validationError(pointer: string, message: string, details?: ErrorDetail[]): MockgateError {
  return new MockgateError('validation_error', `${pointer}: ${message}`, pointer, details);
}

export function notFound(message: string): MockgateError {
  return new MockgateError('not_found', message);
}

/** Maps anything thrown to a status and the envelope; unknown errors never leak their text. */
export function toErrorBody(err: unknown): { status: number; body: ErrorBody } {
  if (isMockgateError(err)) return { status: err.status, body: err.toBody() };
  return { status: 500, body: { error: { code: 'internal_error', message: 'internal error; see the server log' } } };
}
