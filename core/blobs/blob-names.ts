// The name a blob is stored and referred to by, and the content type it is served with.
import { randomInt } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

// the common types by extension; anything else is application/octet-stream unless the upload declared a type
const TYPES: Readonly<Record<string, string>> = {
  json: 'application/json', xml: 'application/xml', yaml: 'application/yaml', yml: 'application/yaml',
  txt: 'text/plain', csv: 'text/csv', html: 'text/html', htm: 'text/html', css: 'text/css', js: 'text/javascript',
  md: 'text/markdown', pdf: 'application/pdf', zip: 'application/zip', gz: 'application/gzip',
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp',
  svg: 'image/svg+xml', ico: 'image/x-icon', mp3: 'audio/mpeg', wav: 'audio/wav', mp4: 'video/mp4', webm: 'video/webm',
  woff: 'font/woff', woff2: 'font/woff2', wasm: 'application/wasm', bin: 'application/octet-stream',
};

/** The extension of an uploaded file's name, lower-case, when it is a short safe one. */
function extensionOf(fileName: string): string | undefined {
  return /\.([a-z0-9]{1,10})$/i.exec(fileName)?.[1]?.toLowerCase();
}

/** Beeceptor's form: `res-body-<UTC yyyyMMddHHmmss>-<10 random [a-z0-9]>[.<extension>]`. */
export function blobName(fileName: string, now: number): string {
  const stamp = new Date(now).toISOString().replace(/\D/g, '').slice(0, 14);
  let random = '';
  for (let i = 0; i < 10; i++) random += ALPHABET[randomInt(ALPHABET.length)];
  const extension = extensionOf(fileName);
  return `res-body-${stamp}-${random}${extension === undefined ? '' : `.${extension}`}`;
}

/** The part's declared type, unless it declared none (or only application/octet-stream): then by extension. */
export function blobContentType(declared: string, fileName: string): string {
  const extension = extensionOf(fileName);
  const byExtension = extension === undefined ? undefined : TYPES[extension];
  // busboy reports a part without a Content-Type as text/plain: a file whose extension says otherwise declared none
  const undeclared = declared === '' || declared === 'application/octet-stream' ||
    (declared === 'text/plain' && byExtension !== undefined && byExtension !== 'text/plain');
  return undeclared ? byExtension ?? 'application/octet-stream' : declared;
}
