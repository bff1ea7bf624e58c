// The request journal: captured exchanges are queued and handed in batches to the writer thread; retention; live feed.
import type { Worker } from 'node:worker_threads';
import type { Logger } from '../contract.js';
import { startWorker } from '../start-worker.js';
import type { WriterData, WriterRequest } from '../../workers/journal-writer.js';
import type { CapturedExchange } from './journal-model.js';
import { compactOf, type CompactEntry } from './journal-views.js';

export interface JournalOptions {
  dbPath: string;
  log: Logger;
  now: () => number;
  /** Bodies are kept up to this many bytes, and flagged as truncated beyond. */
  maxBodyBytes: number;
  /** Entries kept per endpoint unless its settings say otherwise. */
  maxEntries: number;
  retentionMs: number;
  flushIntervalMs?: number;
}

export interface JournalListener {
  entry(entry: CompactEntry): void;
  end(): void;
}

const BATCH = 256;
const FLUSH_INTERVAL_MS = 25;
// the writer is .js next to this file's .js in dist/, and .ts next to the .ts source under the test runner
const WRITER = new URL(`../../workers/journal-writer${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

export class Journal {
  #pending: CapturedExchange[] = [];
  #timer: NodeJS.Timeout | undefined;
  /** The writer answers in order: once the last request sent is answered, every earlier one is done. */
  #lastCall: Promise<unknown> = Promise.resolve();
  readonly #listeners = new Map<string, Set<JournalListener>>();
  readonly #purgeTimer: NodeJS.Timeout;
  readonly #writer: Worker;
  readonly #calls = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
  #nextToken = 0;

  constructor(private readonly options: JournalOptions) {
    const data: WriterData = { dbPath: options.dbPath, maxBodyBytes: options.maxBodyBytes, maxEntries: options.maxEntries };
    this.#writer = startWorker(WRITER, { workerData: data });
    this.#writer.on('message', ({ token, result, error }: { token: number; result?: unknown; error?: string }) => {
      const call = this.#calls.get(token);
      this.#calls.delete(token);
      if (error === undefined) call?.resolve(result);
      else call?.reject(new Error(error));
    });
    this.#writer.on('error', (err) => {
      options.log.error({ err }, 'journal writer thread failed');
      for (const call of this.#calls.values()) call.reject(err);
      this.#calls.clear();
    });
    void this.purgeExpired();
    this.#purgeTimer = setInterval(() => void this.purgeExpired(), 60 * 60 * 1000).unref();
  }

  get now(): number {
    return this.options.now();
  }

  #call<T>(request: WriterRequest): Promise<T> {
    const token = this.#nextToken++;
    const call = new Promise<T>((resolve, reject) => {
      this.#calls.set(token, { resolve: resolve as (value: unknown) => void, reject });
      this.#writer.postMessage({ token, request });
    });
    this.#lastCall = call.catch(() => undefined);
    return call;
  }

  /** Called once the response is sent; costs a push (and a live event when someone watches this endpoint). */
  record(exchange: CapturedExchange): void {
    this.#pending.push(exchange);
    const listeners = this.#listeners.get(exchange.endpoint);
    if (listeners !== undefined) {
      const compact = compactOf(exchange);
      for (const l of listeners) l.entry(compact);
    }
    if (this.#pending.length >= BATCH) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.options.flushIntervalMs ?? FLUSH_INTERVAL_MS);
  }

  /** Resolves once everything queued so far is stored; management reads call it first, so an answered request is visible. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      this.#call({ type: 'write', batch }).catch((err: unknown) => {
        this.options.log.error({ err, entries: batch.length }, 'journal write failed; entries dropped');
      });
    }
    return this.#lastCall.then(() => undefined);
  }

  /** Deletes entries (by seq) of one endpoint. */
  remove(endpoint: string, seqs: readonly number[]): Promise<number> {
    return this.#call({ type: 'remove', endpoint, seqs: [...seqs] });
  }

  /** The endpoint was deleted (with its entries): what the writer counted for it is stale. */
  forget(endpoint: string): Promise<void> {
    return this.#call({ type: 'forget', endpoint });
  }

  async purgeExpired(): Promise<number> {
    const removed = await this.#call<number>({ type: 'purge', before: this.options.now() - this.options.retentionMs });
    if (removed > 0) this.options.log.info({ removed }, 'journal entries past retention purged');
    return removed;
  }

  /** Live feed of one endpoint's new entries; returns the unsubscribe function. */
  subscribe(endpoint: string, listener: JournalListener): () => void {
    let set = this.#listeners.get(endpoint);
    if (!set) this.#listeners.set(endpoint, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(endpoint);
    };
  }

  /** Ends live streams (their connections would hold the server open). */
  endStreams(): void {
    for (const set of this.#listeners.values()) for (const l of set) l.end();
    this.#listeners.clear();
  }

  /** Writes what is queued, then stops the writer thread. */
  async close(): Promise<void> {
    clearInterval(this.#purgeTimer);
    this.endStreams();
    await this.flush();
    await this.#call({ type: 'close' });
    await this.#writer.terminate();
  }
}
