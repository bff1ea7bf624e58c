// What a dispatch answered, as a gRPC answer for one method: a call plan as planned; any other response (a `mock` rule,
// an error) mapped from HTTP — a 2xx body is the JSON of the one response message, other statuses map to gRPC codes
// the way gRPC's HTTP-to-gRPC table does.
import type { OutgoingHttpHeaders } from 'node:http';
import { Metadata, status } from '@grpc/grpc-js';
import type { Type } from 'protobufjs';
import type { MockResponse } from '../../core/contract.js';
import { metadataProblem, PLAN_CONTENT_TYPE, type CallPlan } from './call-plan.js';
import { messageFromJson } from './json-mapping.js';

export interface CallAnswer {
  code: status;
  details: string;
  /** The encoded response messages, which streams cycle through, and their JSON for the journal. */
  messages: readonly Buffer[];
  bodies: readonly unknown[];
  count: CallPlan['count'];
  /** Initial metadata, when there is any; and the same as journal headers. */
  metadata: Metadata | undefined;
  headers: Record<string, string> | undefined;
}

/** The part of an answer that depends on the response body alone, and the metadata built for it so far. */
type BodyAnswer = Omit<CallAnswer, 'metadata' | 'headers'> & {
  planMetadata: Record<string, string> | undefined;
  metadataCache: Map<string, Pick<CallAnswer, 'metadata' | 'headers'>>;
  /** The HTTP status and kind of answer it was made from. */
  of: string;
};
const MAX_CACHED_METADATA = 16;

// A static rule answers with the same body buffer every time: its parsing and encoding are done once per output type
// (and per status and kind of answer, should the same bytes come with another).
const answers = new WeakMap<Buffer, WeakMap<Type, BodyAnswer>>();

export function answerOf(response: MockResponse, output: Type): CallAnswer {
  const fault = response.delivery?.fault;
  if (fault !== undefined) return withMetadata({ ...failure(status.UNAVAILABLE, `chaos: ${fault}`), of: 'fault' }, {});
  const { body } = response;
  const plan = String(response.headers?.['content-type'] ?? '').startsWith(PLAN_CONTENT_TYPE);
  const of = `${response.status} ${plan}`;
  if (!Buffer.isBuffer(body)) return withMetadata(bodyAnswer(response, output, plan, of), response.headers ?? {});
  let byType = answers.get(body);
  if (byType === undefined) answers.set(body, (byType = new WeakMap()));
  let answer = byType.get(output);
  if (answer?.of !== of) byType.set(output, (answer = bodyAnswer(response, output, plan, of)));
  return withMetadata(answer, response.headers ?? {});
}

function bodyAnswer(response: MockResponse, output: Type, plan: boolean, of: string): BodyAnswer {
  return { ...bodyAnswerOf(response, output, plan), of };
}

function bodyAnswerOf(response: MockResponse, output: Type, plan: boolean): Omit<BodyAnswer, 'of'> {
  const text = response.body === undefined ? '' : response.body.toString();
  if (plan) return planAnswer(text, output);
  if (response.status < 200 || response.status > 299) return failure(grpcStatusOf(response.status), errorMessageOf(text, response.status));
  let json: unknown = {};
  if (text.trim() !== '') {
    try {
      json = JSON.parse(text);
    } catch (err) {
      return failure(status.INTERNAL, `the answer is not the JSON of a ${typeName(output)}: ${(err as Error).message}`);
    }
  }
  return encoded({ status: status.OK, messages: [json] }, output);
}

/** A plan from the `grpc` action or the generated step — or from a rule that sends one by hand, so it is checked. */
function planAnswer(text: string, output: Type): Omit<BodyAnswer, 'of'> {
  let plan: CallPlan;
  try {
    plan = JSON.parse(text) as CallPlan;
  } catch (err) {
    return failure(status.INTERNAL, `the call plan is not JSON: ${(err as Error).message}`);
  }
  if (!Number.isInteger(plan.status) || plan.status < 0 || plan.status > 16 || !Array.isArray(plan.messages)) {
    return failure(status.INTERNAL, 'the call plan needs a status (0–16) and a messages array');
  }
  const problem = plan.metadata === undefined ? undefined : metadataProblem(plan.metadata);
  if (problem !== undefined) return failure(status.INTERNAL, problem);
  return encoded(plan, output);
}

function encoded(plan: CallPlan, output: Type): Omit<BodyAnswer, 'of'> {
  const messages: Buffer[] = [];
  for (const [i, json] of plan.messages.entries()) {
    try {
      messages.push(Buffer.from(messageFromJson(output, json)));
    } catch (err) {
      const which = plan.messages.length > 1 ? `response message ${i + 1}` : 'the response message';
      return failure(status.INTERNAL, `${which} does not fit ${typeName(output)}: ${(err as Error).message}`);
    }
  }
  return {
    code: plan.status, details: plan.statusMessage ?? '', messages, bodies: plan.messages, count: plan.count, planMetadata: plan.metadata,
    metadataCache: new Map(),
  };
}

function failure(code: status, details: string): Omit<BodyAnswer, 'of'> {
  return { code, details, messages: [], bodies: [], count: undefined, planMetadata: undefined, metadataCache: new Map() };
}

// HTTP's own headers and gRPC's reserved ones are not metadata; the rest of a rule's headers are (x-beeceptor-rule-id too)
const NOT_METADATA = new Set(['content-type', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'date', 'te',
  'trailer', 'upgrade', 'host']);
const METADATA_KEY = /^[0-9a-z_.-]+$/;
const PRINTABLE = /^[ -~]*$/;

/** The initial metadata: the response's headers that can be metadata, then the plan's (which win). */
function withMetadata(answer: BodyAnswer, headers: OutgoingHttpHeaders): CallAnswer {
  const entries: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (value === undefined || NOT_METADATA.has(key) || key.startsWith('grpc-') || !METADATA_KEY.test(key) || key.endsWith('-bin')) continue;
    for (const v of Array.isArray(value) ? value : [String(value)]) if (PRINTABLE.test(v)) entries.push([key, v]);
  }
  // grpc-js only reads a Metadata it sends: a static rule's (its rule id header, its plan's) is built once
  const key = entries.join('\n');
  let built = answer.metadataCache.get(key);
  if (built === undefined) {
    built = buildMetadata(entries, answer.planMetadata);
    if (answer.metadataCache.size < MAX_CACHED_METADATA) answer.metadataCache.set(key, built);
  }
  return { ...answer, ...built };
}

function buildMetadata(entries: ReadonlyArray<[string, string]>, planMetadata: Record<string, string> | undefined): Pick<CallAnswer, 'metadata' | 'headers'> {
  const metadata = new Metadata();
  const journal: Record<string, string> = {};
  for (const [key, value] of entries) {
    metadata.add(key, value);
    journal[key] = journal[key] === undefined ? value : `${journal[key]}, ${value}`;
  }
  for (const [name, value] of Object.entries(planMetadata ?? {})) {
    const key = name.toLowerCase();
    metadata.set(key, key.endsWith('-bin') ? Buffer.from(value, 'base64') : value);
    journal[key] = value;
  }
  return Object.keys(journal).length === 0 ? { metadata: undefined, headers: undefined } : { metadata, headers: journal };
}

/** gRPC's HTTP-to-gRPC status mapping. */
function grpcStatusOf(httpStatus: number): status {
  switch (httpStatus) {
    case 400:
      return status.INTERNAL;
    case 401:
      return status.UNAUTHENTICATED;
    case 403:
      return status.PERMISSION_DENIED;
    case 404:
      return status.UNIMPLEMENTED;
    case 429:
    case 502:
    case 503:
    case 504:
      return status.UNAVAILABLE;
    default:
      return status.UNKNOWN;
  }
}

/** The message of mockgate's error envelope, else the body's first line, else the HTTP status. */
function errorMessageOf(text: string, httpStatus: number): string {
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    if (typeof message === 'string') return message;
  } catch {
    // not the envelope: the text itself
  }
  const line = text.trim().split('\n')[0]!.slice(0, 1024);
  return line === '' ? `HTTP ${httpStatus}` : line;
}

const typeName = (type: Type): string => type.fullName.replace(/^\./, '');
