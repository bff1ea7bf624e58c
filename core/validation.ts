// JSON schema validation (ajv) and the mapping of its errors to the error envelope with JSON pointers.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { MockgateError, type ErrorCode, type ErrorDetail } from './errors.js';

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export const ajv = addFormats(new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true }));

export type Validator = ValidateFunction;

export function compileSchema(schema: object): Validator {
  return ajv.compile(schema);
}

export interface ErrorStyle {
  /** `validation_error` (v2) or `bad_request` (v1). */
  code: ErrorCode;
  /** Prepended to every pointer, e.g. `/conditions/2` when a plugin schema checks one condition. */
  prefix?: string;
  /** v1 words its messages "should …" as the seed shows. */
  legacyWording?: boolean;
}

/** Validates; on failure throws one MockgateError naming the first offending field, with every error in details. */
export function assertValid(validate: Validator, value: unknown, style: ErrorStyle): void {
  if (validate(value)) return;
  throw schemaError(validate.errors ?? [], value, style);
}

export function schemaError(errors: readonly ErrorObject[], root: unknown, style: ErrorStyle): MockgateError {
  const details = errors.filter((e) => e.keyword !== 'if').map((e) => toDetail(e, root, style));
  const first = details[0] ?? { path: style.prefix || '/', message: 'is invalid' };
  const message = `${first.path}: ${first.message}`;
  return new MockgateError(style.code, message, first.path, details);
}

function toDetail(error: ErrorObject, root: unknown, style: ErrorStyle): ErrorDetail {
  let pointer = error.instancePath;
  let message = error.message ?? 'is invalid';
  if (error.keyword === 'additionalProperties') {
    pointer += `/${escapePointer(String(error.params.additionalProperty))}`;
    message = 'is not a known property';
  } else if (error.keyword === 'enum') {
    message = `must be one of: ${(error.params.allowedValues as unknown[]).map(String).join(', ')}`;
  }
  if (style.legacyWording) message = message.replace(/^must\b/, 'should');
  const path = (style.prefix ?? '') + pointer || '/';
  const detail: ErrorDetail = { path, message };
  const received = valueAt(root, error.instancePath);
  if (received !== undefined && error.keyword !== 'required' && error.keyword !== 'additionalProperties') {
    detail.received = preview(received);
  }
  return detail;
}

function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function preview(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
