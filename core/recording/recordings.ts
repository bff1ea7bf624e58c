// Recording sessions, in memory: while one runs, every request to its endpoint goes to the real service (before any
// rule) and is journaled with behavior `recording`, for a snapshot to turn into mock rules.
import type { ExchangeIO } from '../dispatch/exchange.js';
import { CoreExchange } from '../dispatch/exchange.js';
import { serveEndpoint } from '../dispatch/serve-endpoint.js';
import type { Endpoint, Endpoints } from '../endpoints/endpoints.js';
import { MockgateError } from '../errors.js';
import { errorResponse } from '../http/send-error.js';
import type { RequestView } from '../request/mock-request.js';

export interface Recording {
  readonly targetUrl: string;
  readonly ignoreSSLErrors: boolean;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  /** Requests forwarded so far. */
  exchanges: number;
  /** The endpoint it records: one deleted and made again under the same name is another endpoint. */
  readonly endpointCreatedAt: number;
}

const NO_CAPTURES: Readonly<Record<string, string>> = Object.freeze({});

/** The recordings of one process's endpoints. */
export class Recordings {
  readonly #active = new Map<string, Recording>();

  /** The recording of this endpoint, if one runs; called per request, so a Map lookup at most. */
  of(endpoint: Endpoint): Recording | undefined {
    if (this.#active.size === 0) return undefined;
    const recording = this.#active.get(endpoint.name);
    if (recording === undefined || recording.endpointCreatedAt === endpoint.createdAt) return recording;
    this.#active.delete(endpoint.name);
    return undefined;
  }

  /** `conflict` when the endpoint records already. */
  start(endpoint: Endpoint, targetUrl: string, ignoreSSLErrors: boolean, now = Date.now()): Recording {
    if (this.of(endpoint) !== undefined) {
      throw new MockgateError('conflict', `endpoint "${endpoint.name}" is recording already; stop that recording first`);
    }
    const recording: Recording = { targetUrl, ignoreSSLErrors, startedAt: now, exchanges: 0, endpointCreatedAt: endpoint.createdAt };
    this.#active.set(endpoint.name, recording);
    return recording;
  }

  /** `not_found` when the endpoint does not record. */
  stop(endpoint: Endpoint | undefined, name: string): Recording {
    const recording = endpoint === undefined ? undefined : this.of(endpoint);
    if (recording === undefined) throw new MockgateError('not_found', `endpoint "${name}" is not recording`);
    this.#active.delete(name);
    return recording;
  }
}

const perProcess = new WeakMap<Endpoints, Recordings>();

/** The recordings of these endpoints: the data plane and the management API reach the same ones through them. */
export function recordingsOf(endpoints: Endpoints): Recordings {
  let recordings = perProcess.get(endpoints);
  if (recordings === undefined) perProcess.set(endpoints, (recordings = new Recordings()));
  return recordings;
}

/** Serves a request: forwarded to the recorded service while the endpoint records, through its rules otherwise. */
export function serveOrRecord(endpoints: Endpoints, endpoint: Endpoint, view: RequestView, io: ExchangeIO): Promise<CoreExchange> {
  const recording = recordingsOf(endpoints).of(endpoint);
  return recording === undefined ? serveEndpoint(endpoint, view, io) : record(recording, endpoint, view, io);
}

async function record(recording: Recording, endpoint: Endpoint, view: RequestView, io: ExchangeIO): Promise<CoreExchange> {
  const exchange = new CoreExchange(view, endpoint, NO_CAPTURES, undefined, io);
  exchange.annotate({ behavior: 'recording' });
  recording.exchanges++;
  try {
    await exchange.forward({ url: recording.targetUrl, ignoreSSLErrors: recording.ignoreSSLErrors });
  } catch (err) {
    // as serveEndpoint does: the error is the answer, journaled with the recording's notes
    if (exchange.responded) throw err;
    exchange.respond(errorResponse(err, io.log));
  }
  return exchange;
}
