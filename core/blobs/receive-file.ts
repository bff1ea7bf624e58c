// One file of a multipart/form-data request, streamed to a temporary file: never held in memory, fsync'd before it
// is handed over, and gone again when the upload fails (over the limit, malformed, aborted).
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { MockgateError, isMockgateError } from '../errors.js';
import { newId } from '../ids.js';

export interface ReceivedFile {
  /** In the directory asked for; the caller renames it into place (or removes it). */
  tempPath: string;
  size: number;
  /** Hex digest of the bytes. */
  sha256: string;
  /** As the client named it (no directories); '' when it gave none. */
  fileName: string;
  /** The part's declared type; busboy reports a part that declared none as text/plain. */
  mimeType: string;
}

export interface ReceiveOptions {
  /** The form field that carries the file; other parts are skipped. */
  field: string;
  /** Where the temporary file goes: the final directory, so that a rename puts it in place atomically. */
  dir: string;
  maxBytes: number;
}

const fileProblem = (field: string, message: string): MockgateError => new MockgateError('validation_error', `${field}: ${message}`, field);

/**
 * Rejects with a MockgateError: `validation_error` at the field (not multipart, no such file part, empty, malformed),
 * `payload_too_large` (over maxBytes), `bad_request` (the client went away). Nothing is left on disk then.
 */
export function receiveFile(req: IncomingMessage, { field, dir, maxBytes }: ReceiveOptions): Promise<ReceivedFile> {
  const contentType = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*(;|$)/i.test(contentType)) {
    return Promise.reject(fileProblem(field, `send the file as multipart/form-data in a part named "${field}" (Content-Type was "${contentType.slice(0, 100)}")`));
  }
  let parser: busboy.Busboy;
  try {
    // browsers send non-ASCII file names as raw UTF-8 in filename="…"; busboy's default reads them as latin1.
    // busboy signals `limit` when a file reaches fileSize: one byte more than allowed is what must trip it
    parser = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { fileSize: maxBytes + 1, fields: 100, fieldSize: 64 * 1024, parts: 1000 } });
  } catch (err) {
    return Promise.reject(fileProblem(field, (err as Error).message));
  }

  return new Promise<ReceivedFile>((resolve, reject) => {
    let upload: { file: Readable; written: Promise<void>; result: ReceivedFile } | undefined;
    let failed = false;

    // stops reading, waits for the write to stop, removes the temporary file, then rejects: nothing is left behind
    const fail = (err: MockgateError): void => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      req.resume(); // the rest of the body is discarded
      if (upload === undefined) return reject(err);
      const { file, written, result } = upload;
      file.destroy();
      void written.catch(() => undefined).then(() => rm(result.tempPath, { force: true })).finally(() => reject(err));
    };

    parser.on('file', (name, file, info) => {
      if (name !== field || upload !== undefined || failed) return void file.resume();
      const hash = createHash('sha256');
      const result: ReceivedFile = { tempPath: join(dir, `.upload-${newId()}`), size: 0, sha256: '', fileName: info.filename ?? '', mimeType: info.mimeType };
      file.once('limit', () => fail(new MockgateError('payload_too_large', `${field}: the file is larger than ${maxBytes} bytes (--max-blob-bytes)`, field)));
      const written = pipeline(file, async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          hash.update(chunk);
          result.size += chunk.length;
          yield chunk;
        }
      }, createWriteStream(result.tempPath, { flags: 'wx' })).then(() => syncFile(result.tempPath));
      upload = { file, written, result };
      written.then(() => void (result.sha256 = hash.digest('hex')), (err: unknown) => {
        fail(isMockgateError(err) ? err : new MockgateError('internal_error', `the upload could not be stored: ${(err as Error).message}`));
      });
    });

    parser.once('close', () => {
      if (failed) return;
      if (upload === undefined) return fail(fileProblem(field, `the form has no file part named "${field}"`));
      const { written, result } = upload;
      void written.then(() => {
        if (failed) return;
        if (result.size === 0) return fail(fileProblem(field, 'the file is empty'));
        resolve(result);
      }, () => undefined);
    });
    parser.once('error', (err: Error) => fail(fileProblem(field, `malformed multipart body: ${err.message}`)));
    req.once('close', () => {
      if (!req.complete) fail(new MockgateError('bad_request', 'the upload was aborted before it was complete'));
    });
    req.pipe(parser);
  });
}

/** The bytes reach the disk before the file is renamed into place: a crash leaves the old state or the whole file. */
async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
