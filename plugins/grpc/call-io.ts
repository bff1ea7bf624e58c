// One gRPC call, whichever grpc-js handler kind serves it: request messages in, metadata, messages and a status out.
// Every path is registered with identity (de)serializers, so messages are the raw protobuf bytes.
import {
  status, type Deadline, type Metadata, type sendUnaryData, type ServerDuplexStream, type ServerReadableStream, type ServerUnaryCall,
  type ServerWritableStream, type UntypedHandleCall,
} from '@grpc/grpc-js';
import type { Readable, Writable } from 'node:stream';
import type { CallKind } from './endpoint-protos.js';

export interface CallIO {
  /** `/pkg.Service/Method`. */
  readonly path: string;
  readonly metadata: Metadata;
  /** The `:authority` the client called. */
  readonly authority: string;
  /** Aborted when the client cancels or the deadline passes. */
  readonly signal: AbortSignal;
  /** Epoch milliseconds; Infinity without a deadline. */
  readonly deadline: number;
  /** The next request message; undefined once the client has half-closed (or gone). */
  next(): Promise<Buffer | undefined>;
  sendMetadata(metadata: Metadata): void;
  /** Resolves when the next message may follow (a stream's backpressure). */
  write(message: Buffer): Promise<void>;
  /** Ends the call with a status; later calls do nothing. */
  end(code: status, details: string): void;
}

type Bytes = Buffer;

/** What every grpc-js server call has. */
interface SurfaceCall {
  readonly cancelled: boolean;
  readonly metadata: Metadata;
  getDeadline(): Deadline;
  getPath(): string;
  getHost(): string;
  sendMetadata(metadata: Metadata): void;
  once(event: 'cancelled', listener: () => void): unknown;
}

type Writer = (signal: AbortSignal) => Pick<CallIO, 'write' | 'end'>;

function callOf(call: SurfaceCall, next: CallIO['next'], writer: Writer): CallIO {
  const aborter = new AbortController();
  let ended = false;
  // grpc-js says 'cancelled' at the end of every call, the ones it ended itself included: only a call still open is cancelled
  if (call.cancelled) aborter.abort();
  else call.once('cancelled', () => ended || aborter.abort());
  const { write, end } = writer(aborter.signal);
  const deadline = call.getDeadline();
  return {
    path: call.getPath(),
    metadata: call.metadata,
    authority: call.getHost(),
    signal: aborter.signal,
    deadline: deadline instanceof Date ? deadline.getTime() : deadline,
    next,
    sendMetadata: (metadata) => call.sendMetadata(metadata),
    write,
    end(code, details) {
      if (ended) return;
      ended = true;
      end(code, details);
    },
  };
}

/** The one request message of a unary or server-streaming call. */
function single(request: Bytes): CallIO['next'] {
  let taken = false;
  return () => {
    const next = taken ? undefined : request;
    taken = true;
    return Promise.resolve(next);
  };
}

function reader(stream: Readable): CallIO['next'] {
  // an iterator that ends does not destroy the stream: a duplex call still has its answer and status to send
  const messages = stream.iterator({ destroyOnReturn: false }) as AsyncIterator<Bytes>;
  return async () => {
    try {
      const { done, value } = await messages.next();
      return done ? undefined : value;
    } catch {
      return undefined; // a cancelled call's stream is destroyed: no more messages
    }
  };
}

/** Unary and client-streaming calls answer one message through grpc-js's callback. */
function callbackWriter(callback: sendUnaryData<Bytes>): Writer {
  let reply: Bytes | undefined;
  return () => ({
    write(message) {
      reply ??= message;
      return Promise.resolve();
    },
    end(code, details) {
      if (code === status.OK) callback(null, reply ?? Buffer.alloc(0));
      else callback({ code, details });
    },
  });
}

function streamWriter(stream: Writable): Writer {
  return (signal) => ({
    write(message) {
      if (signal.aborted || stream.write(message)) return Promise.resolve();
      return new Promise((resolve) => {
        const done = (): void => {
          stream.off('drain', done).off('close', done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        stream.once('drain', done).once('close', done);
        signal.addEventListener('abort', done, { once: true });
      });
    },
    end(code, details) {
      if (signal.aborted) return;
      // grpc-js's way to end a stream with a status: the 'error' event, after the messages written so far
      if (code === status.OK) stream.end();
      else stream.emit('error', { code, details });
    },
  });
}

export type Serve = (io: CallIO) => void;

/** grpc-js handlers, one per kind, each handing the call to `serve`. */
export function handlersFor(serve: Serve): Record<CallKind, UntypedHandleCall> {
  const unary = (call: ServerUnaryCall<Bytes, Bytes>, callback: sendUnaryData<Bytes>): void =>
    serve(callOf(call, single(call.request), callbackWriter(callback)));
  const clientStream = (call: ServerReadableStream<Bytes, Bytes>, callback: sendUnaryData<Bytes>): void =>
    serve(callOf(call, reader(call), callbackWriter(callback)));
  const serverStream = (call: ServerWritableStream<Bytes, Bytes>): void => serve(callOf(call, single(call.request), streamWriter(call)));
  const bidi = (call: ServerDuplexStream<Bytes, Bytes>): void => serve(callOf(call, reader(call), streamWriter(call)));
  return { unary, clientStream, serverStream, bidi };
}
