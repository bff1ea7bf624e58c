// Composition root: createMockgate(config) → a server with the data plane, the control plane and the plugins' listeners.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Blobs } from './blobs/blobs.js';
import type { CallRecord, DispatchRequest, JournalMessage, ListenerHost, Logger, MockResponse, RunningListener } from './contract.js';
import { Endpoints } from './endpoints/endpoints.js';
import { createEndpointResolver } from './endpoints/resolve-endpoint.js';
import { MockgateError } from './errors.js';
import { createControlPlane } from './http/control-plane.js';
import { createDataPlane, forwardBuffered } from './http/data-plane.js';
import { errorResponse } from './http/send-error.js';
import { newId } from './ids.js';
import { Journal } from './journal/journal.js';
import { createLogger } from './logger.js';
import { VERSION } from './package-root.js';
import { BUILTIN_PLUGINS } from './plugins/builtin-plugins.js';
import { loadUserPlugins } from './plugins/load-plugins.js';
import { serveOrRecord } from './recording/recordings.js';
import { createRegistry, type Registry } from './plugins/registry.js';
import { RequestView } from './request/mock-request.js';
import { StateService } from './state/state-service.js';
import { DataStoreService } from './data-stores/data-store-service.js';
import { databasePath, openSqliteStore } from './store/sqlite-store.js';
import type { MockgateConfig } from './config.js';
import { RenderPool } from './templates/render-pool.js';
import { SpecJobs } from './specs/spec-jobs.js';
import { availableParallelism } from 'node:os';

// the spec worker's heap bounds what a spec bomb can take
const SPEC_WORKER_HEAP_MB = 2048;

export interface MockgateOptions {
  /** The plugin list; default: the built-ins plus the config's `plugins`. */
  plugins?: readonly unknown[];
  log?: Logger;
  /** The clock of the journal (dates, retention) and of blobs (their age for the sweep); tests move it. */
  now?: () => number;
}

export interface Mockgate {
  readonly registry: Registry;
  readonly endpoints: Endpoints;
  readonly journal: Journal;
  /** The template worker pool (its `stats` count renders, timeouts and errors). */
  readonly templates: RenderPool;
  /** Starts the HTTP server and the plugins' listeners; resolves with one URL per listener, HTTP first. */
  listen(): Promise<string[]>;
  /** The HTTP base URL, once listening. */
  readonly url: string;
  /** Stops accepting, answers in-flight requests (cutting their delays short), closes the store. */
  close(): Promise<void>;
}

export async function createMockgate(config: MockgateConfig, options: MockgateOptions = {}): Promise<Mockgate> {
  const log = options.log ?? createLogger(config.logLevel);
  const plugins = options.plugins ?? [...BUILTIN_PLUGINS, ...(await loadUserPlugins(config.plugins))];
  const registry = await createRegistry(plugins, { maxRepeat: config.templateMaxRepeat });
  const store = openSqliteStore(config.dataDir);
  const state = new StateService(store.state, log);
  const dataStores = new DataStoreService(store.dataStores);
  const templates = new RenderPool({
    poolSize: config.templatePoolSize || Math.max(1, availableParallelism() - 1),
    timeoutMs: config.templateTimeoutMs,
    cacheSize: config.templateCacheSize,
    maxRepeat: config.templateMaxRepeat,
    workerHeapMb: config.templateWorkerHeapMb,
    ...(config.fakerSeed === undefined ? {} : { fakerSeed: config.fakerSeed }),
  }, registry.helperModules, state);
  const blobs = new Blobs({ store: store.blobs, dir: join(config.dataDir, 'blobs'), now: options.now ?? Date.now, log });
  const endpoints = new Endpoints(store, registry, log, state, dataStores, templates, blobs);
  // blobs no rule has used for a day go: at start-up (finished before listening), then hourly
  const sweepBlobs = (): Promise<unknown> => endpoints.sweepBlobs().catch((err: unknown) => log.error({ err }, 'blob sweep failed'));
  let blobSweep = sweepBlobs();
  await blobSweep;
  const blobSweepTimer = setInterval(() => void (blobSweep = sweepBlobs()), 60 * 60 * 1000).unref();
  const shutdown = new AbortController();
  // with journaling off the journal still answers the history APIs (empty) and their deletes
  const journal = new Journal({
    dbPath: databasePath(config.dataDir),
    log,
    now: options.now ?? Date.now,
    maxBodyBytes: config.journalMaxBodyBytes,
    maxEntries: config.journalMaxEntries,
    retentionMs: config.journalRetentionDays * 86_400_000,
  });

  const resolve = createEndpointResolver(config.baseDomain, endpoints.customDomains);
  const specs = new SpecJobs(endpoints, registry, log, { timeoutMs: config.specTimeoutMs, workerHeapMb: SPEC_WORKER_HEAP_MB });
  const controlPlane = createControlPlane({
    endpoints, registry, journal, journalStore: store.journal, state, dataStores, specs, maxSpecBytes: config.maxSpecBytes,
    apiKey: config.apiKey, log, version: VERSION, startedAt: Date.now(), blobs, maxBlobBytes: config.maxBlobBytes,
  });
  const server: Server = createServer({
    headersTimeout: config.headersTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    // node checks the two timeouts above only this often (30 s by default)
    connectionsCheckingInterval: 1000,
  }, createDataPlane({
    endpoints,
    resolve,
    autoCreate: config.autoCreateEndpoints,
    maxBodyBytes: config.maxBodyBytes,
    blobs,
    journal: config.journal ? journal : undefined,
    log,
    shutdown: shutdown.signal,
    controlPlane,
  }));
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') return void socket.destroy();
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  });

  const listenerPorts: Record<string, number> = { grpc: config.grpcPort };
  const host: ListenerHost = {
    log,
    bindHost: config.host,
    port: (name) => listenerPorts[name],
    endpointFromHost: (name) => resolve({ url: '/', headers: { host: name } } as IncomingMessage)?.name,
    watchDocuments: (path, onChange) => endpoints.watchDocuments(path, onChange),
    dispatch: (name, request) => dispatch(endpoints, name, request, { log, shutdown: shutdown.signal, autoCreate: config.autoCreateEndpoints, journal: config.journal ? journal : undefined, blobs }),
  };
  const listeners: RunningListener[] = [];
  let url = '';

  return {
    registry,
    endpoints,
    journal,
    templates,
    get url() {
      return url;
    },
    async listen() {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const { port } = server.address() as AddressInfo;
      url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
      try {
        for (const listener of registry.listeners) listeners.push(await listener.start(host));
      } catch (err) {
        await Promise.allSettled(listeners.map((l) => l.close()));
        await new Promise<void>((resolve) => server.close(() => resolve()));
        throw err;
      }
      return [url, ...listeners.map((l) => l.url)];
    },
    async close() {
      shutdown.abort();
      journal.endStreams();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // connections that finish their last response become idle: close them as they do
      const sweep = setInterval(() => server.closeIdleConnections(), 25);
      const deadline = new Promise<void>((resolve) => setTimeout(resolve, config.shutdownTimeoutMs).unref());
      await Promise.race([closed, deadline]);
      clearInterval(sweep);
      server.closeAllConnections();
      await Promise.all(listeners.map((l) => l.close()));
      await specs.close();
      await journal.close(); // writes what the last in-flight requests recorded
      await templates.close();
      clearInterval(blobSweepTimer);
      await blobSweep;
      state.flush();
      store.close();
    },
  };
}

/** A protocol listener's request through the same rules, fallbacks and journal as HTTP traffic. */
async function dispatch(endpoints: Endpoints, name: string, request: DispatchRequest,
  { log, shutdown, autoCreate, journal, blobs }: { log: Logger; shutdown: AbortSignal; autoCreate: boolean; journal: Journal | undefined; blobs: Blobs }): Promise<MockResponse> {
  const endpoint = endpoints.get(name) ?? (autoCreate ? endpoints.getOrCreate(name) : undefined);
  if (!endpoint) throw new MockgateError('not_found', `endpoint "${name}" does not exist`);
  // conditions look headers up by lower-case name, as node gives them for HTTP
  const headers = Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const view = new RequestView(request.method.toUpperCase(), request.url.startsWith('/') ? request.url : `/${request.url}`,
    headers, request.transport);
  const body = request.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body);
  view.setBody(body);
  const date = journal?.now ?? Date.now();
  const started = performance.now();
  let response: MockResponse | undefined;
  let ruleId: string | undefined;
  const send = (r: MockResponse, id: string | undefined): void => {
    ruleId = id;
    response = id === undefined ? r : { ...r, headers: { ...r.headers, 'x-beeceptor-rule-id': id } };
  };
  const { signal, completion } = request;
  const exchange = await serveOrRecord(endpoints, endpoint, view, {
    log,
    shutdown,
    send,
    forward: async (target, forwarded, id) => send(await forwardBuffered(target, forwarded, shutdown), id),
    ...(signal === undefined ? {} : { onClientGone: (gone: () => void) => signal.addEventListener('abort', gone, { once: true }) }),
  });
  const { blob } = response!;
  const answered = blob === undefined ? response! : await withBlobBytes(response!, blobs, log);
  if (journal === undefined) return answered;
  const entry = (call?: CallRecord): void => journal.record({
    id: newId(), endpoint: name, date, timeTaken: performance.now() - started, method: view.method, url: view.url,
    httpVersion: request.transport, requestHeaders: headers, requestBody: body, requestSize: body.length,
    status: answered.status, responseHeaders: { ...answered.headers, ...call?.trailers },
    responseBody: call === undefined ? answered.body : messagesBody(call.responseMessages), ruleId,
    note: exchange.note, journal: endpoint.settings.journal,
    ...(blob === undefined || answered.blob === undefined ? {} : { responseBlob: { path: blob.path, size: blob.size } }),
    ...(call === undefined ? {} : { messages: { request: call.requestMessages, response: call.responseMessages } }),
  });
  if (completion === undefined) entry();
  else completion.then(entry, (err: unknown) => log.error({ err, endpoint: name }, 'a streamed call ended without its record'));
  return answered;
}

/** A listener's answer carries bytes: a blob is read whole (there is no socket to stream the file to). */
async function withBlobBytes(response: MockResponse, blobs: Blobs, log: Logger): Promise<MockResponse> {
  try {
    return { ...response, body: await blobs.read(response.blob!) };
  } catch (err) {
    return errorResponse(err, log);
  }
}

/** A streamed call's response body in the journal: its one message, or the list of them. */
function messagesBody(messages: readonly JournalMessage[]): string {
  return JSON.stringify(messages.length === 1 ? messages[0]!.body : messages.map((m) => m.body));
}
