// `proxy` fallback step: a request no rule answered goes to the endpoint's `settings.proxy.targetUrl`, with the
// optional `settings.proxy.chaos` block spoiling what the client receives.
import { delay, injectedError, type FallbackStep, type ForwardTarget } from '../../core/contract.js';

export const proxyStep: FallbackStep = {
  name: 'proxy',
  // Beeceptor's chain is local tunnel → proxy → OpenAPI spec → default answer: room before and after this step
  order: 20,
  compile(endpoint, cx) {
    const { targetUrl, ignoreSSLErrors, chaos: block } = endpoint.settings.proxy;
    if (targetUrl === '') return undefined;
    const target: ForwardTarget = { url: targetUrl, ignoreSSLErrors };
    if (block === undefined) {
      return async (exchange) => {
        await exchange.forward(target);
        return true;
      };
    }
    // compiled with the settings: a seeded sequence restarts at each settings write
    const chaos = cx.chaos(block, 'proxy/chaos');
    return async (exchange) => {
      const { latencyMs, errorStatus, delivery } = chaos.decide(exchange);
      if (latencyMs > 0) await delay(latencyMs, exchange.signal);
      if (errorStatus !== undefined || delivery?.fault !== undefined) {
        // the target is not asked: the client gets the injected error, or the socket fault, instead
        exchange.annotate({ behavior: 'proxy' });
        const answer = errorStatus === undefined ? { status: 502 } : injectedError(errorStatus);
        exchange.respond(delivery === undefined ? answer : { ...answer, delivery });
        return true;
      }
      await exchange.forward(delivery === undefined ? target : { ...target, delivery });
      return true;
    };
  },
};
