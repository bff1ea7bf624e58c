// The Exchange of one request: how an action answers, and what it notes for the journal. Transport-neutral.
import type { DataStoreApi, Exchange, ForwardTarget, JournalNote, Logger, MockResponse, StateApi, TemplateRef, TemplateRoot } from '../contract.js';
import type { Endpoint } from '../endpoints/endpoints.js';
import { MockgateError, isMockgateError } from '../errors.js';
import type { RequestView } from '../request/mock-request.js';
import { inFlightOf } from './serve-endpoint.js';
import type { CheckedTemplate } from '../templates/check-template.js';

/** What the transport (HTTP server, or a protocol listener's dispatch) supplies to an exchange. */
export interface ExchangeIO {
  readonly log: Logger;
  readonly shutdown: AbortSignal;
  /** Registers a callback for when the client goes away; absent where there is no client connection. */
  onClientGone?(callback: () => void): void;
  /** Reads the request body; absent where the body came with the request (it is in the view already). */
  readBody?(): Promise<Buffer>;
  send(response: MockResponse, ruleId: string | undefined): void;
  /**
   * Forwards the request to the target and relays its answer, remembering what was relayed for the journal; settles
   * once the answer has been relayed (or the client went away). Rejects only while nothing has reached the client (a
   * target that breaks off later breaks the client's connection). Absent where the transport cannot forward.
   */
  forward?(target: ForwardTarget, request: RequestView, ruleId: string | undefined): Promise<void>;
}

export class CoreExchange implements Exchange {
  responded = false;
  /** Set for a v1 `mock: false` rule: its action's answer is dropped so the fallback chain can answer. */
  dropNextResponse = false;
  note: JournalNote | undefined;
  #signal: AbortSignal | undefined;
  #bodyRead = false;

  constructor(
    readonly request: RequestView,
    readonly endpoint: Endpoint,
    readonly captures: Readonly<Record<string, string>>,
    readonly ruleId: string | undefined,
    private readonly io: ExchangeIO,
  ) {}

  get inFlight(): number {
    return inFlightOf(this.endpoint.name);
  }

  get state(): StateApi {
    return this.endpoint.state;
  }

  get dataStores(): DataStoreApi {
    return this.endpoint.dataStores;
  }

  get log(): Logger {
    return this.io.log;
  }

  /** Created on first use only: most responses never wait on anything. */
  get signal(): AbortSignal {
    if (this.#signal === undefined) {
      if (this.io.onClientGone) {
        const client = new AbortController();
        this.io.onClientGone(() => client.abort());
        this.#signal = AbortSignal.any([client.signal, this.io.shutdown]);
      } else {
        this.#signal = this.io.shutdown;
      }
    }
    return this.#signal;
  }

  async readBody(): Promise<Buffer> {
    if (!this.#bodyRead && this.io.readBody) this.request.setBody(await this.io.readBody());
    this.#bodyRead = true;
    return this.request.rawBody();
  }

  /** Sends the worker only what the template reads: headers and body travel only when a helper asks for them. */
  async render(template: TemplateRef, extra?: Readonly<Record<string, unknown>>): Promise<string> {
    const checked = template as CheckedTemplate;
    if (checked.needsBody) await this.readBody();
    const { request, endpoint } = this;
    const query: Record<string, string | string[]> = {};
    for (const [name, value] of request.query) {
      const previous = query[name];
      query[name] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
    }
    const root: TemplateRoot = {
      request: { method: request.method, path: request.path, url: request.url, query, headers: checked.needsHeaders ? request.headers : {} },
      params: this.captures,
      endpoint: { name: endpoint.name, locale: endpoint.settings.locale },
    };
    if (checked.needsBody) root.request.body = request.text();
    if (extra !== undefined) root.extra = extra;
    return endpoint.templates.render(checked, root);
  }

  respond(response: MockResponse): void {
    if (this.dropNextResponse) {
      this.dropNextResponse = false;
      return;
    }
    if (this.responded) throw new Error('an action responded twice to one request');
    this.responded = true;
    this.io.send(response, this.ruleId);
  }

  async forward(target: ForwardTarget): Promise<void> {
    if (this.dropNextResponse) {
      this.dropNextResponse = false;
      return;
    }
    if (this.responded) throw new Error('an action responded twice to one request');
    if (!this.io.forward) throw new MockgateError('internal_error', `the ${this.request.transport} transport cannot forward requests`);
    this.responded = true;
    if (typeof this.note?.behavior !== 'string') this.annotate({ behavior: 'proxy' });
    try {
      await this.io.forward(target, this.request, this.ruleId);
    } catch (err) {
      // nothing reached the client: the error can still be the answer, and the journal says it was not the target's
      this.responded = false;
      this.annotate({ forwardError: isMockgateError(err) ? err.code : 'internal_error' });
      throw err;
    }
  }

  annotate(note: JournalNote): void {
    this.note = this.note ? { ...this.note, ...note } : note;
  }
}
