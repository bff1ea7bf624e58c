// The request journal: captured exchanges are queued and written in batches off the response path; retention; live feed.
import type { Logger } from '../contract.js';
import type { JournalStore } from '../store/store.js';
import type { CapturedExchange } from './journal-model.js';
import { compactOf, type CompactEntry } from './journal-views.js';
import { toEntry } from './to-entry.js';

export interface JournalOptions {
  store: JournalStore;
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

// Small, frequent batches: each is one transaction on the event loop, so its size bounds the pause traffic sees.
const BATCH = 256;
const FLUSH_INTERVAL_MS = 25;

export class Journal {
  #pending: CapturedExchange[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  readonly #listeners = new Map<string, Set<JournalListener>>();
  /** Entries stored per endpoint, counted once and then kept up to date, so retention costs no query per batch. */
  readonly #counts = new Map<string, number>();
  readonly #purgeTimer: NodeJS.Timeout;

  constructor(private readonly options: JournalOptions) {
    this.purgeExpired();
    this.#purgeTimer = setInterval(() => this.purgeExpired(), 60 * 60 * 1000).unref();
  }

  get now(): number {
    return this.options.now();
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

  /** Writes everything queued so far; management reads call it first, so an answered request is always visible. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#pending;
    if (batch.length === 0) return this.#flushing;
    this.#pending = [];
    this.#flushing = this.#flushing.then(() => this.#write(batch));
    return this.#flushing;
  }

  async #write(batch: readonly CapturedExchange[]): Promise<void> {
    const { store } = this.options;
    try {
      const entries = await Promise.all(batch.map((c) => toEntry(c, this.options.maxBodyBytes)));
      store.insert(entries);
      const added = new Map<string, { count: number; keep: number }>();
      for (const c of batch) {
        const a = added.get(c.endpoint);
        if (a) a.count++;
        else added.set(c.endpoint, { count: 1, keep: c.journal.maxEntries ?? this.options.maxEntries });
      }
      for (const [endpoint, { count, keep }] of added) {
        const stored = (this.#counts.get(endpoint) ?? store.count(endpoint, {}) - count) + count;
        this.#counts.set(endpoint, stored > keep ? stored - store.dropOldest(endpoint, stored - keep) : stored);
      }
    } catch (err) {
      this.#counts.clear();
      this.options.log.error({ err, entries: batch.length }, 'journal write failed; entries dropped');
    }
  }

  /** Deletes entries (by seq) of one endpoint. */
  remove(endpoint: string, seqs: readonly number[]): number {
    const removed = this.options.store.delete(seqs);
    this.forgetCounts(endpoint);
    return removed;
  }

  /** Deletes outside the queue (purges, a deleted endpoint) make the kept counts stale: they are counted again when needed. */
  forgetCounts(endpoint?: string): void {
    if (endpoint === undefined) this.#counts.clear();
    else this.#counts.delete(endpoint);
  }

  purgeExpired(): void {
    const removed = this.options.store.purgeBefore(this.options.now() - this.options.retentionMs);
    if (removed > 0) this.forgetCounts();
    if (removed > 0) this.options.log.info({ removed }, 'journal entries past retention purged');
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

  async close(): Promise<void> {
    clearInterval(this.#purgeTimer);
    for (const set of this.#listeners.values()) for (const l of set) l.end();
    this.#listeners.clear();
    await this.flush();
  }
}
