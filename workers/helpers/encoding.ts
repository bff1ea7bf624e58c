// Encoding helpers: base64 and URL encoding both ways, and hex digests. Each takes its text as an argument or, used as
// a block with no text argument, from the block's rendered content (`{{#base64}}user:{{queryParam 'p'}}{{/base64}}`).
// Text is encoded as UTF-8.
import { createHash } from 'node:crypto';
import Handlebars from 'handlebars';
import { splitArgs, type Helper, type HelperCheck, type HelperOptions } from './helper-kit.js';
import { describe, textOf } from './strings.js';

export const HASH_ALGORITHMS = ['md5', 'sha1', 'sha256'] as const;

const BASE64 = /^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2}(?:==)?|[A-Za-z0-9+/_-]{3}=?)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Base64 text printed as is by `{{ }}` too, since Handlebars would otherwise write its '=' padding as `&#x3D;`; the
 * alphabet has nothing else to escape. `json` serialises it as the plain string.
 */
class Base64Text extends Handlebars.SafeString {
  toJSON(): string {
    return this.toString();
  }
}

/** The text argument at `index`, or the block's rendered content when the helper is a block without that argument. */
function input(self: unknown, all: readonly unknown[], index: number, helper: string): string {
  const { args, options } = splitArgs(all);
  if (args.length <= index && typeof (options as Partial<HelperOptions>).fn === 'function') return options.fn(self);
  return textOf(args[index], helper);
}

/** `encodeURIComponent`, also escaping ! ' ( ) * (RFC 3986), so the result has nothing HTML-escaping would change. */
const urlEncode = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export default {
  /** `{{base64 text}}` or `{{#base64}}text{{/base64}}`: the UTF-8 bytes of the text in base64 ('hello world' → aGVsbG8gd29ybGQ=). */
  base64: function (this: unknown, ...all: unknown[]) {
    return new Base64Text(Buffer.from(input(this, all, 0, 'base64'), 'utf8').toString('base64'));
  } as Helper,

  /** `{{base64Decode text}}` or as a block: the text that base64 (standard or URL-safe, padding optional) encodes. */
  base64Decode: function (this: unknown, ...all: unknown[]) {
    const encoded = input(this, all, 0, 'base64Decode').replace(/\s+/g, '');
    if (!BASE64.test(encoded)) throw new Error(`base64Decode: ${describe(encoded)} is not base64`);
    try {
      return utf8.decode(Buffer.from(encoded, 'base64'));
    } catch {
      throw new Error(`base64Decode: ${describe(encoded)} does not encode UTF-8 text`);
    }
  } as Helper,

  /** `{{urlEncode text}}` or as a block: the text percent-encoded as a URL component ('a b&c' → a%20b%26c). */
  urlEncode: function (this: unknown, ...all: unknown[]) {
    return urlEncode(input(this, all, 0, 'urlEncode'));
  } as Helper,

  /** `{{urlDecode text}}` or as a block: the percent-encoded text decoded ('+' stays '+'); invalid encoding is an error. */
  urlDecode: function (this: unknown, ...all: unknown[]) {
    const encoded = input(this, all, 0, 'urlDecode');
    try {
      return decodeURIComponent(encoded);
    } catch {
      throw new Error(`urlDecode: ${describe(encoded)} is not valid percent-encoding (each % needs two hex digits of UTF-8)`);
    }
  } as Helper,

  /** `{{hash 'md5|sha1|sha256' text}}` or `{{#hash 'sha256'}}text{{/hash}}`: the hex digest of the text's UTF-8 bytes. */
  hash: function (this: unknown, ...all: unknown[]) {
    const algorithm = String(splitArgs(all).args[0] ?? '').toLowerCase();
    if (!(HASH_ALGORITHMS as readonly string[]).includes(algorithm)) {
      throw new Error(`hash: unknown algorithm ${describe(splitArgs(all).args[0])}; use one of ${HASH_ALGORITHMS.join(', ')}`);
    }
    return createHash(algorithm).update(input(this, all, 1, 'hash'), 'utf8').digest('hex');
  } as Helper,
};

export const checks: Record<string, HelperCheck> = {
  hash: ([algorithm]) => {
    if (algorithm === undefined) return `needs an algorithm (${HASH_ALGORITHMS.join(', ')}) and a text: {{hash 'sha256' text}}`;
    if (algorithm.literal && !(HASH_ALGORITHMS as readonly string[]).includes(String(algorithm.value).toLowerCase())) {
      return `unknown algorithm ${JSON.stringify(algorithm.value)}; use one of ${HASH_ALGORITHMS.join(', ')}`;
    }
    return undefined;
  },
};
