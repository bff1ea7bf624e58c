// The plugin contract: the only core module a plugin may import. Built-in plugins use it exactly as user plugins do.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { ChaosBlock } from './chaos/chaos.js';

export { MockgateError, isMockgateError, type ErrorCode } from './errors.js';

export const CONTRACT_VERSION = 1;

/** A request as conditions and actions see it: endpoint-relative, body read at most once, parsers memoised. */
export interface MockRequest {
  readonly method: string;
  /** Endpoint-relative path without the query string, e.g. `/users/7`. */
  readonly path: string;
  /** Endpoint-relative path with the query string, e.g. `/users/7?full=1`. */
  readonly url: string;
  /** What the client put before the endpoint-relative path (`/e/demo` when routed by path prefix, '' by host): for links back. */
  readonly mountPath: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly transport: 'http' | 'https' | 'grpc' | (string & {});
  /** The raw body; empty until read. The core reads it before matching when a candidate rule `needs` it. */
  rawBody(): Buffer;
  /** The body as UTF-8 text. */
  text(): string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json(): unknown;
  /** The body as url-encoded form fields, or undefined when it is not a form. */
  form(): URLSearchParams | undefined;
}

/** A header value as a single string: repeated headers joined the way node joins them. */
export function headerValue(request: MockRequest, lowerCaseName: string): string | undefined {
  const value = request.headers[lowerCaseName];
  return Array.isArray(value) ? value.join(', ') : value;
}

export type StateType = 'string' | 'counter' | 'list';

/** One state item of an endpoint; `string` holds any JSON value, `counter` an integer, `list` an array. */
export interface StateItem {
  type: StateType;
  key: string;
  value: unknown;
  /** Epoch milliseconds. */
  lastModified: number;
}

/** Synchronous reads of the endpoint's state, for matchers. */
export interface StateReader {
  get(type: StateType, key: string): StateItem | undefined;
}

/** The endpoint's state; every call is applied atomically, in order, by the one owner of the store. */
export interface StateApi extends StateReader {
  set(type: StateType, key: string, value: unknown): StateItem;
  /** Adds `by` (default 1) to a counter, creating it at 0 first; returns the new value. */
  increment(key: string, by?: number): number;
  /** Appends to a list, creating it first; returns the new length. */
  push(key: string, value: unknown): number;
  delete(type: StateType, key: string): boolean;
}

/** A data store of an endpoint: JSON records under string keys, an optional data structure, a size limit. */
export interface DataStoreInfo {
  readonly id: number;
  readonly name: string;
  /** How many records it holds. */
  readonly records: number;
  /** Bytes of its records' stored JSON. */
  readonly size: number;
  readonly maxSizeMB: number;
  readonly datastructureId: number | null;
}

/** One record of a data store; records are JSON objects. */
export interface DataRecord {
  key: string;
  data: Record<string, unknown>;
}

/**
 * The data stores of the endpoint. Every write is one transaction; it throws a MockgateError: `not_found` (no such
 * store), `conflict` (key taken), `validation_error` at `/data/…` (the store's data structure refuses it) or
 * `payload_too_large` (over `maxSizeMB`, unless the endpoint's `crud.autoDelete` purges the oldest records first).
 */
export interface DataStoreApi {
  /** The store with this id, or undefined when the endpoint has none. */
  get(id: number): DataStoreInfo | undefined;
  /** The store the endpoint keeps for a CRUD collection path (named after it); with `create`, made on first use. */
  collection(path: string, create: boolean): DataStoreInfo | undefined;
  /** Records in insertion order (all of them unless `limit` ≥ 0); `where` keeps those whose top-level fields equal the text (scalars compared as text). */
  records(storeId: number, options?: { offset?: number; limit?: number; where?: Readonly<Record<string, string>> }): DataRecord[];
  /** The record, or undefined when it (or the store, in this endpoint) is not there. */
  record(storeId: number, key: string): DataRecord | undefined;
  /** Adds a record; `conflict` when the key exists. */
  insert(storeId: number, record: DataRecord): DataRecord;
  /** Replaces the data of an existing record; undefined when there is none. */
  replace(storeId: number, key: string, data: Record<string, unknown>): DataRecord | undefined;
  /** Merges `data` into an existing record's top-level fields; undefined when there is none. */
  merge(storeId: number, key: string, data: Record<string, unknown>): DataRecord | undefined;
  /** Removes a record and returns it; undefined when there was none. */
  remove(storeId: number, key: string): DataRecord | undefined;
}

export interface MatchContext {
  /** Values captured by the rule being tried (path template parameters, named regex groups). */
  captures: Record<string, string> | undefined;
  /** The endpoint's state, read-only: matching has no side effects. */
  readonly state: StateReader;
}

/** Synchronous and side-effect free, so matching stays cheap and deterministic. */
export type Matcher = (request: MockRequest, ctx: MatchContext) => boolean;

/** A regular expression compiled by the core's linear-time engine: no input can make it stall. */
export interface SafeRegex {
  readonly source: string;
  /** Names of the named groups, in pattern order. */
  readonly groupNames: readonly string[];
  test(input: string): boolean;
  /** Named groups of the first match, or undefined when there is no match. */
  groups(input: string): Record<string, string> | undefined;
}

export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

/** A Handlebars template checked when the rule was written; the template worker compiles and renders it. */
export interface TemplateRef {
  /** Hash of the source: the worker's cache key. */
  readonly key: string;
  readonly source: string;
  /** It reads the request body, so the action must `readBody()` before rendering (render does it). */
  readonly needsBody: boolean;
}

/** A file uploaded to the endpoint (`POST /api/v2/endpoints/{endpoint}/blobs`), as a rule refers to it. */
export interface BlobRef {
  /** The `blobPath` the upload answered with. */
  readonly path: string;
  readonly contentType: string;
  /** Bytes. */
  readonly size: number;
}

export interface CompileContext {
  /** JSON pointer of the thing being compiled, e.g. `/conditions/2` or `/action`. */
  readonly pointer: string;
  /** The one regex compiler; an invalid or unsupported pattern is a validation error at pointer/field. */
  regex(source: string, field?: string, options?: { caseInsensitive?: boolean }): SafeRegex;
  /** Compiles a `chaos` block (valid against `chaosSchema`); its seeded sequence starts here. */
  chaos(block: object, field?: string): Chaos;
  /**
   * The one template pipeline: parses now, so a syntax error, an unknown helper or a bad literal argument is a
   * validation error at pointer/field; the worker compiles it on first use.
   */
  template(source: string, field?: string): TemplateRef;
  /**
   * A blob of the endpoint, for `MockResponse.blob`; none by that path is a validation error at pointer/field. The
   * core notes which rules use which blobs: a blob no rule uses any more is deleted. Only rules may use blobs.
   */
  blob(path: string, field?: string): BlobRef;
  /** Throws a validation error at pointer/field. */
  fail(message: string, field?: string): never;
  readonly log: Logger;
}

/** What a condition tells the core so it can skip rules that cannot match, without changing which rule wins. */
export interface IndexHint {
  /** The rule can only match a request whose path (no query) is exactly this. */
  exactPath?: string;
  /** The rule can only match a request whose path begins with these whole segments (`['api', 'users']` for `/api/users/:id`). */
  segments?: readonly string[];
}

export type RequestPart = 'body';

export interface ConditionType<C extends { type: string } = { type: string }> {
  /** Discriminator in rule JSON: 'header', 'grpc_method', … */
  readonly type: C['type'];
  /** JSON schema of the condition, checked before compile. */
  readonly schema: object;
  /** What the matcher reads; `body` makes the core read the body before matching. */
  readonly needs?: readonly RequestPart[];
  hint?(condition: C): IndexHint | undefined;
  compile(condition: C, cx: CompileContext): Matcher;
}

export interface MockResponse {
  status: number;
  headers?: OutgoingHttpHeaders;
  body?: Buffer | string;
  /**
   * Instead of `body`: the bytes of this blob (the very object `cx.blob` returned), streamed from storage. The headers
   * should carry its content-length (`prepareResponse` with a `blob` does it).
   */
  blob?: BlobRef;
  /** Chaos: how the transport delivers it wrongly on purpose. */
  delivery?: Delivery;
}

/** A socket fault: a reset connection (RST), a connection closed with no answer, or bytes that are not HTTP. */
export type SocketFault = 'connection_reset' | 'empty_reply' | 'malformed_response';

export interface Delivery {
  /** Instead of the answer. */
  fault?: SocketFault;
  /** The body trickles out at this rate. */
  bytesPerSecond?: number;
  /** Only this many body bytes are sent (the headers promise all of them), then the connection closes. */
  truncateBytes?: number;
}

/** What a `chaos` block decided for one answer. */
export interface ChaosOutcome {
  /** To wait before answering (0: none). */
  latencyMs: number;
  /** Answer this error (see `injectedError`) instead. */
  errorStatus?: number;
  /** Deliver the answer wrongly this way. */
  delivery?: Delivery;
}

/** A compiled `chaos` block: what happens to the answers of a rule, request by request. */
export interface Chaos {
  /** Waits the latency it draws, then returns the response as the client is to receive it. */
  apply(exchange: Exchange, response: MockResponse): Promise<MockResponse>;
  /**
   * Draws this request's decision (the next one of the block's sequence) and notes it for the journal, without
   * waiting or answering: for answers apply() cannot take whole, a forwarded one say.
   */
  decide(exchange: Exchange): ChaosOutcome;
}

export { chaosSchema, injectedError, type ChaosBlock } from './chaos/chaos.js';
export {
  delaySchema, headersSchema, prepareResponse, staticResponse, statusSchema,
  type HeaderSpec, type RenderResponse, type ResponseSpec,
} from './mock-response.js';

/** The `EndpointSettings` of the OpenAPI document, with every field filled in. */
export interface EndpointSettings {
  security: { enabled: boolean; headerKey: string; headerValue: string };
  /**
   * `origins` is the document's; the rest are mockgate's additions, absent unless set (CORS_DEFAULTS applies):
   * allowed methods, allowed request headers (absent: the preflight's own list is echoed), exposed response
   * headers, credentials, and how long a browser may cache a preflight answer, in seconds.
   */
  cors: { origins: string[]; methods?: string[]; headers?: string[]; exposeHeaders?: string[]; credentials?: boolean; maxAge?: number };
  locale: 'en' | 'en_GB' | 'en_IN' | 'en_US' | 'fr' | 'id_ID' | 'ja' | 'pt_BR' | 'es' | 'es_MX' | 'zh_CN';
  rateLimit: { enabled: boolean; rate: number; period: 'Second' | 'Minute' | 'Hour' };
  crud: { autoDelete: boolean };
  customDomain: { enabled: boolean; domain: string };
  mtls: { enabled: boolean };
  localTunnel: boolean;
  /** `chaos` is mockgate's addition, absent unless set: chaos on the answers the proxy step relays. */
  proxy: { targetUrl: string; ignoreSSLErrors: boolean; chaos?: ChaosBlock };
  rules: { enabled: boolean };
  /** mockgate's addition: request journal retention and header masking for this endpoint. */
  journal: { maxEntries?: number; maskHeaders: boolean; maskedHeaders: string[] };
  /**
   * mockgate's addition: how the endpoint's spec answers. `validateRequests` checks requests against the operation
   * (parameters, body, security) before answering; `seed`, absent unless set, makes generated values repeatable.
   */
  specs: { validateRequests: boolean; seed?: number };
}

export interface EndpointView {
  readonly name: string;
  readonly settings: Readonly<EndpointSettings>;
  /** The text of a document the endpoint holds (see DocumentType), by its path. */
  document(path: string): string | undefined;
}

/**
 * A document an endpoint can hold for a plugin — a GraphQL SDL, a WSDL, protos — uploaded as the raw body of
 * `PUT /api/v2/endpoints/{endpoint}/{path}` (up to 10 MB), read back with GET, removed with DELETE. The core stores it;
 * fallback steps read it through `EndpointView.document(path)` when the endpoint's snapshot is compiled.
 */
export interface DocumentType {
  /** Below the endpoint, e.g. `graphql/schema`: lowercase segments. */
  readonly path: string;
  /** The media types an upload may have (parameters aside); the first is the one GET answers with. */
  readonly contentTypes: readonly string[];
  /**
   * Refuses an upload through `cx.fail(message)` (a 400 validation_error naming the reason). A spec's document (one an
   * importer names) is checked by its importer's `prepare` instead.
   */
  check?(text: string, cx: CompileContext): void;
}

export interface JournalNote {
  behavior?: string;
  weightedResponse?: string;
  [key: string]: unknown;
}

/** Where `Exchange.forward` sends a request. */
export interface ForwardTarget {
  /** An http(s) URL; the request's endpoint-relative path and query are appended to its path. */
  url: string;
  /** Accept a target certificate that does not verify (self-signed, expired, wrong host). */
  ignoreSSLErrors?: boolean;
  /** Chaos: relay the target's answer throttled or cut short (`bytesPerSecond`, `truncateBytes`). */
  delivery?: Delivery;
}

export interface Exchange {
  readonly request: MockRequest;
  readonly captures: Readonly<Record<string, string>>;
  readonly endpoint: EndpointView;
  /** Requests of this endpoint being served right now, this one included. */
  readonly inFlight: number;
  readonly state: StateApi;
  readonly dataStores: DataStoreApi;
  /** Aborted when the client goes away or the server shuts down. */
  readonly signal: AbortSignal;
  readonly log: Logger;
  /**
   * Reads the request body if the core has not (it reads it before matching only for conditions that need it);
   * afterwards `request.rawBody()`, `text()` and `json()` see it. Rejects with `payload_too_large` over the limit.
   */
  readBody(): Promise<Buffer>;
  /**
   * Renders a template on the worker pool with this request (and `extra` as `{{extra.…}}`). Rejects with a
   * MockgateError: `template_timeout` when it runs past the limit, `template_error` when a helper throws.
   */
  render(template: TemplateRef, extra?: Readonly<Record<string, unknown>>): Promise<string>;
  respond(response: MockResponse): void;
  /**
   * Answers by forwarding the request (method, headers, body) to `target.url` + the endpoint-relative path and query,
   * and relaying the target's answer to the client as it streams in. Notes behavior `proxy` unless one is noted
   * already. Rejects with `bad_gateway` when the target cannot be reached (`gateway_timeout` when it times out).
   */
  forward(target: ForwardTarget): Promise<void>;
  /** Facts for the request journal: behavior, weighted choice, callout details. */
  annotate(note: JournalNote): void;
}

/** Returns false, without responding, to let the fallback chain answer (a fault that did not fire, say). */
export type Responder = (exchange: Exchange) => void | false | Promise<void | false>;

export interface ActionType<A extends { type: string } = { type: string }> {
  readonly type: A['type'];
  readonly schema: object;
  /** Checks a rule can't express in JSON schema (e.g. weights summing to 100); throw via cx.fail. */
  compile(action: A, cx: CompileContext): Responder;
}

/** One step of the no-match chain. It answers (and returns true) or passes to the next step. */
export type FallbackHandler = (exchange: Exchange) => boolean | Promise<boolean>;

export interface FallbackStep {
  readonly name: string;
  /** Position in the chain, lowest first; equal orders are a load error. The core's default answer is always last. */
  readonly order: number;
  /** Compiled when the endpoint's settings change; undefined when the step is not configured for this endpoint. */
  compile(endpoint: EndpointView, cx: CompileContext): FallbackHandler | undefined;
}

export interface SpecFile {
  readonly name: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
}

/** How a spec import reports where it is: `stage('dereferencing', 40)`. Progress only moves forward. */
export interface JobProgress {
  stage(name: string, progress: number, message?: string): void;
}

export interface SpecOptions {
  /** Generation leans on names and descriptions for realism (heuristics, no network). */
  readonly intelligenceMock: boolean;
}

/** What an importer's `prepare` module makes of an uploaded spec. */
export interface PreparedSpec {
  /** Stored as the importer's document: what its fallback step compiles, quickly, at every start. */
  readonly text: string;
  /** The operations the spec answers (`GET /pet/{petId}`, `pkg.Service/Method`, `query user`), for GET …/specs. */
  readonly operations: readonly string[];
  /** Counts for the job's result, e.g. `{schemas: 7}`; `operations` is added by the core. */
  readonly result?: Readonly<Record<string, number>>;
}

/** The default export of an importer's `prepare` module. It runs in a worker thread: a large spec never blocks traffic. */
export type PrepareSpec = (file: SpecFile, job: JobProgress, options: SpecOptions) => Promise<PreparedSpec>;

/**
 * A kind of API description an endpoint can be given through `POST /api/v2/endpoints/{e}/specs` (and through its
 * document's own path). The prepared spec is stored as the plugin's document `document`; an endpoint holds one spec.
 */
export interface SpecImporter {
  /** The job's `type`: 'oas' | 'wsdl' | 'grpc' | 'graphql' | … */
  readonly kind: string;
  /** The `type` GET …/specs answers: 'openapi' | 'wsdl' | 'grpc' | 'graphql' | … */
  readonly specType: string;
  /** Path of one of the plugin's `documents`. */
  readonly document: string;
  /** A cheap look at the upload, on the main thread: is it this importer's kind? */
  detect(file: SpecFile): boolean;
  /** A module whose default export is a PrepareSpec; it parses, validates and prepares in a worker thread. */
  readonly prepare: URL;
  /** Editable v2 rules (JSON, checked like any rule write) for `POST …/specs/rules`, from the stored document. */
  rules?(document: string): object[];
}

export interface DispatchRequest {
  method: string;
  /** Endpoint-relative path, with or without a query string. */
  url: string;
  headers?: IncomingHttpHeaders;
  body?: Buffer | string;
  transport: string;
  /** Aborts `Exchange.signal` (a delay, a callout) when the caller goes away: a cancelled call, a passed deadline. */
  signal?: AbortSignal;
  /**
   * For a call that goes on after its answer (a stream): the journal entry waits for this and records its messages.
   * Without it the entry is written when the answer is ready.
   */
  completion?: Promise<CallRecord>;
}

/** One message of a streamed call, for the journal. */
export interface JournalMessage {
  body: unknown;
  headers?: Record<string, string>;
  /** ISO 8601. */
  timestamp: string;
}

export interface CallRecord {
  /** Shown as `request.messages` and `response.messages` of the journal entry. */
  requestMessages: JournalMessage[];
  responseMessages: JournalMessage[];
  /** Headers the call ended with (gRPC trailers), journaled with the response headers. */
  trailers?: Record<string, string>;
}

export interface ListenerHost {
  readonly log: Logger;
  /** The interface the server listens on (`--host`). */
  readonly bindHost: string;
  /** The port configured for a listener by its name (`--grpc-port` for `grpc`); 0 picks a free one. */
  port(listener: string): number | undefined;
  /** The endpoint a host name addresses — `<endpoint>.<base-domain>` or a custom domain — as for HTTP's Host header. */
  endpointFromHost(host: string): string | undefined;
  /**
   * Calls `onChange` for every endpoint document held at `path` now, then on each change (text undefined: removed,
   * the endpoint's deletion included). Returns the unsubscribe function.
   */
  watchDocuments(path: string, onChange: (endpoint: string, text: string | undefined) => void): () => void;
  /** Runs a request through an endpoint's rules and fallbacks exactly as the HTTP data plane does. */
  dispatch(endpoint: string, request: DispatchRequest): Promise<MockResponse>;
}

export interface RunningListener {
  /** Printed at start-up, one line per listener. */
  readonly url: string;
  close(): Promise<void>;
}

export interface ProtocolListener {
  readonly name: string;
  start(host: ListenerHost): Promise<RunningListener>;
}

export interface PluginSpec {
  /** Lowercase; for a built-in plugin, its folder name. */
  readonly name: string;
  readonly contract: typeof CONTRACT_VERSION;
  readonly dependsOn?: readonly string[];
  readonly conditions?: readonly ConditionType[];
  readonly actions?: readonly ActionType[];
  readonly importers?: readonly SpecImporter[];
  readonly fallbacks?: readonly FallbackStep[];
  /** A module whose default export (see defineHelpers) the template worker imports. */
  readonly helpers?: URL;
  readonly listeners?: readonly ProtocolListener[];
  readonly documents?: readonly DocumentType[];
}

export const PLUGIN_BRAND: unique symbol = Symbol.for('mockgate.plugin') as never;
export type Plugin = PluginSpec & { readonly [PLUGIN_BRAND]: true };

export function definePlugin(spec: PluginSpec): Plugin {
  if (!/^[a-z][a-z0-9-]{0,39}$/.test(spec.name)) {
    throw new TypeError(`plugin name "${spec.name}" must be lowercase letters, digits and dashes`);
  }
  return Object.freeze({ ...spec, [PLUGIN_BRAND]: true as const });
}

export const defineCondition = <C extends { type: string }>(condition: ConditionType<C>): ConditionType<C> => condition;
export const defineAction = <A extends { type: string }>(action: ActionType<A>): ActionType<A> => action;
/** The request as a template sees it (the root context's `request`): plain data, copied to the worker. */
export interface TemplateRequest {
  method: string;
  path: string;
  url: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string | string[] | undefined>;
  /** The body as text; only sent when some helper of the template reads it. */
  body?: string;
}

/** The root context of every template. */
export interface TemplateRoot {
  request: TemplateRequest;
  /** Values captured by the matched rule (path template parameters, named regex groups). */
  params: Record<string, string>;
  endpoint: { name: string; locale: EndpointSettings['locale'] };
  /** What the action passed to `render` as extra data. */
  extra?: Readonly<Record<string, unknown>>;
}

/** The endpoint's state inside the template worker: each call is a synchronous round trip to the store's owner. */
export interface TemplateState {
  get(type: StateType, key: string): unknown;
  set(type: StateType, key: string, value: unknown): void;
  delete(type: StateType, key: string): void;
  /** Adds `by` (may be negative) to a counter; throws when it would go below 0. Returns the new value. */
  increment(key: string, by: number): number;
  /**
   * A list operation applied atomically by the owner: push, push-unique, unshift, pop, shift, get (the list, or the
   * item at index `value`, negative from the end), size, contains, delete (the first item equal to `value`), reset.
   */
  list(op: string, key: string, value?: unknown): unknown;
}

/** What a helper finds in `options.data` besides Handlebars' own fields. */
export interface TemplateData {
  root: TemplateRoot;
  state: TemplateState;
}

/** A helpers module's default export: plain functions, run inside the template worker. */
export const defineHelpers = <H extends Record<string, (...args: never[]) => unknown>>(helpers: H): H => helpers;

/**
 * Builds once per text: a document's compiled form (a schema, a WSDL, protos) is rebuilt when its text changes, not
 * on every rule or settings write that recompiles the endpoint. The last `size` texts' results are kept.
 */
export function memoizeByText<T>(build: (text: string) => T, size = 16): (text: string) => T {
  const results = new Map<string, T>();
  return (text) => {
    let result = results.get(text);
    if (result === undefined) {
      result = build(text);
      if (results.size >= size) results.delete(results.keys().next().value!);
      results.set(text, result);
    }
    return result;
  };
}

/** Waits ms milliseconds, or less when the signal aborts (client gone, server shutting down); never rejects. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
