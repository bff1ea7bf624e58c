// Reads a request body once, keeping at most `limit` bytes and counting the rest, so rules and the journal share it.
import type { IncomingMessage } from 'node:http';
import { MockgateError } from '../errors.js';

export interface CollectedBody {
  bytes: Buffer;
  /** Bytes the client sent (or declared, when it stopped early), kept or not. */
  size: number;
  overflow: boolean;
}

export interface BodyReader {
  /** Settles when the body has ended (or the connection broke); never rejects. */
  readonly done: Promise<CollectedBody>;
  /** What has arrived so far: for a client that stops sending once it has its answer. */
  snapshot(): CollectedBody;
  /** True once the body has ended: then snapshot() is all of it. */
  readonly finished: boolean;
}

const EMPTY = Buffer.alloc(0);
const NOTHING: CollectedBody = { bytes: EMPTY, size: 0, overflow: false };
const NO_BODY: BodyReader = { done: Promise.resolve(NOTHING), snapshot: () => NOTHING, finished: true };

/** Starts reading at once. Past the limit the rest is drained and counted, not kept. */
export function readBody(req: IncomingMessage, limit: number): BodyReader {
  // HTTP/1.1 framing: without either header there is no body (most GETs)
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) return NO_BODY;
  const declared = Number(req.headers['content-length']) || 0;
  const chunks: Buffer[] = [];
  let kept = 0;
  let size = 0;
  let finished = false;
  const snapshot = (): CollectedBody => ({
    bytes: chunks.length === 0 ? EMPTY : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, kept),
    size: Math.max(size, declared),
    overflow: Math.max(size, declared) > limit,
  });
  const done = new Promise<CollectedBody>((resolve) => {
    const end = (): void => {
      finished = true;
      req.off('data', onData).off('end', end).off('error', end).off('close', end);
      resolve(snapshot());
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (kept < limit) {
        // keep a prefix, never a splice: the first chunk that does not fit is cut and nothing after it is kept
        const piece = kept + chunk.length <= limit ? chunk : chunk.subarray(0, limit - kept);
        chunks.push(piece);
        kept += piece.length;
      }
    };
    req.on('data', onData).on('end', end).on('error', end).on('close', end);
  });
  return {
    done,
    snapshot,
    get finished() {
      return finished;
    },
  };
}

export function payloadTooLarge(limit: number): MockgateError {
  return new MockgateError('payload_too_large', `request body is larger than the ${limit}-byte limit`);
}
