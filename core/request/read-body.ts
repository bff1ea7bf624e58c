// Reads a request body once, keeping at most `limit` bytes and counting the rest, so the journal always has it.
import type { IncomingMessage } from 'node:http';
import { MockgateError } from '../errors.js';

export interface CollectedBody {
  bytes: Buffer;
  /** Bytes the client sent, kept or not. */
  size: number;
  overflow: boolean;
}

const EMPTY = Buffer.alloc(0);

/** Never rejects: a broken upload resolves with what arrived. Past the limit the rest is drained, not kept. */
export function collectBody(req: IncomingMessage, limit: number): Promise<CollectedBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let size = 0;
    const done = (): void => {
      req.off('data', onData).off('end', done).off('error', done).off('close', done);
      resolve({ bytes: chunks.length === 0 ? EMPTY : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, kept), size, overflow: size > limit });
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (kept + chunk.length <= limit) {
        chunks.push(chunk);
        kept += chunk.length;
      }
    };
    req.on('data', onData).on('end', done).on('error', done).on('close', done);
  });
}

export function payloadTooLarge(limit: number): MockgateError {
  return new MockgateError('payload_too_large', `request body is larger than the ${limit}-byte limit`);
}
