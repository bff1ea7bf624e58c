// One request through one endpoint: candidate rules, first match, its action — or the fallback chain.
import type { MatchContext } from '../contract.js';
import type { Endpoint } from '../endpoints/endpoints.js';
import { MockgateError } from '../errors.js';
import type { RequestView } from '../request/mock-request.js';
import { firstMatch, type Candidates } from '../rules/rule-set.js';
import { CoreExchange, type ExchangeIO } from './exchange.js';

const RULES_OFF: Candidates = { rules: [], needsBody: false };
const NO_CAPTURES: Readonly<Record<string, string>> = Object.freeze({});

export async function serveEndpoint(endpoint: Endpoint, view: RequestView, io: ExchangeIO): Promise<CoreExchange> {
  const candidates = endpoint.settings.rules.enabled ? endpoint.ruleSet.candidates(view.method, view.path) : RULES_OFF;
  if (candidates.needsBody && io.readBody) view.setBody(await io.readBody());
  const ctx: MatchContext = { captures: undefined, state: endpoint.state };
  const rule = firstMatch(candidates, view, ctx);
  const exchange = new CoreExchange(view, endpoint, ctx.captures ?? NO_CAPTURES, rule?.id, io);
  if (rule === undefined) {
    await runFallbacks(endpoint, exchange);
  } else if (!rule.passThrough) {
    await rule.respond(exchange);
  } else {
    exchange.dropNextResponse = true;
    await rule.respond(exchange);
    await runFallbacks(endpoint, exchange);
  }
  if (!exchange.responded) {
    throw new MockgateError('internal_error', `rule ${rule?.id ?? '(fallback)'} of endpoint "${endpoint.name}" finished without responding`);
  }
  return exchange;
}

async function runFallbacks(endpoint: Endpoint, exchange: CoreExchange): Promise<void> {
  for (const handler of endpoint.fallbacks) {
    if (await handler(exchange)) return;
  }
  exchange.annotate({ behavior: 'default' });
  const { method, url } = exchange.request;
  exchange.respond({
    status: 200,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: `mockgate: no rule of endpoint "${endpoint.name}" matched ${method} ${url}\n`,
  });
}
