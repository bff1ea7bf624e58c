// Small inline specs as LoadedSpecs, their operations by name, and real request views built from bytes.
import { RequestView } from '../../../../core/request/mock-request.js';
import { loadDocument, type LoadedSpec, type OperationRef } from '../../../../plugins/openapi/load-spec.js';

export function specOf(doc: object): LoadedSpec {
  return loadDocument(doc, false);
}

/** The operation named `GET /pets/{petId}`. */
export function operationOf(spec: LoadedSpec, name: string): OperationRef {
  const op = spec.operations.find((o) => `${o.method} ${o.pathTemplate}` === name);
  if (op === undefined) throw new Error(`no operation ${name}`);
  return op;
}

export function requestOf(method: string, url: string, options: { headers?: Record<string, string>; body?: string | object } = {}): RequestView {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.headers ?? {})) headers[key.toLowerCase()] = value;
  const request = new RequestView(method, url, headers, 'http');
  if (options.body !== undefined) {
    const json = typeof options.body !== 'string';
    if (json) headers['content-type'] ??= 'application/json';
    request.setBody(Buffer.from(json ? JSON.stringify(options.body) : options.body as string));
  }
  return request;
}
