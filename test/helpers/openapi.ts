// OpenAPI test helpers: importing a fixture spec, and checking a value against an OpenAPI schema with
// ajv (a validator mockgate did not write) after the plugin's conversion to JSON Schema.
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { toJsonSchema } from '../../plugins/openapi/json-schema.js';
import type { LoadedSpec } from '../../plugins/openapi/load-spec.js';
import { settleJob, uploadSpec } from './specs.js';
import type { RunningMockgate } from './start-mockgate.js';

export { settleJob, uploadSpec };

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
const validators = new WeakMap<object, ValidateFunction>();

/** The ajv errors of `value` against the schema as a response (or request) carries it; empty when it is valid. */
export function schemaErrors(spec: LoadedSpec, schema: unknown, value: unknown, direction: 'response' | 'request' = 'response'): string[] {
  const converted = toJsonSchema(spec, schema, direction);
  let validate = validators.get(converted);
  if (validate === undefined) validators.set(converted, (validate = ajv.compile(converted)));
  return validate(value) ? [] : validate.errors!.map((e) => `${e.instancePath || '/'} ${e.message}`);
}

export const fixture = (name: string): Buffer => readFileSync(new URL(`../fixtures/openapi/${name}`, import.meta.url));

export async function importSpec(mg: RunningMockgate, endpoint: string, name: string, fields: Record<string, string> = {}): Promise<any> {
  const { jobId } = await uploadSpec(mg, endpoint, name, fixture(name), fields);
  const job = await settleJob(mg, endpoint, jobId);
  if (job.status !== 'COMPLETED') throw new Error(`importing ${name} failed: ${job.message}`);
  return job;
}
