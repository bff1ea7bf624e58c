// Short random ids (11 base-36 characters, like Beeceptor's), drawn from a pooled buffer: one per request is hot.
import { randomFillSync } from 'node:crypto';

const POOL = Buffer.alloc(8 * 512);
let offset = POOL.length;

export function newId(): string {
  if (offset === POOL.length) {
    randomFillSync(POOL);
    offset = 0;
  }
  const value = POOL.readBigUInt64BE(offset);
  offset += 8;
  return value.toString(36).padStart(13, '0').slice(-11);
}
