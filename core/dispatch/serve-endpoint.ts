// One request through one endpoint: candidate rules, first match, its action — or the fallback chain.
import type { MatchContext } from '../contract.js';
import type { Endpoint } from '../endpoints/endpoints.js';
import { MockgateError } from '../errors.js';
import type { RequestView } from '../request/mock-request.js';
import { firstMatch, type Candidates } from '../rules/rule-set.js';
import { errorResponse } from '../http/send-error.js';
import { CoreExchange, type ExchangeIO } from './exchange.js';

const RULES_OFF: Candidates = { rules: [], needsBody: false };
const NO_CAPTURES: Readonly<Record<string, string>> = Object.freeze({});

// requests of each endpoint inside serveEndpoint now (chaos latency can grow with it)
const inFlight = new Map<string, number>();
export const inFlightOf = (endpoint: string): number => inFlight.get(endpoint) ?? 0;

export async function serveEndpoint(endpoint: Endpoint, view: RequestView, io: ExchangeIO): Promise<CoreExchange> {
  const { name } = endpoint;
  inFlight.set(name, inFlightOf(name) + 1);
  try {
    return await serve(endpoint, view, io);
  } finally {
    const left = inFlightOf(name) - 1;
    if (left > 0) inFlight.set(name, left);
    else inFlight.delete(name);
  }
}

async function serve(endpoint: Endpoint, view: RequestView, io: ExchangeIO): Promise<CoreExchange> {
  const candidates = endpoint.settings.rules.enabled ? endpoint.ruleSet.candidates(view.method, view.path) : RULES_OFF;
  if (candidates.needsBody && io.readBody) view.setBody(await io.readBody());
  const ctx: MatchContext = { captures: undefined, state: endpoint.state };
  const rule = firstMatch(candidates, view, ctx);
  const exchange = new CoreExchange(view, endpoint, ctx.captures ?? NO_CAPTURES, rule?.id, io);
  try {
    if (rule === undefined) {
      await runFallbacks(endpoint, exchange);
    } else if (!rule.passThrough) {
      if ((await rule.respond(exchange)) === false && !exchange.responded) await runFallbacks(endpoint, exchange);
    } else {
      exchange.dropNextResponse = true;
      await rule.respond(exchange);
      await runFallbacks(endpoint, exchange);
    }
  } catch (err) {
    // the error is this exchange's answer: the journal keeps its rule and notes (a callout's details, say)
    if (exchange.responded) throw err;
    exchange.dropNextResponse = false;
    exchange.respond(errorResponse(err, io.log));
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
