// The JSON schema of a data structure: compiled (or refused) when written, checked against every record written.
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { validationError } from '../errors.js';
import { schemaError } from '../validation.js';

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export type RecordValidator = (data: unknown) => void;

/**
 * Compiles a user's schema, or throws a validation error at `pointer`. Each schema gets an ajv of its own, so one
 * user's `$id` can never clash with (or replace) another's; unknown keywords are ignored, as JSON schema says.
 */
export function compileStructureSchema(schema: unknown, pointer = '/schema'): RecordValidator {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) throw validationError(pointer, 'must be a JSON schema object');
  let validate: ValidateFunction;
  try {
    validate = addFormats(new Ajv({ allErrors: true, strict: false, allowUnionTypes: true })).compile(schema);
  } catch (err) {
    throw validationError(pointer, `is not a valid JSON schema: ${(err as Error).message}`);
  }
  return (data) => {
    if (!validate(data)) throw schemaError(validate.errors ?? [], data, { code: 'validation_error', prefix: '/data' });
  };
}
