// An endpoint's rate limit: a fixed window per endpoint, counted in memory on the one data-plane thread.
import type { EndpointSettings } from '../contract.js';

const PERIOD_MS = { Second: 1_000, Minute: 60_000, Hour: 3_600_000 } as const;

/**
 * The window opens with the first request after the previous one closed and lets `rate` requests through. Called
 * synchronously before anything awaits, so concurrent requests are counted exactly. A new instance comes with
 * every settings change, which is how a change resets the count.
 */
export class RateLimiter {
  #windowEnd = 0;
  #passed = 0;

  constructor(
    readonly rate: number,
    readonly periodMs: number,
  ) {}

  /** 0: the request passes and is counted. Otherwise the whole seconds until the window closes, at least 1. */
  take(): number {
    // monotonic: a wall-clock step must not open or stretch a window
    const now = performance.now();
    if (now >= this.#windowEnd) {
      this.#windowEnd = now + this.periodMs;
      this.#passed = 0;
    }
    if (this.#passed < this.rate) {
      this.#passed++;
      return 0;
    }
    return Math.max(1, Math.ceil((this.#windowEnd - now) / 1000));
  }
}

export function compileRateLimit(rateLimit: EndpointSettings['rateLimit']): RateLimiter | undefined {
  return rateLimit.enabled ? new RateLimiter(rateLimit.rate, PERIOD_MS[rateLimit.period]) : undefined;
}
