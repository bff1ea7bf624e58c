// `mock` action: a fixed or templated response, or an uploaded blob; an optional delay before it is sent, and optional
// chaos on its way.
import {
  chaosSchema, defineAction, delay, delaySchema, headersSchema, prepareResponse, statusSchema, type HeaderSpec, type Responder,
} from '../../../core/contract.js';

interface MockAction {
  type: 'mock';
  status: number;
  headers: HeaderSpec[];
  body?: string;
  blobPath?: string;
  delay?: number;
  templated?: boolean;
  chaos?: object;
}

export const mockAction = defineAction<MockAction>({
  type: 'mock',
  schema: {
    type: 'object',
    required: ['type', 'status', 'headers'],
    additionalProperties: false,
    properties: {
      type: { const: 'mock' },
      status: statusSchema,
      headers: headersSchema,
      body: { type: 'string' },
      blobPath: { type: 'string', minLength: 1, maxLength: 512 },
      delay: delaySchema,
      templated: { type: 'boolean' },
      chaos: chaosSchema,
    },
  },

  compile(action, cx): Responder {
    if (action.body !== undefined && action.blobPath !== undefined) cx.fail('give either body or blobPath, not both', 'blobPath');
    // a blob is served byte for byte; header templates still apply
    if (action.blobPath !== undefined && action.templated === true) cx.fail('a blob is served as uploaded and cannot be a template', 'templated');
    const blob = action.blobPath === undefined ? undefined : cx.blob(action.blobPath, 'blobPath');
    if (action.body === undefined && blob === undefined) return cx.fail("must have required property 'body'", 'body');
    const response = prepareResponse(cx, { ...action, body: action.body ?? '', ...(blob === undefined ? {} : { blob }) });
    const chaos = action.chaos === undefined ? undefined : cx.chaos(action.chaos, 'chaos');
    const ms = action.delay ?? 0;
    if (typeof response !== 'function' && ms === 0 && chaos === undefined) return (ex) => ex.respond(response);
    return async (ex) => {
      if (ms > 0) await delay(ms, ex.signal);
      const answer = typeof response === 'function' ? await response(ex) : response;
      ex.respond(chaos === undefined ? answer : await chaos.apply(ex, answer));
    };
  },
});
