// Real upstream servers for the proxy tests: node:http (or https) on 127.0.0.1, port 0, recording what reached them.
import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface Upstream {
  url: string;
  /** Every request that reached it, body read whole (unless the handler reads it itself). */
  seen: SeenRequest[];
  close(): Promise<void>;
}

export type UpstreamHandler = (req: IncomingMessage, res: ServerResponse, seen: SeenRequest) => void;

/** An echo: the request's method, url, headers and body as JSON, status 200 (201 for POST), `x-upstream: yes`. */
export const echo: UpstreamHandler = (req, res, seen) => {
  const body = JSON.stringify({ method: seen.method, url: seen.url, headers: seen.headers, body: seen.body.toString('utf8') });
  res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json', 'x-upstream': 'yes' });
  res.end(body);
};

export async function startUpstream(handler: UpstreamHandler = echo, options: { tls?: { key: string; cert: string }; readBody?: boolean } = {}): Promise<Upstream> {
  const seen: SeenRequest[] = [];
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const entry: SeenRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.alloc(0) };
    seen.push(entry);
    if (options.readBody === false) return handler(req, res, entry);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      entry.body = Buffer.concat(chunks);
      handler(req, res, entry);
    });
  };
  const server = options.tls ? createHttpsServer(options.tls, listener) : createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** A URL where nothing listens: a server's port, once that server has closed. */
export async function deadUrl(): Promise<string> {
  const upstream = await startUpstream();
  await upstream.close();
  return upstream.url;
}
