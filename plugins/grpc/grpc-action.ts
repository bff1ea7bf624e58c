// `grpc` action: the document's GrpcAction (responses with metadata, a status, a stream count, a delay before the first
// response) plus mockgate's `templated`. It answers with a call plan (call-plan.ts) the gRPC listener sends; the protos
// decide the call's kind, `callType` only says whether `streamCount` applies.
import {
  defineAction, delay, delaySchema, MockgateError, type CompileContext, type Exchange, type MockResponse, type Responder,
} from '../../core/contract.js';
import { metadataProblem, planResponse, type CallPlan } from './call-plan.js';

interface GrpcResponse {
  body?: string;
  metadata?: string;
}

interface GrpcAction {
  type: 'grpc';
  callType: 'unary' | 'server_streaming' | 'client_streaming' | 'bidirectional_streaming';
  status?: number;
  statusMessage?: string;
  delay?: number;
  responses: GrpcResponse[];
  streamCount?: { min?: number; max?: number };
  singleResponseRepeated?: boolean;
  templated?: boolean;
}

const STREAMING = new Set(['server_streaming', 'bidirectional_streaming']);

/** A response as it is sent: its body (proto3 JSON) and metadata. */
interface Parsed {
  body: unknown;
  metadata: Record<string, string> | undefined;
}

export const grpcAction = defineAction<GrpcAction>({
  type: 'grpc',
  schema: {
    type: 'object',
    required: ['type', 'callType', 'responses'],
    additionalProperties: false,
    properties: {
      type: { const: 'grpc' },
      callType: { enum: ['unary', 'server_streaming', 'client_streaming', 'bidirectional_streaming'] },
      status: { type: 'integer', minimum: 0, maximum: 16 },
      statusMessage: { type: 'string', maxLength: 4096 },
      delay: delaySchema,
      responses: {
        type: 'array',
        minItems: 1,
        maxItems: 4,
        items: {
          type: 'object',
          additionalProperties: false,
          properties: { body: { type: 'string' }, metadata: { type: 'string', maxLength: 65536 } },
        },
      },
      streamCount: {
        type: 'object',
        additionalProperties: false,
        properties: { min: { type: 'integer', minimum: 1 }, max: { type: 'integer', minimum: 1 } },
      },
      singleResponseRepeated: { type: 'boolean' },
      templated: { type: 'boolean' },
    },
  },

  compile(action, cx): Responder {
    const at = cx.pointer;
    // singleResponseRepeated: every message is the first response, as many as there are responses
    const used = action.singleResponseRepeated ? action.responses.slice(0, 1) : action.responses;
    const base: Omit<CallPlan, 'messages'> = {
      status: action.status ?? 0,
      ...(action.statusMessage === undefined ? {} : { statusMessage: action.statusMessage }),
      ...(action.streamCount !== undefined && STREAMING.has(action.callType) ? { count: countRange(action.streamCount, cx) } : {}),
    };
    const plan = (parsed: readonly Parsed[]): CallPlan => {
      const metadata = mergedMetadata(parsed);
      return { ...base, messages: action.responses.map((_, i) => parsed[i % parsed.length]!.body), ...(metadata === undefined ? {} : { metadata }) };
    };
    const ms = action.delay ?? 0;
    const send = (ex: Exchange, response: MockResponse): void => {
      ex.annotate({ behavior: 'grpc' });
      ex.respond(response);
    };
    if (!action.templated) {
      const response = planResponse(plan(used.map((r, i) => parse(r, i, cx))));
      if (ms === 0) return (ex) => send(ex, response);
      return async (ex) => {
        await delay(ms, ex.signal);
        send(ex, response);
      };
    }
    const templates = used.map((r, i) => ({
      body: r.body === undefined ? undefined : cx.template(r.body, `responses/${i}/body`),
      metadata: r.metadata === undefined ? undefined : cx.template(r.metadata, `responses/${i}/metadata`),
    }));
    return async (ex) => {
      if (ms > 0) await delay(ms, ex.signal);
      const rendered = await Promise.all(templates.map(async ({ body, metadata }, i): Promise<Parsed> => ({
        body: (body && jsonOf(await ex.render(body), renderFailure(`${at}/responses/${i}/body`))) ?? {},
        metadata: metadata && renderedMetadata(await ex.render(metadata), `${at}/responses/${i}/metadata`),
      })));
      send(ex, planResponse(plan(rendered)));
    };
  },
});

// gRPC sends one block of initial metadata, before the first message: the responses' metadata merged, later keys winning
function mergedMetadata(parsed: readonly Parsed[]): Record<string, string> | undefined {
  const all = parsed.flatMap((p) => (p.metadata === undefined ? [] : [p.metadata]));
  return all.length === 0 ? undefined : Object.assign({}, ...all);
}

function parse(response: GrpcResponse, i: number, cx: CompileContext): Parsed {
  const body = jsonOf(response.body, (problem) => cx.fail(`the body ${problem}`, `responses/${i}/body`)) ?? {};
  const metadata = jsonOf(response.metadata, (problem) => cx.fail(`the metadata ${problem}`, `responses/${i}/metadata`));
  if (metadata === undefined) return { body, metadata: undefined };
  const problem = metadataProblem(metadata);
  if (problem !== undefined) cx.fail(problem, `responses/${i}/metadata`);
  return { body, metadata: metadata as Record<string, string> };
}

/** The JSON of a body or metadata text; undefined when there is none (absent or blank: the empty message, no metadata). */
function jsonOf(text: string | undefined, fail: (problem: string) => never): unknown {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    return fail(`is not JSON: ${(err as Error).message}`);
  }
}

function countRange({ min, max }: NonNullable<GrpcAction['streamCount']>, cx: CompileContext): { min: number; max: number } {
  const low = min ?? 1;
  const high = max ?? low;
  if (low > high) cx.fail(`streamCount.min (${low}) is greater than streamCount.max (${high})`, 'streamCount/min');
  return { min: low, max: high };
}

const renderFailure = (pointer: string) => (problem: string): never => {
  throw new MockgateError('template_error', `${pointer} rendered ${problem}`);
};

function renderedMetadata(text: string, pointer: string): Record<string, string> | undefined {
  const metadata = jsonOf(text, renderFailure(pointer));
  if (metadata === undefined) return undefined;
  const problem = metadataProblem(metadata);
  if (problem !== undefined) renderFailure(pointer)(problem);
  return metadata as Record<string, string>;
}
