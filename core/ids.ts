// Short random ids for rules (11 base-36 characters, like Beeceptor's).
import { randomBytes } from 'node:crypto';

export function newId(): string {
  return randomBytes(8).readBigUInt64BE().toString(36).padStart(13, '0').slice(-11);
}
