// `fault` action: the answer goes wrong on purpose — a reset connection, a connection closed with no answer, bytes that
// are not HTTP, or an error status — with a probability; when it does not fire, the fallback chain answers.
import { defineAction, type MockResponse, type Responder } from '../../../core/contract.js';

interface FaultAction {
  type: 'fault';
  fault: 'connection_reset' | 'empty_reply' | 'malformed_response' | 'error_status';
  /** For error_status; default 500. */
  status?: number;
  /** Percent, default 100. */
  probability?: number;
  seed?: number;
}

// what the chaos block is given to spoil; only its identity matters (unchanged: nothing fired)
const UNSPOILED: MockResponse = { status: 200 };

export const faultAction = defineAction<FaultAction>({
  type: 'fault',
  schema: {
    type: 'object',
    required: ['type', 'fault'],
    additionalProperties: false,
    properties: {
      type: { const: 'fault' },
      fault: { enum: ['connection_reset', 'empty_reply', 'malformed_response', 'error_status'] },
      status: { type: 'integer', minimum: 400, maximum: 599 },
      probability: { type: 'number', minimum: 0, maximum: 100 },
      seed: { type: 'integer', minimum: 0, maximum: 4294967295 },
    },
  },

  compile({ fault, status, probability, seed }, cx): Responder {
    if (status !== undefined && fault !== 'error_status') cx.fail('status goes with the error_status fault only', 'status');
    // a fault is a chaos block with one part, so it shares its seeded, reproducible decisions
    const chaos = cx.chaos({
      ...(seed === undefined ? {} : { seed }),
      ...(fault === 'error_status'
        ? { errorStatus: { status: status ?? 500, probability: probability ?? 100 } }
        : { socketFault: { fault, probability: probability ?? 100 } }),
    });
    return async (ex) => {
      const answer = await chaos.apply(ex, UNSPOILED);
      if (answer === UNSPOILED) return false;
      ex.annotate({ behavior: 'fault' });
      ex.respond(answer);
    };
  },
});
