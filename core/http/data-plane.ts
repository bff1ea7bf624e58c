// The hot path: plain node:http. Resolves the endpoint, serves it, or hands the request to the control plane.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger, MockResponse } from '../contract.js';
import type { ExchangeIO } from '../dispatch/exchange.js';
import { serveEndpoint } from '../dispatch/serve-endpoint.js';
import type { Endpoints } from '../endpoints/endpoints.js';
import type { EndpointTarget } from '../endpoints/resolve-endpoint.js';
import { MockgateError } from '../errors.js';
import { RequestView } from '../request/mock-request.js';
import { readBody } from '../request/read-body.js';
import { sendError } from './send-error.js';

export interface DataPlaneDeps {
  endpoints: Endpoints;
  resolve: (req: IncomingMessage) => EndpointTarget | undefined;
  autoCreate: boolean;
  maxBodyBytes: number;
  log: Logger;
  shutdown: AbortSignal;
  controlPlane: RequestListener;
}

class HttpIO implements ExchangeIO {
  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly deps: DataPlaneDeps,
  ) {}

  get log(): Logger {
    return this.deps.log;
  }

  get shutdown(): AbortSignal {
    return this.deps.shutdown;
  }

  onClientGone(callback: () => void): void {
    this.res.once('close', callback);
  }

  readBody(): Promise<Buffer> {
    return readBody(this.req, this.deps.maxBodyBytes);
  }

  send(response: MockResponse, ruleId: string | undefined): void {
    if (ruleId !== undefined) this.res.setHeader('x-beeceptor-rule-id', ruleId);
    this.res.writeHead(response.status, response.headers);
    this.res.end(response.body);
  }
}

export function createDataPlane(deps: DataPlaneDeps): RequestListener {
  const { endpoints, log } = deps;

  return function onRequest(req: IncomingMessage, res: ServerResponse): void {
    const target = deps.resolve(req);
    if (target === undefined) return void deps.controlPlane(req, res);
    try {
      const endpoint = endpoints.get(target.name) ?? (deps.autoCreate ? endpoints.getOrCreate(target.name) : undefined);
      if (endpoint === undefined) throw new MockgateError('not_found', `endpoint "${target.name}" does not exist (auto-create is off)`);
      const view = new RequestView(req.method ?? 'GET', target.url, req.headers, 'http');
      serveEndpoint(endpoint, view, new HttpIO(req, res, deps)).catch((err: unknown) => sendError(res, err, log));
    } catch (err) {
      sendError(res, err, log);
    }
  };
}
