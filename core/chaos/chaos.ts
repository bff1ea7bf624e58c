// The `chaos` block of mock actions, callouts and the proxy setting: what to do to the answer a client receives —
// added latency, a throttled or truncated body, an error status, a socket fault — each with its own probability.
// Compiled once when the rule (or setting) is written; with a seed, its sequence of decisions restarts there.
import { delay, type Chaos, type ChaosOutcome, type Delivery, type Exchange, type MockResponse, type SocketFault } from '../contract.js';
import { normal, seededRandom, Z99, type Random } from './random.js';

export const SOCKET_FAULTS: readonly SocketFault[] = ['connection_reset', 'empty_reply', 'malformed_response'];

const probability = { type: 'number', minimum: 0, maximum: 100 } as const;
const ms = { type: 'number', minimum: 0, maximum: 600_000 } as const;
const part = (required: string[], properties: Record<string, object>): object =>
  ({ type: 'object', additionalProperties: false, required, properties: { probability, ...properties } });

export const chaosSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    seed: { type: 'integer', minimum: 0, maximum: 4294967295 },
    latency: {
      oneOf: [
        part(['fixed'], { fixed: ms }),
        part(['min', 'max'], { min: ms, max: ms }),
        part(['median', 'p99'], { median: { ...ms, exclusiveMinimum: 0 }, p99: { ...ms, exclusiveMinimum: 0 } }),
        part(['perInFlight'], { perInFlight: { type: 'number', minimum: 0, maximum: 60_000 } }),
      ],
    },
    slowBody: part(['bytesPerSecond'], { bytesPerSecond: { type: 'integer', minimum: 1, maximum: 1_000_000_000 } }),
    truncate: part(['bytes'], { bytes: { type: 'integer', minimum: 0 } }),
    errorStatus: part(['status'], { status: { type: 'integer', minimum: 400, maximum: 599 } }),
    socketFault: part(['fault'], { fault: { enum: SOCKET_FAULTS } }),
  },
} as const;

type Latency = { probability?: number } & ({ fixed: number } | { min: number; max: number } | { median: number; p99: number } | { perInFlight: number });

export interface ChaosBlock {
  seed?: number;
  latency?: Latency;
  slowBody?: { probability?: number; bytesPerSecond: number };
  truncate?: { probability?: number; bytes: number };
  errorStatus?: { probability?: number; status: number };
  socketFault?: { probability?: number; fault: SocketFault };
}

/** What happens to one answer. */
export interface ChaosDecision {
  latencyMs: number;
  errorStatus?: number;
  socketFault?: SocketFault;
  bytesPerSecond?: number;
  truncateBytes?: number;
}

export type ChaosPlan = (inFlight: number) => ChaosDecision;

/** Refuses what the schema cannot express; returns the reason, or undefined. */
export function chaosProblem(block: ChaosBlock): string | undefined {
  const latency = block.latency;
  if (latency && 'min' in latency && latency.min > latency.max) return 'latency.min must not exceed latency.max';
  if (latency && 'median' in latency && latency.p99 < latency.median) return 'latency.p99 must not be below latency.median';
  return undefined;
}

/**
 * Every part draws from the rule's random sequence in a fixed order on every request (whether or not an earlier part
 * fired), so a seeded rule replays the same decisions for the same sequence of requests.
 */
export function compileChaos(block: ChaosBlock): ChaosPlan {
  const random: Random = block.seed === undefined ? Math.random : seededRandom(block.seed);
  const fires = (p: number | undefined): boolean => random() * 100 < (p ?? 100);
  const sampleLatency = latencySampler(block.latency, random);
  return (inFlight) => {
    const decision: ChaosDecision = { latencyMs: 0 };
    if (block.latency) {
      const fired = fires(block.latency.probability);
      const sample = sampleLatency(inFlight);
      if (fired) decision.latencyMs = sample;
    }
    if (block.errorStatus && fires(block.errorStatus.probability)) decision.errorStatus = block.errorStatus.status;
    if (block.socketFault && fires(block.socketFault.probability)) decision.socketFault = block.socketFault.fault;
    if (block.slowBody && fires(block.slowBody.probability)) decision.bytesPerSecond = block.slowBody.bytesPerSecond;
    if (block.truncate && fires(block.truncate.probability)) decision.truncateBytes = block.truncate.bytes;
    return decision;
  };
}

/** Always draws the same number of values, so the sequence does not depend on which branch fired. */
function latencySampler(latency: Latency | undefined, random: Random): (inFlight: number) => number {
  if (latency === undefined) return () => 0;
  if ('fixed' in latency) return () => latency.fixed;
  if ('min' in latency) return () => latency.min + random() * (latency.max - latency.min);
  if ('median' in latency) {
    // log-normal: ln X ~ N(mu, sigma) with e^mu the median and e^(mu + z99 sigma) the 99th percentile
    const mu = Math.log(latency.median);
    const sigma = (Math.log(latency.p99) - mu) / Z99;
    return () => Math.min(600_000, Math.exp(mu + sigma * normal(random)));
  }
  return (inFlight) => latency.perInFlight * inFlight;
}

/** The Chaos a rule gets: the decision of each request, noted for the journal and applied to its response. */
export function chaosOf(block: ChaosBlock): Chaos {
  const plan = compileChaos(block);
  const decide = (exchange: Exchange): ChaosOutcome => {
    const decision = plan(exchange.inFlight);
    const outcome: ChaosOutcome = { latencyMs: decision.latencyMs };
    if (decision.errorStatus !== undefined) outcome.errorStatus = decision.errorStatus;
    const delivery: Delivery = {};
    if (decision.socketFault) delivery.fault = decision.socketFault;
    if (decision.bytesPerSecond !== undefined) delivery.bytesPerSecond = decision.bytesPerSecond;
    if (decision.truncateBytes !== undefined) delivery.truncateBytes = decision.truncateBytes;
    if (Object.keys(delivery).length > 0) outcome.delivery = delivery;
    if (decision.latencyMs > 0 || outcome.errorStatus !== undefined || outcome.delivery !== undefined) {
      exchange.annotate({ chaos: { latencyMs: Math.round(decision.latencyMs), ...(outcome.errorStatus ? { errorStatus: outcome.errorStatus } : {}), ...delivery } });
    }
    return outcome;
  };
  return {
    decide,
    async apply(exchange, response) {
      const outcome = decide(exchange);
      if (outcome.latencyMs > 0) await delay(outcome.latencyMs, exchange.signal);
      let answer = response;
      if (outcome.errorStatus !== undefined) answer = injectedError(outcome.errorStatus);
      if (outcome.delivery !== undefined) answer = { ...answer, delivery: outcome.delivery };
      return answer;
    },
  };
}

/** The answer of an injected error status: a JSON error saying it was injected, so nobody mistakes it for a bug. */
export function injectedError(status: number): MockResponse {
  const body = Buffer.from(JSON.stringify({ error: { code: 'injected_fault', message: `status ${status} injected by a chaos rule` } }));
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length }, body };
}
