// Chaos decisions: probabilities, latency distributions (checked statistically over many seeded samples), and
// reproducible sequences.
import { describe, expect, it } from 'vitest';
import { chaosOf, chaosProblem, compileChaos, type ChaosBlock } from '../../../../core/chaos/chaos.js';
import type { Exchange, JournalNote } from '../../../../core/contract.js';

const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const samples = (block: ChaosBlock, n = 20_000, inFlight = 0) => {
  const plan = compileChaos(block);
  return Array.from({ length: n }, () => plan(inFlight));
};

describe('chaos decisions', () => {
  it('fires each part with its probability', () => {
    const decisions = samples({ seed: 1, errorStatus: { probability: 30, status: 503 }, socketFault: { probability: 5, fault: 'connection_reset' } });
    const rate = (f: (d: (typeof decisions)[number]) => boolean) => decisions.filter(f).length / decisions.length;
    expect(rate((d) => d.errorStatus === 503)).toBeCloseTo(0.3, 1);
    expect(Math.abs(rate((d) => d.socketFault === 'connection_reset') - 0.05)).toBeLessThan(0.01);
  });

  it('a missing probability means always, 0 never', () => {
    expect(samples({ truncate: { bytes: 3 } }, 100).every((d) => d.truncateBytes === 3)).toBe(true);
    expect(samples({ slowBody: { probability: 0, bytesPerSecond: 10 } }, 100).every((d) => d.bytesPerSecond === undefined)).toBe(true);
  });

  it('uniform latency stays in [min, max] with the mean in the middle', () => {
    const latencies = samples({ seed: 7, latency: { min: 100, max: 300 } }).map((d) => d.latencyMs);
    expect(Math.min(...latencies)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...latencies)).toBeLessThanOrEqual(300);
    expect(latencies.reduce((a, b) => a + b, 0) / latencies.length).toBeCloseTo(200, -1);
  });

  it('log-normal latency has the asked median and 99th percentile', () => {
    const latencies = samples({ seed: 42, latency: { median: 80, p99: 900 } }, 50_000).map((d) => d.latencyMs);
    expect(quantile(latencies, 0.5) / 80).toBeGreaterThan(0.95);
    expect(quantile(latencies, 0.5) / 80).toBeLessThan(1.05);
    expect(quantile(latencies, 0.99) / 900).toBeGreaterThan(0.9);
    expect(quantile(latencies, 0.99) / 900).toBeLessThan(1.1);
  });

  it('fixed and per-in-flight latency', () => {
    expect(samples({ latency: { fixed: 25 } }, 10).map((d) => d.latencyMs)).toEqual(Array(10).fill(25));
    expect(samples({ latency: { perInFlight: 4 } }, 3, 12).map((d) => d.latencyMs)).toEqual([48, 48, 48]);
  });

  it('a seed replays the same sequence; another seed gives another', () => {
    const block: ChaosBlock = { latency: { median: 50, p99: 500, probability: 50 }, errorStatus: { probability: 20, status: 500 } };
    const run = (seed: number) => samples({ ...block, seed }, 200);
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
  });

  it('refuses min above max and p99 below the median', () => {
    expect(chaosProblem({ latency: { min: 5, max: 1 } })).toMatch(/min/);
    expect(chaosProblem({ latency: { median: 50, p99: 10 } })).toMatch(/p99/);
    expect(chaosProblem({ latency: { median: 10, p99: 50 } })).toBeUndefined();
  });

  it('decide() draws the next decision and notes it; apply() waits it and spoils the response', async () => {
    const notes: JournalNote[] = [];
    const exchange = { inFlight: 2, signal: new AbortController().signal, annotate: (note: JournalNote) => void notes.push(note) } as unknown as Exchange;
    const chaos = chaosOf({ latency: { perInFlight: 3 }, errorStatus: { status: 503 }, truncate: { bytes: 4 } });
    expect(chaos.decide(exchange)).toEqual({ latencyMs: 6, errorStatus: 503, delivery: { truncateBytes: 4 } });
    const answer = await chaos.apply(exchange, { status: 200, body: 'fine' });
    expect(answer).toMatchObject({ status: 503, delivery: { truncateBytes: 4 } });
    expect(JSON.parse(String(answer.body))).toMatchObject({ error: { code: 'injected_fault' } });
    expect(notes).toEqual([
      { chaos: { latencyMs: 6, errorStatus: 503, truncateBytes: 4 } },
      { chaos: { latencyMs: 6, errorStatus: 503, truncateBytes: 4 } },
    ]);
    const calm = chaosOf({ errorStatus: { status: 500, probability: 0 } });
    const response = { status: 200 };
    expect(calm.decide(exchange)).toEqual({ latencyMs: 0 });
    expect(await calm.apply(exchange, response)).toBe(response);
    expect(notes).toHaveLength(2);
  });
});
