// The answer to a gRPC call as the `grpc` action and the generated step give it: a plugin-private MockResponse whose
// body is a JSON plan (messages, metadata, status) the listener turns into the call's answer. A plan is plain data, so
// the same bytes serve every call of a non-templated rule and the listener can cache their encoding.
import type { MockResponse } from '../../core/contract.js';

export const PLAN_CONTENT_TYPE = 'application/x-mockgate-grpc+json';

export interface CallPlan {
  /** gRPC status code; 0 is OK. */
  status: number;
  statusMessage?: string;
  /** Response messages as proto3 JSON; message i of a stream is `messages[i % messages.length]`. */
  messages: unknown[];
  /** Initial metadata; `-bin` values in base64. */
  metadata?: Record<string, string>;
  /**
   * Streams only: how many messages a server stream sends (drawn uniformly per call), after how many answers a bidi
   * stream ends. Absent: a server stream sends `messages.length`, a bidi stream answers until the client ends.
   */
  count?: { min: number; max: number };
}

export function planResponse(plan: CallPlan): MockResponse {
  const body = Buffer.from(JSON.stringify(plan));
  return { status: 200, headers: { 'content-type': PLAN_CONTENT_TYPE, 'content-length': body.length }, body };
}

// grpc-js refuses other keys and values; `grpc-` keys are the protocol's own
const METADATA_KEY = /^[0-9A-Za-z_.-]+$/;
const METADATA_VALUE = /^[ -~]*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Why this metadata cannot be sent, or undefined when it can. */
export function metadataProblem(metadata: unknown): string | undefined {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return 'metadata must be a JSON object of strings';
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') return `metadata "${key}" must be a string`;
    const lower = key.toLowerCase();
    if (!METADATA_KEY.test(key) || lower.startsWith('grpc-')) return `"${key}" is not a metadata key (letters, digits, "-", "_", "."; not "grpc-…")`;
    const binary = lower.endsWith('-bin');
    if (binary ? !BASE64.test(value) : !METADATA_VALUE.test(value)) return `metadata "${key}" must be ${binary ? 'base64' : 'printable ASCII'}`;
  }
  return undefined;
}

/** A plan's count drawn for one call: uniformly in [min, max]. */
export function drawCount(count: CallPlan['count']): number | undefined {
  if (count === undefined) return undefined;
  return count.min + Math.floor(Math.random() * (count.max - count.min + 1));
}
