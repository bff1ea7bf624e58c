// A real target for callouts: a node:http server on 127.0.0.1, port 0, recording every request it receives.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** performance.now() when the request (body included) had arrived. */
  at: number;
}

export interface Upstream {
  /** `http://127.0.0.1:<port>` */
  url: string;
  received: Received[];
  /** Requests whose answer has been sent in full. */
  answered: number;
  close(): Promise<void>;
}

export type Handler = (req: Received, res: ServerResponse, index: number) => void | Promise<void>;

export async function startUpstream(handler: Handler = (_req, res) => void res.end('ok')): Promise<Upstream> {
  const upstream: Upstream = { url: '', received: [], answered: 0, close: async () => {} };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received: Received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks), at: performance.now() };
      const index = upstream.received.push(received) - 1;
      res.on('finish', () => void upstream.answered++);
      void Promise.resolve(handler(received, res, index)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  upstream.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  upstream.close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return upstream;
}

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until check() is true; fails after timeoutMs. */
export async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(10);
  }
}

/** A v2 rule answering `path` (a `template` path condition) with a callout action. */
export function calloutRule(path: string, action: Record<string, unknown>, method = '*') {
  return { enabled: true, method, conditions: [{ type: 'path', operator: 'template', value: path }], action: { type: 'callout', ...action } };
}
