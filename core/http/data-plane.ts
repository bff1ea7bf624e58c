// The hot path: plain node:http. Resolves the endpoint, serves it, journals it — or hands the request to the control plane.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders, type RequestListener, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import httpProxy from 'http-proxy';
import { unreadable, type Blobs } from '../blobs/blobs.js';
import type { BlobRef, Delivery, ForwardTarget, JournalNote, Logger, MockResponse } from '../contract.js';
import type { ExchangeIO } from '../dispatch/exchange.js';
import { serveOrRecord } from '../recording/recordings.js';
import type { Endpoint, Endpoints } from '../endpoints/endpoints.js';
import type { EndpointTarget } from '../endpoints/resolve-endpoint.js';
import { passGates } from '../gates/compile-gates.js';
import { MockgateError } from '../errors.js';
import { newId } from '../ids.js';
import type { Journal } from '../journal/journal.js';
import { RequestView } from '../request/mock-request.js';
import { payloadTooLarge, readBody, type BodyReader, type CollectedBody } from '../request/read-body.js';
import { misdeliver, relayMisdelivered } from './misdeliver.js';
import { errorResponse, sendError } from './send-error.js';

export interface DataPlaneDeps {
  endpoints: Endpoints;
  resolve: (req: IncomingMessage) => EndpointTarget | undefined;
  autoCreate: boolean;
  maxBodyBytes: number;
  blobs: Blobs;
  /** undefined when journaling is off. */
  journal: Journal | undefined;
  log: Logger;
  shutdown: AbortSignal;
  controlPlane: RequestListener;
}

const UNFINISHED_BODY_WAIT_MS = 1000;

// Forwarding (Exchange.forward): one http-proxy instance for the process, keep-alive agents so connections to a
// target are reused, and its `proxyRes` event routed to the HttpIO of the request it answers.
// An idle connection is dropped after 4 s: before the target drops it (node's servers after 5 s, and a `Keep-Alive:
// timeout=n` hint below 4 s wins), else a request sent on it as it closes fails with ECONNRESET.
const FORWARD_AGENT_OPTIONS = { keepAlive: true, timeout: 4000 };
const FORWARD_AGENTS = { http: new HttpAgent(FORWARD_AGENT_OPTIONS), https: new HttpsAgent(FORWARD_AGENT_OPTIONS) };
const forwardTaps = new WeakMap<IncomingMessage, (proxyRes: IncomingMessage) => void>();
let sharedProxy: httpProxy | undefined;

function proxyServer(): httpProxy {
  if (sharedProxy === undefined) {
    sharedProxy = httpProxy.createProxyServer({});
    sharedProxy.on('proxyRes', (proxyRes, req) => forwardTaps.get(req)?.(proxyRes));
  }
  return sharedProxy;
}

let lastTarget: { text: string; url: URL } | undefined;

/** The target as a URL; the last one is kept, as one endpoint's proxy target is asked for again and again. */
function forwardUrl(target: ForwardTarget): URL {
  if (lastTarget?.text === target.url) return lastTarget.url;
  const url = URL.canParse(target.url) ? new URL(target.url) : undefined;
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    throw new MockgateError('bad_gateway', `proxy target "${target.url.slice(0, 200)}" is not an http(s) URL`);
  }
  lastTarget = { text: target.url, url };
  return url;
}

function gatewayError(err: Error, url: URL): MockgateError {
  const code = (err as NodeJS.ErrnoException).code ?? err.message;
  return code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT'
    ? new MockgateError('gateway_timeout', `proxy target ${url.origin} did not answer in time (${code})`, undefined, undefined, { cause: err })
    : new MockgateError('bad_gateway', `proxy target ${url.origin} cannot be reached (${code})`, undefined, undefined, { cause: err });
}

// what a buffered forward must not pass on: framing it redoes, hop-by-hop headers, HTTP/2 pseudo-headers
const NOT_FORWARDED = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade', 'te', 'trailer', 'proxy-connection']);

/**
 * Exchange.forward for transports without a socket to stream to (ListenerHost.dispatch): the request is sent whole and
 * the answer read whole, the same target URL as http-proxy builds (target path + endpoint-relative URL).
 */
export function forwardBuffered(target: ForwardTarget, request: RequestView, signal: AbortSignal): Promise<MockResponse> {
  const base = forwardUrl(target);
  const url = new URL(`${base.origin}${base.pathname.replace(/\/+$/, '')}${request.url.startsWith('/') ? '' : '/'}${request.url}`);
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined && !name.startsWith(':') && !NOT_FORWARDED.has(name)) headers[name] = value;
  }
  const body = request.rawBody();
  headers['content-length'] = body.length;
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const outgoing = send(url, { method: request.method, headers, rejectUnauthorized: target.ignoreSSLErrors !== true, signal }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.once('error', (err) => reject(gatewayError(err, url)));
      answer.once('end', () => {
        const out: OutgoingHttpHeaders = {};
        for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && !NOT_FORWARDED.has(name)) out[name] = value;
        const bytes = Buffer.concat(chunks);
        out['content-length'] = bytes.length;
        resolve({ status: answer.statusCode ?? 502, headers: out, body: bytes });
      });
    });
    outgoing.once('error', (err) => reject(gatewayError(err, url)));
    outgoing.end(body);
  });
}

/** One request's transport: reads the body once (for rules and the journal), writes the answer, remembers it. */
class HttpIO implements ExchangeIO {
  readonly started = performance.now();
  #body: BodyReader | undefined;
  /** While a blob's file is being opened (or read, for chaos): the answer may still turn into a 500. */
  #blobOpening: Promise<void> | undefined;
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
    if (response.blob !== undefined && response.delivery?.fault === undefined) return this.#sendBlob(response, response.blob, response.delivery);
    if (response.delivery !== undefined) return misdeliver(this.res, response, response.delivery);
    this.res.writeHead(response.status, response.headers);
    this.res.end(response.body);
  }

  /**
   * Streams a blob's file. It is opened before the status goes out, so a blob deleted underneath is answered with a
   * 500; a HEAD gets the headers only. Chaos that throttles or cuts the body reads the file whole (≤ --max-blob-bytes).
   */
  #sendBlob(response: MockResponse, blob: BlobRef, delivery: Delivery | undefined): void {
    const file = this.deps.blobs.file(blob);
    const failed = (err: unknown): void => {
      if (this.res.headersSent) return void this.res.destroy();
      this.response = errorResponse(unreadable(blob, err), this.deps.log);
      this.res.writeHead(this.response.status, this.response.headers).end(this.response.body);
    };
    if (delivery !== undefined) {
      this.#blobOpening = readFile(file).then((body) => misdeliver(this.res, { ...response, body }, delivery), failed);
      return;
    }
    const stream = createReadStream(file);
    this.#blobOpening = new Promise<void>((resolve) => {
      stream.once('error', (err) => {
        failed(err);
        resolve();
      });
      stream.once('ready', () => {
        this.res.writeHead(response.status, response.headers);
        if (this.req.method === 'HEAD') {
          stream.destroy();
          this.res.end();
        } else {
          // a client that goes away mid-way ends the pipeline; the file is closed either way
          pipeline(stream, this.res).catch(() => undefined);
        }
        resolve();
      });
    });
  }

  /**
   * Streams the request to the target through http-proxy and its answer back; with the journal on, a copy of the
   * answer's first maxBodyBytes is kept for it. Settles when the answer is relayed or the client is gone.
   */
  forward(target: ForwardTarget, request: RequestView, ruleId: string | undefined): Promise<void> {
    const { req, res, deps } = this;
    const url = forwardUrl(target);
    if (res.destroyed) return Promise.resolve(); // the client left while a rule waited: nobody to relay to
    const buffer = this.#bodyToForward();
    this.ruleId = ruleId;
    if (ruleId !== undefined) res.setHeader('x-beeceptor-rule-id', ruleId);
    // http-proxy appends req.url to the target's path and writes x-forwarded-* into req.headers: it gets the
    // endpoint-relative URL, and a copy of the headers when the journal (through the view) must keep the client's own
    req.url = request.url;
    if (deps.journal !== undefined) req.headers = { ...req.headers };
    const chunks: Buffer[] = [];
    let kept = 0;
    // chaos: a throttled or cut answer is relayed by hand (http-proxy's selfHandleResponse), for these requests only
    const delivery = target.delivery?.bytesPerSecond !== undefined || target.delivery?.truncateBytes !== undefined ? target.delivery : undefined;
    forwardTaps.set(req, (proxyRes) => {
      this.response = { status: proxyRes.statusCode ?? 502, headers: {} };
      const relayed = delivery === undefined ? undefined : relayMisdelivered(proxyRes, res, delivery);
      // a target that breaks off mid-answer: the client must see a broken response, not a short one that looks whole
      proxyRes.once('close', () => {
        if (!proxyRes.complete && relayed?.cut !== true) res.destroy();
      });
      if (deps.journal === undefined) return;
      proxyRes.on('data', (chunk: Buffer) => {
        if (kept >= deps.maxBodyBytes) return;
        const piece = kept + chunk.length <= deps.maxBodyBytes ? chunk : chunk.subarray(0, deps.maxBodyBytes - kept);
        chunks.push(piece);
        kept += piece.length;
      });
    });
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (err?: MockgateError): void => {
        if (settled) return;
        settled = true;
        forwardTaps.delete(req);
        this.timeTaken = performance.now() - this.started;
        if (this.response !== undefined && deps.journal !== undefined) {
          this.response.headers = res.getHeaders();
          this.response.body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, kept);
        }
        if (err === undefined) resolve();
        else reject(err);
      };
      res.once('close', () => settle());
      proxyServer().web(req, res, {
        target: target.url,
        changeOrigin: true,
        secure: target.ignoreSSLErrors !== true,
        xfwd: true,
        agent: url.protocol === 'https:' ? FORWARD_AGENTS.https : FORWARD_AGENTS.http,
        ...(buffer === undefined ? {} : { buffer }),
        ...(delivery === undefined ? {} : { selfHandleResponse: true }),
      }, (err) => {
        if (this.response === undefined && !res.headersSent) return settle(gatewayError(err, url));
        res.destroy(); // the target's answer has begun: cut it off rather than end it short
        settle();
      });
    });
  }

  /**
   * The body for http-proxy: undefined while none of it was read (it pipes the live request, with no size limit);
   * what was read, followed by the rest as it arrives, when the journal (or a rule) started reading it. The reader
   * keeps only a prefix of maxBodyBytes: once that is full, bytes may be gone and the request is too large.
   */
  #bodyToForward(): Readable | undefined {
    const reader = this.#body;
    if (reader === undefined) return undefined;
    const sofar = reader.snapshot();
    if (reader.finished) {
      if (sofar.overflow) throw payloadTooLarge(this.deps.maxBodyBytes);
      return Readable.from([sofar.bytes]);
    }
    if (sofar.bytes.length >= this.deps.maxBodyBytes) throw payloadTooLarge(this.deps.maxBodyBytes);
    // same tick as the snapshot: no chunk can arrive in between
    const body = new PassThrough();
    body.write(sofar.bytes);
    this.req.pipe(body);
    return body;
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
    if (this.#blobOpening !== undefined) {
      const opening = this.#blobOpening;
      this.#blobOpening = undefined;
      return void opening.then(() => this.journal(endpoint, view, note, date));
    }
    const { req, response } = this;
    const { journal } = this.deps;
    if (response === undefined || journal === undefined) return;
    const blob = response.blob === undefined ? {} : { responseBlob: { path: response.blob.path, size: response.blob.size } };
    const record = (body: CollectedBody): void => journal.record({
      id: newId(), endpoint: endpoint.name, date, timeTaken: this.timeTaken, method: view.method, url: view.url,
      httpVersion: `HTTP/${req.httpVersion}`, requestHeaders: view.headers, requestBody: body.bytes, requestSize: body.size,
      status: response.status, responseHeaders: response.headers ?? {}, responseBody: response.body, ruleId: this.ruleId,
      note, journal: endpoint.settings.journal, ...blob,
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
    // CORS preflight, security header, rate limit: a gate that answers keeps the request from every rule
    const gated = passGates(served.gates, req, res);
    if (gated !== undefined) {
      io.send(gated.response, undefined);
      return io.journal(served, view, gated.note, date);
    }
    serveOrRecord(endpoints, served, view, io).then(
      (exchange) => io.journal(served, view, exchange.note, date),
      (err: unknown) => {
        io.fail(err);
        io.journal(served, view, undefined, date);
      },
    );
  };
}
