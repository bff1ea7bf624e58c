// Random numbers for chaos decisions: seeded (a reproducible sequence, for replaying a test run) or not.
export type Random = () => number;

/** mulberry32: small, fast, and good enough to drive fault decisions; one sequence per seed. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal sample (Box–Muller), from two uniform draws. */
export function normal(random: Random): number {
  const u = 1 - random(); // (0, 1]: log(0) would be -Infinity
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** z of the 99th percentile of the standard normal distribution. */
export const Z99 = 2.326347874;
