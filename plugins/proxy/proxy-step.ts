// `proxy` fallback step: a request no rule answered goes to the endpoint's `settings.proxy.targetUrl`.
import type { FallbackStep } from '../../core/contract.js';

export const proxyStep: FallbackStep = {
  name: 'proxy',
  // Beeceptor's chain is local tunnel → proxy → OpenAPI spec → default answer: room before and after this step
  order: 20,
  compile(endpoint) {
    const { targetUrl, ignoreSSLErrors } = endpoint.settings.proxy;
    if (targetUrl === '') return undefined;
    const target = { url: targetUrl, ignoreSSLErrors };
    return async (exchange) => {
      await exchange.forward(target);
      return true;
    };
  },
};
