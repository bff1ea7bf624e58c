// `weighted` action: each request picks one of several responses with the given percentages.
import {
  defineAction, delay, delaySchema, headersSchema, prepareResponse, statusSchema, type HeaderSpec, type MockResponse, type RenderResponse, type Responder,
} from '../../../core/contract.js';

interface WeightedResponse {
  name: string;
  weight: number;
  status: number;
  headers: HeaderSpec[];
  body: string;
  delay?: number;
  templated?: boolean;
}

interface WeightedAction {
  type: 'weighted';
  responses: WeightedResponse[];
}

interface Choice {
  name: string;
  upTo: number;
  delay: number;
  response: MockResponse | RenderResponse;
}

export const weightedAction = defineAction<WeightedAction>({
  type: 'weighted',
  schema: {
    type: 'object',
    required: ['type', 'responses'],
    additionalProperties: false,
    properties: {
      type: { const: 'weighted' },
      responses: {
        type: 'array',
        minItems: 1,
        maxItems: 100,
        items: {
          type: 'object',
          required: ['name', 'weight', 'status', 'headers', 'body'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', maxLength: 256 },
            weight: { type: 'number', minimum: 0, maximum: 100 },
            delay: delaySchema,
            status: statusSchema,
            headers: headersSchema,
            body: { type: 'string' },
            templated: { type: 'boolean' },
          },
        },
      },
    },
  },

  compile({ responses }, cx): Responder {
    const total = responses.reduce((sum, r) => sum + r.weight, 0);
    // weights are percentages; allow for binary floating-point noise in sums like 33.3 + 33.3 + 33.4
    if (Math.abs(total - 100) > 1e-9) cx.fail(`weights must sum to 100, got ${total}`, 'responses');
    let upTo = 0;
    const choices: Choice[] = responses.map((r, i) => {
      upTo += r.weight;
      return { name: r.name, upTo, delay: r.delay ?? 0, response: prepareResponse(cx, r, `responses/${i}/`) };
    });
    const pick = (): Choice => {
      const roll = Math.random() * total;
      return choices.find((c) => roll < c.upTo) ?? choices[choices.length - 1]!;
    };
    return async (ex) => {
      const choice = pick();
      ex.annotate({ weightedResponse: choice.name });
      if (choice.delay > 0) await delay(choice.delay, ex.signal);
      ex.respond(typeof choice.response === 'function' ? await choice.response(ex) : choice.response);
    };
  },
});
