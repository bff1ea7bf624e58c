// An operation's request body: present when required, of a media type the operation accepts, and valid against that
// media type's schema — JSON parsed, url-encoded forms coerced field by field; other media types are not read.
import type { MockRequest } from '../../core/contract.js';
import { compileFieldCoercion, schemaTypes } from './coerce.js';
import { compileJsonSchema, resolveRef } from './json-schema.js';
import type { LoadedSpec, OperationRef } from './load-spec.js';
import { baseType } from './negotiate.js';
import { compileMediaTypes, isJsonMediaType, mediaTypeOf } from './request-parts.js';
import { parameterSchema, type Check } from './validate-parameters.js';
import { schemaViolations, violation, type Violation } from './violations.js';

interface BodyModel {
  required: boolean;
  /** Declared media types (ranges allowed) and their schemas; none declared accepts any body. */
  media: Array<{ type: string; schema: unknown }>;
}

type MediaCheck = (request: MockRequest, type: string, out: Violation[]) => void;

const FORM = 'application/x-www-form-urlencoded';
const FORM_TYPES = [FORM, 'multipart/form-data'];

/** The check of the operation's body; undefined when the operation describes none (a body sent anyway is not read). */
export function compileBodyCheck(spec: LoadedSpec, op: OperationRef): Check | undefined {
  const model = spec.version === '2.0' ? swaggerBody(spec, op) : openApiBody(spec, op);
  if (model === undefined) return undefined;
  const match = compileMediaTypes(model.media.map((m) => m.type));
  const checks = new Map(model.media.map((m) => [m.type, compileMediaCheck(spec, m.schema)]));
  const fallback = model.media[0]?.type;
  const accepted = `must be one of: ${model.media.map((m) => m.type).join(', ')}`;
  return ({ request }, out) => {
    if (request.rawBody().length === 0) {
      if (model.required) out.push(violation(['body'], 'required', 'a request body is required'));
      return;
    }
    if (fallback === undefined) return;
    // a body without a Content-Type is taken to be of the first declared type
    const actual = mediaTypeOf(request);
    const declared = actual === undefined ? fallback : match(actual);
    if (declared === undefined) out.push(violation(['header', 'content-type'], 'unsupported_media_type', accepted));
    else checks.get(declared)!(request, actual ?? baseType(declared), out);
  };
}

function openApiBody(spec: LoadedSpec, op: OperationRef): BodyModel | undefined {
  const body = resolveRef(spec, op.operation.requestBody);
  if (typeof body !== 'object' || body === null) return undefined;
  const media = Object.entries(body.content ?? {}).map(([type, entry]) => ({ type, schema: resolveRef(spec, entry)?.schema }));
  return { required: body.required === true, media };
}

/** Swagger 2.0: one `in: body` parameter, or `in: formData` ones; `consumes` defaults to JSON (forms: their types). */
function swaggerBody(spec: LoadedSpec, op: OperationRef): BodyModel | undefined {
  const params = op.parameters.map((p) => resolveRef(spec, p));
  const body = params.find((p) => p?.in === 'body');
  const fields = params.filter((p) => p?.in === 'formData' && typeof p.name === 'string');
  if (body === undefined && fields.length === 0) return undefined;
  const consumes: string[] = op.operation.consumes ?? spec.doc.consumes ?? (body === undefined ? FORM_TYPES : ['application/json']);
  const schema = body?.schema ?? {
    type: 'object',
    properties: Object.fromEntries(fields.map((p) => [p.name, parameterSchema(spec, p)])),
    required: fields.filter((p) => p.required === true).map((p) => p.name),
  };
  const required = body === undefined ? fields.some((p) => p.required === true) : body.required === true;
  return { required, media: consumes.map((type) => ({ type, schema })) };
}

function compileMediaCheck(spec: LoadedSpec, schema: unknown): MediaCheck {
  if (schema === undefined) return () => {};
  const validate = compileJsonSchema(spec, schema, 'request');
  const field = compileFieldCoercion(spec, schema);
  const textual = schemaTypes(spec, schema).includes('string');
  return (request, type, out) => {
    let value: unknown;
    if (isJsonMediaType(type)) {
      value = request.json();
      if (value === undefined) {
        out.push(violation(['body'], 'invalid_json', `is not valid JSON: ${parseError(request.text())}`));
        return;
      }
    } else if (type === FORM) {
      value = formObject(request.form() ?? new URLSearchParams(request.text()), field);
    } else if (type.startsWith('text/') && textual) {
      value = request.text();
    } else {
      return;
    }
    if (!validate(value)) schemaViolations(validate.errors, ['body'], out);
  };
}

function formObject(form: URLSearchParams, field: (name: string, texts: readonly string[]) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of new Set(form.keys())) out[name] = field(name, form.getAll(name));
  return out;
}

function parseError(text: string): string {
  try {
    JSON.parse(text);
    return 'it could not be parsed';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
