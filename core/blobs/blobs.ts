// Blobs: files uploaded to an endpoint for rules to serve. Bytes in <dataDir>/blobs/<endpoint>/<path>, metadata in the
// store. Which rules use a blob is the Endpoints' knowledge; this module stores, finds, serves and removes.
import { renameSync, rmSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { BlobRef, Logger } from '../contract.js';
import { MockgateError } from '../errors.js';
import { newId } from '../ids.js';
import type { BlobRow, BlobStore } from '../store/store.js';
import { blobContentType, blobName } from './blob-names.js';
import { receiveFile } from './receive-file.js';

/** How long a blob no rule has ever used is kept: time to upload it, then write the rule that serves it. */
const BLOB_GRACE_MS = 24 * 60 * 60 * 1000;

// a deleted endpoint's directory is renamed to this (atomic, so a new endpoint of that name starts empty), then removed
const TRASH = '.trash-';

export interface BlobsOptions {
  store: BlobStore;
  /** `<dataDir>/blobs`. */
  dir: string;
  now: () => number;
  log: Logger;
}

export class Blobs {
  /** The file of each BlobRef handed out: a response can only stream a file the core resolved. */
  readonly #files = new WeakMap<BlobRef, string>();

  constructor(private readonly options: BlobsOptions) {}

  list(endpoint: string): BlobRow[] {
    return this.options.store.list(endpoint);
  }

  get(endpoint: string, path: string): BlobRow | undefined {
    return this.options.store.get(endpoint, path);
  }

  /** The blob as a rule refers to it, or undefined when the endpoint holds none by that path. */
  ref(endpoint: string, path: string): BlobRef | undefined {
    const row = this.options.store.get(endpoint, path);
    if (row === undefined) return undefined;
    const ref: BlobRef = Object.freeze({ path: row.path, contentType: row.contentType, size: row.size });
    this.#files.set(ref, this.#fileOf(endpoint, row.path));
    return ref;
  }

  /** The file to serve; `internal_error` for a BlobRef that `ref` did not hand out. */
  file(ref: BlobRef): string {
    const file = this.#files.get(ref);
    if (file === undefined) throw new MockgateError('internal_error', `blob "${ref.path}" is not one the core looked up (use the BlobRef cx.blob returns)`);
    return file;
  }

  /** The bytes, for transports that cannot stream a file. */
  async read(ref: BlobRef): Promise<Buffer> {
    try {
      return await readFile(this.file(ref));
    } catch (err) {
      throw unreadable(ref, err);
    }
  }

  /**
   * Streams the request's `file` part into the endpoint's directory and records it. `ensureEndpoint` runs once the
   * bytes are in, before they are recorded: a refused upload creates no endpoint.
   */
  async upload(endpoint: string, req: IncomingMessage, maxBytes: number, ensureEndpoint: () => void): Promise<BlobRow> {
    const dir = join(this.options.dir, endpoint);
    await mkdir(dir, { recursive: true });
    const file = await receiveFile(req, { field: 'file', dir, maxBytes });
    const createdAt = this.options.now();
    const blob: BlobRow = {
      path: blobName(file.fileName, createdAt), contentType: blobContentType(file.mimeType, file.fileName),
      size: file.size, sha256: file.sha256, createdAt,
    };
    const target = join(dir, blob.path);
    try {
      ensureEndpoint();
      await rename(file.tempPath, target);
      this.options.store.insert(endpoint, blob);
    } catch (err) {
      await Promise.all([rm(file.tempPath, { force: true }), rm(target, { force: true })]);
      // the endpoint was deleted while the bytes arrived: its directory (with the temporary file) went with it
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new MockgateError('not_found', `endpoint "${endpoint}" was deleted during the upload`);
      throw err;
    }
    return blob;
  }

  /**
   * Deletes the row, then the file — synchronously, so that when the call that released the blob answers, the blob
   * is gone. A request streaming it already keeps its open file; one about to open it gets a 500.
   */
  remove(endpoint: string, path: string): boolean {
    const existed = this.options.store.delete(endpoint, path);
    try {
      rmSync(this.#fileOf(endpoint, path), { force: true });
    } catch (err) {
      this.options.log.error({ err, endpoint, path }, 'blob file could not be removed; the sweep will retry');
    }
    return existed;
  }

  /** After the endpoint's rows went with it (cascade): its directory is moved aside at once, removed in the background. */
  removeEndpoint(endpoint: string): void {
    const trash = join(this.options.dir, `${TRASH}${newId()}`);
    try {
      renameSync(join(this.options.dir, endpoint), trash);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // it never held a blob
      this.options.log.error({ err, endpoint }, 'blob directory could not be removed; the sweep will retry');
      return;
    }
    void rm(trash, { recursive: true, force: true }).catch((err: unknown) => this.options.log.error({ err, trash }, 'blob directory removal failed'));
  }

  /**
   * Removes the blobs older than the grace period that `inUse` says no rule uses, and files no row accounts for (left
   * by a crash mid-upload, or a failed removal). Rows are read and deleted before the first await: a rule written
   * meanwhile cannot start using a blob the sweep then deletes. Resolves with how many blobs went.
   */
  async sweep(inUse: (endpoint: string, path: string) => boolean): Promise<number> {
    const cutoff = this.options.now() - BLOB_GRACE_MS;
    const kept = new Set<string>();
    const stale: string[] = [];
    for (const b of this.options.store.all()) {
      if (b.createdAt < cutoff && !inUse(b.endpoint, b.path)) {
        this.options.store.delete(b.endpoint, b.path);
        stale.push(this.#fileOf(b.endpoint, b.path));
      } else {
        kept.add(`${b.endpoint}/${b.path}`);
      }
    }
    for (const file of stale) await this.#rm(file);
    await this.#sweepDisk(kept, cutoff);
    if (stale.length > 0) this.options.log.info({ removed: stale.length }, 'unused blobs removed');
    return stale.length;
  }

  async #sweepDisk(kept: ReadonlySet<string>, cutoff: number): Promise<void> {
    const root = this.options.dir;
    for (const entry of await readdir(root, { withFileTypes: true }).catch(() => [])) {
      const path = join(root, entry.name);
      if (entry.name.startsWith(TRASH)) await this.#rm(path);
      else if (entry.isDirectory()) {
        for (const name of await readdir(path).catch(() => [])) {
          if (kept.has(`${entry.name}/${name}`)) continue;
          // an upload in progress writes a fresh temporary file: only files older than the grace period go
          const stats = await stat(join(path, name)).catch(() => undefined);
          if (stats !== undefined && stats.mtimeMs < cutoff) await this.#rm(join(path, name));
        }
      }
    }
  }

  async #rm(path: string): Promise<void> {
    await rm(path, { recursive: true, force: true }).catch((err: unknown) => this.options.log.error({ err, path }, 'blob sweep could not remove a file'));
  }

  #fileOf(endpoint: string, path: string): string {
    return join(this.options.dir, endpoint, path);
  }
}

/** A blob whose file is gone (deleted underneath a rule, or lost): the answer is a 500, the log says which. */
export function unreadable(ref: BlobRef, err: unknown): MockgateError {
  return new MockgateError('internal_error', `blob "${ref.path}" cannot be read from storage`, undefined, undefined, { cause: err });
}
