// Where captured exchanges become stored entries: encoding, one insert per batch, retention by count. Runs on the writer thread.
import type { JournalStore } from '../store/store.js';
import type { CapturedExchange } from './journal-model.js';
import { toEntry } from './to-entry.js';

export interface JournalSinkOptions {
  maxBodyBytes: number;
  /** Entries kept per endpoint unless its settings say otherwise. */
  maxEntries: number;
}

export class JournalSink {
  /** Entries stored per endpoint, counted once and then kept up to date, so retention costs no query per batch. */
  readonly #counts = new Map<string, number>();

  constructor(private readonly store: JournalStore, private readonly options: JournalSinkOptions) {}

  async write(batch: readonly CapturedExchange[]): Promise<void> {
    const { store } = this;
    const entries = await Promise.all(batch.map((c) => toEntry(c, this.options.maxBodyBytes)));
    try {
      store.insert(entries);
    } catch (err) {
      this.#counts.clear();
      throw err;
    }
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
  }

  remove(endpoint: string, seqs: readonly number[]): number {
    this.#counts.delete(endpoint);
    return this.store.delete(seqs);
  }

  /** A deleted endpoint's entries went with it: its count is stale. */
  forget(endpoint: string): void {
    this.#counts.delete(endpoint);
  }

  purgeBefore(date: number): number {
    this.#counts.clear();
    return this.store.purgeBefore(date);
  }
}
