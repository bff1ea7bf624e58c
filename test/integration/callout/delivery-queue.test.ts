// The async callout queue's bounds, driven directly with a recording `send`: concurrency, drop-oldest when full (with a
// warning), delays and backoff honoured, and no timer that keeps the process alive.
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../../core/contract.js';
import { DeliveryQueue, type Attempt, type Delivery, type QueueLimits } from '../../../plugins/callout/actions/delivery-queue.js';
import { sleep, until } from './upstream.js';

function recordingLog(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const ignore = (): void => {};
  return { warnings, debug: ignore, info: ignore, error: ignore, warn: (_obj, msg) => void warnings.push(msg ?? '') };
}

function delivery(name: string, log: Logger, readyAt = Date.now()): Delivery {
  return { request: { method: 'POST', url: `http://127.0.0.1:9/${name}`, headers: [], body: undefined }, timeoutMs: 1000, log, readyAt, attempts: 0 };
}

/** A send that holds every attempt until released, recording the order and the peak number in flight. */
function gatedSend(outcome: (d: Delivery) => Attempt = () => 'done') {
  const sent: string[] = [];
  const waiting: Array<() => void> = [];
  let inFlight = 0;
  let peak = 0;
  const send = async (d: Delivery): Promise<Attempt> => {
    sent.push(new URL(d.request.url).pathname.slice(1));
    peak = Math.max(peak, ++inFlight);
    await new Promise<void>((resolve) => waiting.push(resolve));
    inFlight--;
    return outcome(d);
  };
  const releaseAll = async (): Promise<void> => {
    while (waiting.length > 0) waiting.shift()!();
    await sleep(0);
  };
  return { send, sent, waiting, peak: () => peak, releaseAll };
}

const LIMITS: QueueLimits = { maxPending: 1000, concurrency: 8, attempts: 3, backoffMs: 20 };

describe('callout delivery queue', () => {
  it('never runs more than `concurrency` deliveries at once', async () => {
    const log = recordingLog();
    const g = gatedSend();
    const queue = new DeliveryQueue({ ...LIMITS, concurrency: 2 }, g.send);
    for (const name of ['a', 'b', 'c', 'd', 'e']) queue.push(delivery(name, log));
    expect(g.sent).toEqual(['a', 'b']);
    while (g.sent.length < 5 || g.waiting.length > 0) await g.releaseAll();
    expect(g.sent).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(g.peak()).toBe(2);
    expect(queue.size).toBe(0);
  });

  it('when full, drops the oldest pending delivery and logs a warning', async () => {
    const log = recordingLog();
    const g = gatedSend();
    const queue = new DeliveryQueue({ ...LIMITS, maxPending: 3, concurrency: 1 }, g.send);
    for (const name of ['a', 'b', 'c', 'd', 'e']) queue.push(delivery(name, log));
    // `a` is in flight; b, c, d filled the queue; e pushed b out
    expect(queue.size).toBe(4);
    expect(log.warnings).toEqual(['callout: async queue full, dropped the oldest pending callout']);
    while (g.sent.length < 4 || g.waiting.length > 0) await g.releaseAll();
    expect(g.sent).toEqual(['a', 'c', 'd', 'e']);
  });

  it('sends no delivery before its readyAt, and retries with backoff up to `attempts`', async () => {
    const log = recordingLog();
    const times: number[] = [];
    const queue = new DeliveryQueue(LIMITS, async () => {
      times.push(Date.now());
      return 'retry';
    });
    const start = Date.now();
    queue.push(delivery('later', log, start + 100));
    await until(() => times.length === 3);
    await sleep(150);
    expect(times).toHaveLength(3);
    expect(times[0]! - start).toBeGreaterThanOrEqual(99);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(19);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(39);
    expect(log.warnings).toEqual(['callout: async callout given up after its last attempt']);
  });

  it('keeps no timer that holds the process open', async () => {
    const queue = new DeliveryQueue(LIMITS, async () => 'done');
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    queue.push(delivery('in-a-minute', recordingLog(), Date.now() + 60_000));
    expect(queue.size).toBe(1);
    expect(timers()).toBe(before);
  });
});
