// `callout` action (Beeceptor's CalloutAction): send the request on to a target and relay its answer (sync), or answer
// at once and send it in the background (async, a webhook).
import {
  chaosSchema, defineAction, delay, headersSchema, isMockgateError, prepareResponse,
  type Exchange, type HeaderSpec, type JournalNote, type MockResponse, type Responder,
} from '../../../core/contract.js';
import { DeliveryQueue, type Attempt, type Delivery } from './delivery-queue.js';
import {
  describeTarget, notedBody, notedHeaders, prepareTarget, relay, sendToTarget,
  type CalloutMethod, type NotedBody, type TargetRequest, type TargetResponse,
} from './target.js';

interface CalloutAction {
  type: 'callout';
  behavior: 'sync' | 'async';
  callout: {
    url: string;
    method?: CalloutMethod;
    transform?: 'forward' | 'custom';
    headers?: HeaderSpec[];
    body?: string;
    templated?: boolean;
    /** Beeceptor's API Connections (OAuth and the like); mockgate has none: accepted and ignored. */
    connectionId?: string;
    delay?: { min?: number; max?: number };
    /** mockgate's addition. */
    timeoutMs?: number;
  };
  // the rule's own response: `custom` sync callouts and async ones answer with it
  status?: number;
  headers?: HeaderSpec[];
  body?: string;
  templated?: boolean;
  /** mockgate's addition: chaos on the answer the client receives. */
  chaos?: object;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
/** A target answering with more than this is a bad gateway: the whole answer is held in memory to relay it. */
const MAX_TARGET_BYTES = 10 * 1024 * 1024;
const ASYNC_LIMITS = { maxPending: 1000, concurrency: 8, attempts: 3, backoffMs: 200 };
/** One queue per process, shared by every endpoint and every rule. */
const deliveries = new DeliveryQueue(ASYNC_LIMITS, deliver);

const delayMs = { type: 'number', minimum: 0, maximum: 600000 } as const;

/** The journal's view of a callout: `GET …/requests/{id}` shows it as `callout`. */
interface CalloutNote {
  url: string;
  method: string;
  behavior: 'sync' | 'async';
  /** The delay applied (sync) or scheduled (async), in ms. */
  delay: number;
  targetRequest?: { method: string; url: string; headers: Record<string, string> } & NotedBody;
  targetResponse?: { status: number; headers: Record<string, string> } & NotedBody;
  /** Milliseconds the target took (sync). */
  timeTaken?: number;
  /** async: what was known when the client was answered. */
  status?: 'queued';
  error?: { code: string; message: string };
}

export const calloutAction = defineAction<CalloutAction>({
  type: 'callout',
  schema: {
    type: 'object',
    required: ['type', 'behavior', 'callout'],
    additionalProperties: false,
    properties: {
      type: { const: 'callout' },
      behavior: { type: 'string', enum: ['sync', 'async'] },
      callout: {
        type: 'object',
        required: ['url'],
        additionalProperties: false,
        properties: {
          url: { type: 'string', minLength: 1, maxLength: 2048, pattern: '^[Hh][Tt][Tt][Pp][Ss]?://' },
          method: { type: 'string', enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', '*'] },
          transform: { type: 'string', enum: ['forward', 'custom'] },
          headers: headersSchema,
          body: { type: 'string' },
          templated: { type: 'boolean' },
          connectionId: { type: 'string', maxLength: 256 },
          delay: { type: 'object', additionalProperties: false, properties: { min: delayMs, max: delayMs } },
          timeoutMs: { type: 'integer', minimum: 1, maximum: 300000 },
        },
      },
      status: { type: 'integer', minimum: 100, maximum: 599 },
      headers: headersSchema,
      body: { type: 'string' },
      templated: { type: 'boolean' },
      chaos: chaosSchema,
    },
  },

  compile(action, cx): Responder {
    const { callout } = action;
    const target = prepareTarget(cx, {
      url: callout.url,
      method: callout.method ?? '*',
      headers: callout.headers ?? [],
      ...(callout.body === undefined ? {} : { body: callout.body }),
      templated: callout.templated === true,
    });
    const min = callout.delay?.min ?? 0;
    const max = callout.delay?.max ?? min;
    if (max < min) cx.fail(`max (${max}) must be at least min (${min})`, 'callout/delay/max');
    const pickDelay = (): number => Math.round(min + Math.random() * (max - min));
    const timeoutMs = callout.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // checked (templates parsed) even when a forwarding callout never sends it: fail when written, not when served
    const reply = prepareResponse(cx, { status: action.status ?? 200, headers: action.headers ?? [], body: action.body ?? '', templated: action.templated === true });
    const chaos = action.chaos === undefined ? undefined : cx.chaos(action.chaos, 'chaos');
    // every answer the client receives goes through the chaos block, if any
    const respond = async (ex: Exchange, response: MockResponse): Promise<void> => ex.respond(chaos === undefined ? response : await chaos.apply(ex, response));
    const answer = async (ex: Exchange): Promise<void> => respond(ex, typeof reply === 'function' ? await reply(ex) : reply);
    const forward = (callout.transform ?? 'forward') === 'forward';

    if (action.behavior === 'async') {
      return async (ex) => {
        // before answering: node discards a request body nobody has started reading once the response ends
        if (target.needsBody) await ex.readBody();
        const waited = pickDelay();
        await answer(ex);
        let request: TargetRequest;
        try {
          request = await target.build(ex);
        } catch (err) {
          // answered already: a failure here must not reach the core, which would cut the connection
          ex.log.warn({ err }, 'callout: could not prepare the async callout; nothing was sent');
          const note: CalloutNote = { url: callout.url, method: (callout.method ?? '*') === '*' ? ex.request.method : callout.method!, behavior: 'async', delay: waited, error: errorNote(err) };
          return void ex.annotate(journalNote(note));
        }
        ex.annotate(journalNote({ url: request.url, method: request.method, behavior: 'async', delay: waited, status: 'queued', targetRequest: requestNote(request, ex) }));
        deliveries.push({ request, timeoutMs, log: ex.log, readyAt: Date.now() + waited, attempts: 0 });
      };
    }

    return async (ex) => {
      const waited = pickDelay();
      if (waited > 0) await delay(waited, ex.signal);
      const request = await target.build(ex);
      const note: CalloutNote = { url: request.url, method: request.method, behavior: 'sync', delay: waited, targetRequest: requestNote(request, ex) };
      const started = performance.now();
      let res: TargetResponse;
      try {
        res = await sendToTarget(request, timeoutMs, MAX_TARGET_BYTES, ex.signal);
      } catch (err) {
        note.timeTaken = Math.round(performance.now() - started);
        note.error = errorNote(err);
        ex.annotate(journalNote(note));
        throw err; // the core answers it: 502 bad_gateway, 504 gateway_timeout
      }
      note.timeTaken = Math.round(performance.now() - started);
      note.targetResponse = { status: res.status, headers: notedHeaders(res.headers, ex.endpoint.settings.journal), ...notedBody(res.body) };
      ex.annotate(journalNote(note));
      if (forward) await respond(ex, relay(res));
      else await answer(ex);
    };
  },
});

function journalNote(callout: CalloutNote): JournalNote {
  return { behavior: 'callout', callout };
}

function requestNote(request: TargetRequest, ex: Exchange): CalloutNote['targetRequest'] {
  return { method: request.method, url: request.url, headers: notedHeaders(request.headers, ex.endpoint.settings.journal), ...notedBody(request.body) };
}

function errorNote(err: unknown): { code: string; message: string } {
  return isMockgateError(err) ? { code: err.code, message: err.message } : { code: 'internal_error', message: 'internal error; see the server log' };
}

/** One attempt of an async callout: a network error, a timeout or a 5xx is worth another. */
async function deliver(delivery: Delivery): Promise<Attempt> {
  const { request, log } = delivery;
  try {
    const res = await sendToTarget(request, delivery.timeoutMs, 0);
    if (res.status >= 500) {
      delivery.lastError = `${describeTarget(request)} answered ${res.status}`;
      log.debug({ callout: { method: request.method, url: request.url }, status: res.status, attempt: delivery.attempts }, 'callout: async callout answered 5xx');
      return 'retry';
    }
    log.debug({ callout: { method: request.method, url: request.url }, status: res.status, attempt: delivery.attempts }, 'callout: async callout delivered');
    return 'done';
  } catch (err) {
    delivery.lastError = errorNote(err).message;
    log.debug({ callout: { method: request.method, url: request.url }, error: delivery.lastError, attempt: delivery.attempts }, 'callout: async callout failed');
    return 'retry';
  }
}
