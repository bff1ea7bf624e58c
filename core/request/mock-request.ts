// MockRequest over a method, a URL and headers: the body is read at most once and parsed lazily, memoised.
import type { IncomingHttpHeaders } from 'node:http';
import type { MockRequest } from '../contract.js';

const EMPTY = Buffer.alloc(0);
const UNPARSED = Symbol('unparsed');

export class RequestView implements MockRequest {
  readonly path: string;
  #queryString: string;
  #query: URLSearchParams | undefined;
  #body: Buffer = EMPTY;
  #text: string | undefined;
  #json: unknown = UNPARSED;
  #form: URLSearchParams | undefined | typeof UNPARSED = UNPARSED;

  constructor(
    readonly method: string,
    readonly url: string,
    readonly headers: IncomingHttpHeaders,
    readonly transport: string,
    readonly mountPath = '',
  ) {
    const q = url.indexOf('?');
    this.path = q === -1 ? url : url.slice(0, q);
    this.#queryString = q === -1 ? '' : url.slice(q + 1);
  }

  get query(): URLSearchParams {
    return (this.#query ??= new URLSearchParams(this.#queryString));
  }

  setBody(body: Buffer): void {
    this.#body = body;
    this.#text = undefined;
    this.#json = UNPARSED;
    this.#form = UNPARSED;
  }

  rawBody(): Buffer {
    return this.#body;
  }

  text(): string {
    return (this.#text ??= this.#body.toString('utf8'));
  }

  json(): unknown {
    if (this.#json === UNPARSED) {
      this.#json = undefined;
      if (this.#body.length > 0 && !this.#isForm()) {
        try {
          this.#json = JSON.parse(this.text());
        } catch {
          // not JSON: conditions on JSON fields simply see no value
        }
      }
    }
    return this.#json;
  }

  form(): URLSearchParams | undefined {
    if (this.#form === UNPARSED) this.#form = this.#isForm() ? new URLSearchParams(this.text()) : undefined;
    return this.#form;
  }

  #isForm(): boolean {
    return (this.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
  }
}
