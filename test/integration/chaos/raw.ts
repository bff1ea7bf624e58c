// A raw client for chaos tests: what arrives on the socket, byte for byte and when, and how the connection ends.
import { request } from 'node:http';
import { connect } from 'node:net';

export interface RawAnswer {
  bytes: Buffer;
  /** The socket error code (ECONNRESET) or undefined when it closed cleanly. */
  error: string | undefined;
  /** ms after the request was written: first byte, and the close. */
  firstByteMs: number | undefined;
  closedMs: number;
  /** Each chunk as it arrived: ms after the request was written, and its length. */
  chunks: { ms: number; length: number }[];
}

/** Sends `GET path` with `Connection: close` on a fresh socket and collects everything until the socket closes. */
export function rawGet(baseUrl: string, path: string): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    const answer: RawAnswer = { bytes: Buffer.alloc(0), error: undefined, firstByteMs: undefined, closedMs: 0, chunks: [] };
    let started = 0;
    socket.once('connect', () => {
      started = performance.now();
      socket.write(`GET ${url.pathname.replace(/\/$/, '')}${path} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      const ms = performance.now() - started;
      answer.firstByteMs ??= ms;
      answer.chunks.push({ ms, length: chunk.length });
      chunks.push(chunk);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => void (answer.error = err.code ?? err.message));
    socket.once('close', () => {
      answer.closedMs = performance.now() - started;
      answer.bytes = Buffer.concat(chunks);
      resolve(answer);
    });
  });
}

/** The headers and the body of a raw answer (split at the first blank line). */
export function split(bytes: Buffer): { head: string; body: Buffer } {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return { head: bytes.toString('latin1'), body: Buffer.alloc(0) };
  return { head: bytes.subarray(0, end).toString('latin1'), body: bytes.subarray(end + 4) };
}

/** The error node's http client gives for the answer (its code), or 'ok' with the status when it parses. */
export function httpClientError(url: string): Promise<string> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume();
      res.once('end', () => resolve(`ok ${res.statusCode}`));
      res.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    });
    req.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    req.end();
  });
}

export const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
