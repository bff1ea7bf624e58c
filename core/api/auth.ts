// API key check for every /api call: `Authorization: <key>` or `Authorization: Bearer <key>`.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { MockgateError } from '../errors.js';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

export function requireApiKey(apiKey: string | undefined): RequestHandler {
  if (!apiKey) return (_req, _res, next) => next();
  const expected = digest(apiKey);
  return (req, _res, next) => {
    const header = req.headers.authorization;
    if (!header) throw new MockgateError('missing_authentication', 'send the API key in the Authorization header');
    const given = header.replace(/^Bearer\s+/i, '');
    // compare digests so neither the length nor the content of the key leaks through timing
    if (!timingSafeEqual(digest(given), expected)) throw new MockgateError('unauthorized_api_key', 'the API key is not valid');
    next();
  };
}
