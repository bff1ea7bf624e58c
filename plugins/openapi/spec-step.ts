// The fallback step that answers from the endpoint's OpenAPI spec, after the proxy (20) and the other specs' steps:
// a request no rule answered that matches an operation under the spec's base path. Journal behavior `oas`.
import { headerValue, type FallbackStep } from '../../core/contract.js';
import { answerFaker, fakersFor } from './fakers.js';
import { prismProblem } from './prism-problem.js';
import { GenerationLimitError } from './sample-schema.js';
import { servedSpec } from './served-spec.js';

export const OPENAPI_DOCUMENT = 'openapi';

export const specStep: FallbackStep = {
  name: 'openapi',
  order: 36,
  compile(endpoint) {
    const text = endpoint.document(OPENAPI_DOCUMENT);
    if (text === undefined) return undefined;
    const { route, answerer, requestCheck } = servedSpec(text);
    const { locale, specs } = endpoint.settings;
    const seed = specs?.seed;
    const validate = specs?.validateRequests !== false;
    const fakers = fakersFor(locale);

    return async (ex) => {
      const { request } = ex;
      const found = route(request.method, request.path);
      if (found === undefined) return false;
      ex.annotate({ behavior: 'oas' });
      if (!('op' in found)) {
        ex.respond(prismProblem({ status: 405, type: 'NO_METHOD_MATCHED_ERROR', title: 'Route resolved, but no method matched',
          detail: `${request.path} answers ${found.allowed.join(', ')}, not ${request.method}` }, { allow: found.allowed.join(', ') }));
        return true;
      }
      if (validate) {
        await ex.readBody();
        const refused = requestCheck(found.op)(request, found.pathParams);
        if (refused !== undefined) {
          ex.respond(refused);
          return true;
        }
      }
      const ready = await fakers;
      // seeding and generating happen in one synchronous stretch: no other request can move the sequence in between
      const faker = answerFaker(ready, seed);
      try {
        ex.respond(answerer(found.op)({ accept: headerValue(request, 'accept'), prefer: headerValue(request, 'prefer') }, faker));
      } catch (err) {
        if (!(err instanceof GenerationLimitError)) throw err;
        ex.respond(prismProblem({ status: 500, type: 'NO_RESPONSE_DEFINED', title: 'The response cannot be generated', detail: err.message }));
      }
      return true;
    };
  },
};
