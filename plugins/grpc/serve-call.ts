// One gRPC call: its endpoint, the method in that endpoint's protos, the request messages as JSON, host.dispatch through
// the endpoint's rules and fallbacks, and the answer sent the way the method streams. The journal entry waits for the
// call's end (DispatchRequest.completion) and records every message each way.
//   unary, server streaming: dispatched with the request message;
//   client streaming: the messages are read until the client half-closes, then dispatched with the first;
//   bidi: dispatched with the first message; each message in (the first included) gets the next response message,
//         until the client ends or the plan's count of messages is sent.
import type { IncomingHttpHeaders } from 'node:http';
import { status, type Metadata } from '@grpc/grpc-js';
import { isMockgateError, type CallRecord, type JournalMessage, type ListenerHost, type MockResponse } from '../../core/contract.js';
import { answerOf, type CallAnswer } from './call-answer.js';
import type { CallIO } from './call-io.js';
import { drawCount } from './call-plan.js';
import { kindOf, type EndpointProtos } from './endpoint-protos.js';
import { messageToJson } from './json-mapping.js';
import type { ProtoMethod } from './protos.js';

const ENDPOINT_METADATA = 'x-mockgate-endpoint';
// a long stream keeps its first messages in the journal (whose byte cap applies as well)
const MAX_JOURNALED = 1000;

/** The endpoint a call addresses: metadata x-mockgate-endpoint, else the `:authority`'s endpoint, else `otherwise()`. */
export function endpointOf(io: CallIO, host: ListenerHost, otherwise: () => string | undefined): string | undefined {
  const named = io.metadata.get(ENDPOINT_METADATA)[0];
  if (typeof named === 'string' && named !== '') return named;
  return host.endpointFromHost(io.authority) ?? otherwise();
}

export async function serveCall(host: ListenerHost, protos: EndpointProtos, io: CallIO): Promise<void> {
  const name = io.path.slice(1);
  // convenience: without a header or an endpoint host, the one endpoint whose protos define the method
  const endpoint = endpointOf(io, host, () => {
    const definers = protos.definers(io.path);
    return definers.length === 1 ? definers[0] : undefined;
  });
  if (endpoint === undefined) {
    const definers = protos.definers(io.path);
    return io.end(definers.length === 0 ? status.UNIMPLEMENTED : status.INVALID_ARGUMENT, `endpoints ${definers.join(', ')} define `
      + `${name}: send metadata "${ENDPOINT_METADATA}: <endpoint>" (or call <endpoint>.<base domain> as the authority)`);
  }
  const method = protos.method(endpoint, io.path);
  if (method === undefined) {
    return io.end(status.UNIMPLEMENTED, `endpoint "${endpoint}" defines no method ${name} (upload its protos to /api/v2/endpoints/${endpoint}/protos)`);
  }

  const call = new CallJournal(io.metadata);
  const decode = (bytes: Buffer): unknown => call.received(messageToJson(method.requestType, bytes));
  let first: unknown;
  try {
    const bytes = await io.next();
    if (bytes !== undefined) first = decode(bytes);
    if (kindOf(method) === 'clientStream') for (let more = await io.next(); more !== undefined; more = await io.next()) decode(more);
  } catch (err) {
    return io.end(status.INTERNAL, badRequest(method, err));
  }
  if (io.signal.aborted) return;

  let finish!: (record: CallRecord) => void;
  const completion = new Promise<CallRecord>((resolve) => (finish = resolve));
  let response: MockResponse;
  try {
    response = await host.dispatch(endpoint, {
      method: 'POST', url: io.path, headers: call.headers(io.authority), body: first === undefined ? '' : JSON.stringify(first),
      transport: 'grpc', signal: io.signal, completion,
    });
  } catch (err) {
    const notFound = isMockgateError(err) && err.code === 'not_found';
    return io.end(notFound ? status.NOT_FOUND : status.INTERNAL, isMockgateError(err) ? err.message : 'internal error; see the server log');
  }

  const answer = answerOf(response, method.responseType);
  let { code, details } = answer;
  try {
    await send(io, method, answer, call, first !== undefined, decode);
  } catch (err) {
    code = status.INTERNAL; // a later message of a bidi stream that does not decode
    details = badRequest(method, err);
  } finally {
    io.end(code, details);
    // what the client saw: its own deadline or cancellation when it went first
    const ended = !io.signal.aborted ? code : Date.now() >= io.deadline ? status.DEADLINE_EXCEEDED : status.CANCELLED;
    finish(call.record(ended, details));
  }
}

async function send(io: CallIO, method: ProtoMethod, answer: CallAnswer, call: CallJournal, hadFirst: boolean,
  decode: (bytes: Buffer) => unknown): Promise<void> {
  if (io.signal.aborted) return;
  if (answer.metadata !== undefined) io.sendMetadata(answer.metadata);
  if (answer.messages.length === 0) return;
  const reply = (i: number): Promise<void> => {
    const k = i % answer.messages.length;
    call.sent(answer.bodies[k], i === 0 ? answer.headers : undefined);
    return io.write(answer.messages[k]!);
  };
  switch (kindOf(method)) {
    case 'unary':
    case 'clientStream':
      if (answer.code === status.OK) await reply(0);
      return;
    case 'serverStream': {
      const n = drawCount(answer.count) ?? answer.messages.length;
      for (let i = 0; i < n && !io.signal.aborted; i++) await reply(i);
      return;
    }
    case 'bidi': {
      const limit = drawCount(answer.count) ?? Infinity;
      let i = 0;
      if (hadFirst) await reply(i++);
      while (i < limit && !io.signal.aborted) {
        const bytes = await io.next();
        if (bytes === undefined) return;
        decode(bytes);
        await reply(i++);
      }
    }
  }
}

function badRequest(method: ProtoMethod, err: unknown): string {
  return `the request message is not a valid ${method.requestType.fullName.replace(/^\./, '')}: ${(err as Error).message}`;
}

/** A call's messages each way, for its journal entry; the request metadata rides on the first request message. */
class CallJournal {
  readonly #requests: JournalMessage[] = [];
  readonly #responses: JournalMessage[] = [];
  readonly #metadata: Record<string, string> = {};

  constructor(metadata: Metadata) {
    // metadata as headers: lower-case names, repeated values joined, binary (`-bin`) values in base64
    for (const [key, values] of Object.entries(metadata.toJSON())) {
      this.#metadata[key] = values.map((v) => (Buffer.isBuffer(v) ? v.toString('base64') : v)).join(', ');
    }
  }

  /** The request headers rules see: the metadata, the authority as `host`, and the JSON body's content type. */
  headers(authority: string): IncomingHttpHeaders {
    return { ...this.#metadata, host: authority, 'content-type': 'application/json' };
  }

  received(body: unknown): unknown {
    if (this.#requests.length < MAX_JOURNALED) {
      this.#requests.push({ body, timestamp: new Date().toISOString(), ...(this.#requests.length === 0 ? { headers: this.#metadata } : {}) });
    }
    return body;
  }

  sent(body: unknown, headers: Record<string, string> | undefined): void {
    if (this.#responses.length < MAX_JOURNALED) this.#responses.push({ body, timestamp: new Date().toISOString(), ...(headers ? { headers } : {}) });
  }

  record(code: status, details: string): CallRecord {
    return { requestMessages: this.#requests, responseMessages: this.#responses, trailers: { 'grpc-status': String(code), 'grpc-message': details } };
  }
}
