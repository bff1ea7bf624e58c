// The hot path: plain node:http. Resolves the endpoint, serves it, journals it — or hands the request to the control plane.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { JournalNote, Logger, MockResponse } from '../contract.js';
import type { ExchangeIO } from '../dispatch/exchange.js';
import { serveEndpoint } from '../dispatch/serve-endpoint.js';
import type { Endpoint, Endpoints } from '../endpoints/endpoints.js';
import type { EndpointTarget } from '../endpoints/resolve-endpoint.js';
import { MockgateError } from '../errors.js';
import { newId } from '../ids.js';
import type { Journal } from '../journal/journal.js';
import { RequestView } from '../request/mock-request.js';
import { payloadTooLarge, readBody, type BodyReader, type CollectedBody } from '../request/read-body.js';
import { errorResponse, sendError } from './send-error.js';

export interface DataPlaneDeps {
  endpoints: Endpoints;
  resolve: (req: IncomingMessage) => EndpointTarget | undefined;
  autoCreate: boolean;
  maxBodyBytes: number;
  /** undefined when journaling is off. */
  journal: Journal | undefined;
  log: Logger;
  shutdown: AbortSignal;
  controlPlane: RequestListener;
}

const UNFINISHED_BODY_WAIT_MS = 1000;

/** One request's transport: reads the body once (for rules and the journal), writes the answer, remembers it. */
class HttpIO implements ExchangeIO {
  readonly started = performance.now();
  #body: BodyReader | undefined;
  response: MockResponse | undefined;
  ruleId: string | undefined;
  timeTaken = 0;

  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly deps: DataPlaneDeps,
  ) {
    // the journal wants every body, so reading starts now; without it, only when a rule asks
    if (deps.journal !== undefined) this.#body = readBody(req, deps.maxBodyBytes);
  }

  get body(): BodyReader {
    return (this.#body ??= readBody(this.req, this.deps.maxBodyBytes));
  }

  get log(): Logger {
    return this.deps.log;
  }

  get shutdown(): AbortSignal {
    return this.deps.shutdown;
  }

  onClientGone(callback: () => void): void {
    this.res.once('close', callback);
  }

  async readBody(): Promise<Buffer> {
    const body = await this.body.done;
    if (body.overflow) throw payloadTooLarge(this.deps.maxBodyBytes);
    return body.bytes;
  }

  send(response: MockResponse, ruleId: string | undefined): void {
    this.response = response;
    this.ruleId = ruleId;
    this.timeTaken = performance.now() - this.started;
    if (ruleId !== undefined) this.res.setHeader('x-beeceptor-rule-id', ruleId);
    this.res.writeHead(response.status, response.headers);
    this.res.end(response.body);
  }

  fail(err: unknown): void {
    if (this.res.headersSent) return void this.res.destroy();
    this.send(errorResponse(err, this.deps.log), undefined);
  }

  /**
   * Queues the journal entry once the body has been read — or, for a client that stops sending once it has its
   * answer, after a short wait with what arrived. The response is already on its way either way.
   */
  journal(endpoint: Endpoint, view: RequestView, note: JournalNote | undefined, date: number): void {
    const { req, response } = this;
    const { journal } = this.deps;
    if (response === undefined || journal === undefined) return;
    const record = (body: CollectedBody): void => journal.record({
      id: newId(), endpoint: endpoint.name, date, timeTaken: this.timeTaken, method: view.method, url: view.url,
      httpVersion: `HTTP/${req.httpVersion}`, requestHeaders: req.headers, requestBody: body.bytes, requestSize: body.size,
      status: response.status, responseHeaders: response.headers ?? {}, responseBody: response.body, ruleId: this.ruleId,
      note, journal: endpoint.settings.journal,
    });
    if (this.body.finished) return record(this.body.snapshot());
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<CollectedBody>((resolve) => {
      timer = setTimeout(() => resolve(this.body.snapshot()), UNFINISHED_BODY_WAIT_MS);
    });
    void Promise.race([this.body.done, late]).then((body) => {
      clearTimeout(timer);
      record(body);
    });
  }
}

export function createDataPlane(deps: DataPlaneDeps): RequestListener {
  const { endpoints, log } = deps;

  return function onRequest(req: IncomingMessage, res: ServerResponse): void {
    const target = deps.resolve(req);
    if (target === undefined) return void deps.controlPlane(req, res);
    let endpoint: Endpoint | undefined;
    try {
      endpoint = endpoints.get(target.name) ?? (deps.autoCreate ? endpoints.getOrCreate(target.name) : undefined);
      if (endpoint === undefined) throw new MockgateError('not_found', `endpoint "${target.name}" does not exist (auto-create is off)`);
    } catch (err) {
      return sendError(res, err, log);
    }
    const date = deps.journal?.now ?? 0;
    const view = new RequestView(req.method ?? 'GET', target.url, req.headers, 'http', target.mountPath);
    const io = new HttpIO(req, res, deps);
    const served = endpoint;
    serveEndpoint(served, view, io).then(
      (exchange) => io.journal(served, view, exchange.note, date),
      (err: unknown) => {
        io.fail(err);
        io.journal(served, view, undefined, date);
      },
    );
  };
}
