// The journal's writer thread: encodes and stores batches of captured exchanges, so SQLite never blocks the data plane.
import { parentPort, workerData } from 'node:worker_threads';
import { JournalSink, type JournalSinkOptions } from '../core/journal/journal-sink.js';
import type { CapturedExchange } from '../core/journal/journal-model.js';
import { openDatabase } from '../core/store/sqlite-store.js';
import { createSqliteJournal } from '../core/store/sqlite-journal.js';

export type WriterRequest =
  | { type: 'write'; batch: CapturedExchange[] }
  | { type: 'remove'; endpoint: string; seqs: number[] }
  | { type: 'forget'; endpoint: string }
  | { type: 'purge'; before: number }
  | { type: 'close' };

export interface WriterData extends JournalSinkOptions {
  dbPath: string;
}

const { dbPath, ...options } = workerData as WriterData;
const db = openDatabase(dbPath);
// the journal is transient simulation data: this connection never waits on fsync (a crash of the OS may lose the last seconds)
db.pragma('synchronous = OFF');
const sink = new JournalSink(createSqliteJournal(db), options);

/** Structured clone turns Buffers into plain Uint8Arrays; SQLite binds Buffers. */
const asBuffer = (bytes: Uint8Array | string | undefined): Buffer | string | undefined =>
  bytes instanceof Uint8Array && !Buffer.isBuffer(bytes) ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes;

async function handle(request: WriterRequest): Promise<unknown> {
  switch (request.type) {
    case 'write':
      for (const c of request.batch) {
        c.requestBody = asBuffer(c.requestBody) as Buffer;
        c.responseBody = asBuffer(c.responseBody);
      }
      return sink.write(request.batch);
    case 'remove':
      return sink.remove(request.endpoint, request.seqs);
    case 'forget':
      return sink.forget(request.endpoint);
    case 'purge':
      return sink.purgeBefore(request.before);
    case 'close':
      db.close();
      return undefined;
  }
}

// one request at a time, in order: a read the main thread makes after a write's answer sees that write
let queue: Promise<unknown> = Promise.resolve();
parentPort!.on('message', ({ token, request }: { token: number; request: WriterRequest }) => {
  queue = queue.then(() => handle(request)).then(
    (result) => parentPort!.postMessage({ token, result }),
    (err: unknown) => parentPort!.postMessage({ token, error: err instanceof Error ? err.message : String(err) }),
  );
});
