// Async callouts (webhooks), sent in the background: one bounded queue per process, bounded concurrency, bounded
// retries with backoff. Nothing here holds the process open: every timer is unref'd.
import type { Logger } from '../../../core/contract.js';
import type { TargetRequest } from './target.js';

export interface Delivery {
  readonly request: TargetRequest;
  readonly timeoutMs: number;
  readonly log: Logger;
  /** Epoch ms before which it is not sent: the callout's delay at first, then each retry's backoff. */
  readyAt: number;
  attempts: number;
  /** Why the last attempt failed, for the log line when it is given up. */
  lastError?: string;
}

export interface QueueLimits {
  /** Deliveries waiting (for their delay, a slot or a retry); beyond it the oldest is dropped. */
  maxPending: number;
  /** Deliveries in flight at once. */
  concurrency: number;
  /** Attempts per delivery, the first included. */
  attempts: number;
  /** The wait before retry n (1-based) is backoffMs × 2^(n-1). */
  backoffMs: number;
}

/** What one attempt came to: `retry` for a network error, a timeout or a 5xx. */
export type Attempt = 'done' | 'retry';

export type Send = (delivery: Delivery) => Promise<Attempt>;

export class DeliveryQueue {
  readonly #pending: Delivery[] = [];
  #running = 0;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Infinity;

  constructor(
    private readonly limits: QueueLimits,
    private readonly send: Send,
  ) {}

  /** Deliveries waiting and in flight. */
  get size(): number {
    return this.#pending.length + this.#running;
  }

  push(delivery: Delivery): void {
    this.#enqueue(delivery);
    this.#pump();
  }

  #enqueue(delivery: Delivery): void {
    if (this.#pending.length >= this.limits.maxPending) {
      const dropped = this.#pending.shift()!;
      dropped.log.warn({ callout: { method: dropped.request.method, url: dropped.request.url }, maxPending: this.limits.maxPending },
        'callout: async queue full, dropped the oldest pending callout');
    }
    this.#pending.push(delivery);
  }

  #pump(): void {
    const now = Date.now();
    while (this.#running < this.limits.concurrency) {
      const i = this.#pending.findIndex((d) => d.readyAt <= now);
      if (i < 0) break;
      const [delivery] = this.#pending.splice(i, 1);
      this.#running++;
      void this.#run(delivery!).finally(() => {
        this.#running--;
        this.#pump();
      });
    }
    this.#schedule();
  }

  /** One timer, for the earliest delivery still waiting; a finished delivery pumps when every slot is taken. */
  #schedule(): void {
    let next = Infinity;
    if (this.#running < this.limits.concurrency) for (const d of this.#pending) next = Math.min(next, d.readyAt);
    if (next === this.#timerAt) return;
    clearTimeout(this.#timer);
    this.#timerAt = next;
    if (next === Infinity) return void (this.#timer = undefined);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#timerAt = Infinity;
      this.#pump();
    }, Math.max(0, next - Date.now()));
    this.#timer.unref();
  }

  async #run(delivery: Delivery): Promise<void> {
    delivery.attempts++;
    let outcome: Attempt;
    try {
      outcome = await this.send(delivery);
    } catch (err) {
      delivery.log.error({ err }, 'callout: async delivery failed unexpectedly');
      return;
    }
    if (outcome === 'done') return;
    const { request, attempts } = delivery;
    if (attempts >= this.limits.attempts) {
      delivery.log.warn({ callout: { method: request.method, url: request.url }, attempts, lastError: delivery.lastError },
        'callout: async callout given up after its last attempt');
      return;
    }
    delivery.readyAt = Date.now() + this.limits.backoffMs * 2 ** (attempts - 1);
    this.#enqueue(delivery);
  }
}
