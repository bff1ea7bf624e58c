// One operation's mock answers, compiled once: its responses (2.0 and 3.x shapes alike) with their media types,
// examples and headers. Per request: pick the response (Prefer code/example, else the first 2xx), negotiate the media
// type against Accept, then an example or a value generated from the schema, and the declared headers.
import type { Faker } from '@faker-js/faker';
import type { MockResponse } from '../../core/contract.js';
import { type LoadedSpec, type OperationRef, operationName } from './load-spec.js';
import { negotiate, parsePrefer, type Prefer } from './negotiate.js';
import { prismProblem } from './prism-problem.js';
import type { Sampler } from './sample-schema.js';
import { serializeBody } from './serialize-body.js';

export interface AnswerInput {
  readonly accept?: string | undefined;
  readonly prefer?: string | undefined;
}

/** Answers the operation for one request; generation uses the faker given (seeded or not by the caller). */
export type Answerer = (input: AnswerInput, faker: Faker) => MockResponse;

interface MediaOption {
  readonly type: string;
  readonly schema: unknown;
  readonly examples: ReadonlyMap<string, unknown>;
  /** The media type's `example`, or its first `examples` entry. */
  readonly example: { value: unknown } | undefined;
}

interface HeaderOption {
  readonly name: string;
  readonly schema: unknown;
  readonly example: { value: unknown } | undefined;
}

interface ResponseOption {
  /** As declared: `200`, `2XX`, `default`. */
  readonly key: string;
  readonly status: number;
  readonly media: readonly MediaOption[];
  readonly headers: readonly HeaderOption[];
}

/** Headers the server frames or sets itself; a spec declaring them does not override it. */
const RESERVED_HEADERS = new Set(['content-type', 'content-length', 'transfer-encoding', 'connection']);
const NO_BODY = new Set([204, 205, 304]);

export function compileAnswerer(spec: LoadedSpec, op: OperationRef, sampler: Sampler): Answerer {
  const options = Object.entries<unknown>(op.operation.responses ?? {})
    .map(([key, raw]) => responseOption(spec, op, key, spec.deref(raw) as any));
  const primary = primaryResponse(options);
  const declared = options.map((o) => o.key).join(', ') || 'none';

  return (input, faker) => {
    const prefer = parsePrefer(input.prefer);
    const chosen = chooseResponse(options, primary, prefer);
    if (typeof chosen === 'string') {
      return prismProblem({ status: 500, type: 'NO_RESPONSE_DEFINED', title: 'Response not in the specification',
        detail: `${operationName(op)} declares no ${chosen} (responses: ${declared})` });
    }
    const { option, status } = chosen;
    const headers: Record<string, string | number> = headerValues(option.headers, prefer, sampler, faker);
    if (option.media.length === 0 || NO_BODY.has(status)) return { status, headers: { ...headers, 'content-length': 0 } };

    const type = negotiate(input.accept, option.media.map((m) => m.type));
    if (type === undefined) {
      return prismProblem({ status: 406, type: 'NOT_ACCEPTABLE', title: 'The server cannot produce a representation for your accept header',
        detail: `${operationName(op)} answers ${option.media.map((m) => m.type).join(', ')}; the request accepts ${input.accept}` });
    }
    const media = option.media.find((m) => m.type === type) ?? option.media[0]!;
    const value = bodyValue(option, media, prefer, sampler, faker);
    const body = Buffer.from(serializeBody(spec, value, type, media.schema));
    return { status, headers: { ...headers, 'content-type': type, 'content-length': body.length }, body };
  };
}

function responseOption(spec: LoadedSpec, op: OperationRef, key: string, response: any): ResponseOption {
  const status = /^[1-5]\d\d$/.test(key) ? Number(key) : /^[1-5]XX$/i.test(key) ? Number(key[0]) * 100 : 200;
  return { key, status, media: mediaOptions(spec, op, response ?? {}), headers: headerOptions(spec, response ?? {}) };
}

function mediaOptions(spec: LoadedSpec, op: OperationRef, response: any): MediaOption[] {
  if (spec.version === '2.0') {
    const examples: Record<string, unknown> = response.examples ?? {};
    if (response.schema === undefined && Object.keys(examples).length === 0) return [];
    const produces: string[] = op.operation.produces ?? spec.doc.produces ?? Object.keys(examples);
    const types = produces.length > 0 ? produces : ['application/json'];
    return types.map((type) => ({
      type, schema: response.schema, examples: new Map(),
      example: Object.hasOwn(examples, type) ? { value: examples[type] } : undefined,
    }));
  }
  return Object.entries<any>(response.content ?? {}).map(([type, media]) => {
    const examples = new Map<string, unknown>();
    for (const [name, example] of Object.entries<unknown>(media?.examples ?? {})) {
      const resolved: any = spec.deref(example);
      if (resolved !== null && typeof resolved === 'object' && 'value' in resolved) examples.set(name, exampleValue(spec, resolved.value));
    }
    const first = media?.example !== undefined ? { value: media.example }
      : examples.size > 0 ? { value: examples.values().next().value } : undefined;
    return { type, schema: media?.schema, examples, example: first };
  });
}

function headerOptions(spec: LoadedSpec, response: any): HeaderOption[] {
  return Object.entries<unknown>(response.headers ?? {})
    .filter(([name]) => !RESERVED_HEADERS.has(name.toLowerCase()))
    .map(([name, raw]) => {
      const header: any = spec.deref(raw) ?? {};
      // 3.x puts a schema (or a content map) in the header; 2.0 headers are schema-like themselves
      const schema = spec.version === '2.0' ? header
        : header.schema ?? (Object.values<any>(header.content ?? {})[0]?.schema);
      const named = Object.values<unknown>(header.examples ?? {}).map((e) => (spec.deref(e) as any)?.value);
      const example = header.example !== undefined ? { value: header.example } : named.length > 0 ? { value: named[0] } : undefined;
      return { name, schema, example };
    });
}

/** The response answered when nothing is asked for: the lowest 2xx, then `2XX`, then `default`, then the first. */
function primaryResponse(options: readonly ResponseOption[]): ResponseOption | undefined {
  const success = options.filter((o) => /^2\d\d$/.test(o.key)).sort((a, b) => a.status - b.status);
  return success[0] ?? options.find((o) => /^2XX$/i.test(o.key)) ?? options.find((o) => o.key === 'default') ?? options[0];
}

/** The response to answer and its status, or what the spec lacks (for the 500 that says so). */
function chooseResponse(options: readonly ResponseOption[], primary: ResponseOption | undefined, prefer: Prefer):
  { option: ResponseOption; status: number } | string {
  const { code, example } = prefer;
  const hasExample = (o: ResponseOption): boolean => example === undefined || o.media.some((m) => m.examples.has(example));
  if (code !== undefined) {
    // `default` covers every status the spec does not list, as OpenAPI defines it
    const option = !/^[1-5]\d\d$/.test(code) ? undefined : options.find((o) => o.key === code)
      ?? options.find((o) => o.key.toUpperCase() === `${code[0]}XX`) ?? options.find((o) => o.key === 'default');
    if (option === undefined) return `${code} response`;
    if (!hasExample(option)) return `example named "${example}" for its ${code} response`;
    return { option, status: Number(code) };
  }
  if (example !== undefined) {
    const option = options.find(hasExample);
    return option === undefined ? `example named "${example}"` : { option, status: option.status };
  }
  return primary === undefined ? 'response' : { option: primary, status: primary.status };
}

function bodyValue(option: ResponseOption, media: MediaOption, prefer: Prefer, sampler: Sampler, faker: Faker): unknown {
  if (prefer.example !== undefined) {
    if (media.examples.has(prefer.example)) return media.examples.get(prefer.example);
    return option.media.find((m) => m.examples.has(prefer.example!))!.examples.get(prefer.example);
  }
  if (prefer.dynamic !== true && media.example !== undefined) return media.example.value;
  return sampler.sample(media.schema, { faker, static: prefer.dynamic === false });
}

function headerValues(headers: readonly HeaderOption[], prefer: Prefer, sampler: Sampler, faker: Faker): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { name, schema, example } of headers) {
    const value = example !== undefined && prefer.dynamic !== true ? example.value
      : sampler.sample(schema, { faker, static: prefer.dynamic === false, name });
    const text = Array.isArray(value) ? value.join(',') : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
    // node refuses control characters in header values, and non-ASCII is not portable: percent-encode it
    out[name] = text.replace(/[^\t\x20-\x7e]/gu, (c) => encodeURIComponent(c));
  }
  return out;
}

/**
 * An example's value; one that is only a `$ref` into the document is followed, to the Example Object's value (GitHub's
 * description writes its examples that way, where OpenAPI would take the `$ref` literally).
 */
function exampleValue(spec: LoadedSpec, value: unknown): unknown {
  const ref = (value as { $ref?: unknown } | null)?.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/') || Object.keys(value as object).length !== 1) return value;
  const target: any = spec.deref(value);
  if (target === value || target === undefined) return value;
  return target !== null && typeof target === 'object' && 'value' in target ? target.value : target;
}
