// Chaos on the wire: answers delivered wrongly on purpose — a reset connection, a connection closed with no answer,
// bytes that are not HTTP, a body trickled at a given rate or cut short — so a client's error handling can be tested.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Delivery, MockResponse } from '../contract.js';

// a throttled body goes out in ten slices a second
const SLICES_PER_SECOND = 10;

export function misdeliver(res: ServerResponse, response: MockResponse, delivery: Delivery): void {
  const socket = res.socket as Socket | null;
  if (socket === null) return;
  switch (delivery.fault) {
    case 'connection_reset':
      return void socket.resetAndDestroy();
    case 'empty_reply':
      return void socket.destroy();
    case 'malformed_response':
      return void socket.end('HTTP/1.1 2OO NOT-OK\r\n\x00\x01\x02 this is not an HTTP response \xff\r\n\r\n');
    default:
      break;
  }
  const body = Buffer.from(response.body ?? '');
  const sent = delivery.truncateBytes === undefined ? body : body.subarray(0, delivery.truncateBytes);
  // the headers promise the whole body; a truncated one ends with the connection
  res.writeHead(response.status, response.headers);
  const finish = (): void => {
    if (sent.length < body.length) {
      socket.destroySoon();
    } else {
      res.end();
    }
  };
  if (delivery.bytesPerSecond === undefined) {
    res.write(sent);
    return finish();
  }
  const slice = Math.max(1, Math.ceil(delivery.bytesPerSecond / SLICES_PER_SECOND));
  let offset = 0;
  const timer = setInterval(() => {
    if (res.destroyed) return void clearInterval(timer);
    res.write(sent.subarray(offset, offset + slice));
    offset += slice;
    if (offset >= sent.length) {
      clearInterval(timer);
      finish();
    }
  }, 1000 / SLICES_PER_SECOND);
  res.once('close', () => clearInterval(timer));
}

// what a relayed answer does not pass on: its framing is redone (a content-length stays: it promises the whole body)
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'proxy-connection']);

/**
 * Relays a forwarded answer (http-proxy's `selfHandleResponse`) throttled to `bytesPerSecond` and/or cut after
 * `truncateBytes` body bytes, then the connection closes. Returns whether it cut the target's answer short on
 * purpose (so that is not taken for a target breaking off).
 */
export function relayMisdelivered(proxyRes: IncomingMessage, res: ServerResponse, delivery: Delivery): { cut: boolean } {
  const state = { cut: false };
  for (const [name, value] of Object.entries(proxyRes.headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) res.setHeader(name, value);
  }
  res.writeHead(proxyRes.statusCode ?? 502);
  const limit = delivery.truncateBytes ?? Infinity;
  let taken = 0;
  /** The part of a chunk within the limit; past it, the target's answer is dropped. */
  const take = (chunk: Buffer): Buffer => {
    const room = limit - taken;
    if (chunk.length > room) {
      state.cut = true;
      proxyRes.destroy();
    }
    const piece = chunk.length > room ? chunk.subarray(0, room) : chunk;
    taken += piece.length;
    return piece;
  };
  const finish = (): void => {
    if (state.cut) res.socket?.destroySoon();
    else res.end();
  };
  const rate = delivery.bytesPerSecond;
  if (rate === undefined) {
    proxyRes.on('data', (chunk: Buffer) => {
      if (state.cut) return;
      res.write(take(chunk));
      if (state.cut) finish();
    });
    proxyRes.once('end', () => {
      if (!state.cut) finish();
    });
    res.once('close', () => proxyRes.destroy());
    return state;
  }
  const slice = Math.max(1, Math.ceil(rate / SLICES_PER_SECOND));
  // at most a second's worth (and 64 KB) waits here; beyond that the target is paused
  const high = Math.max(rate, 65_536);
  const queue: Buffer[] = [];
  let queued = 0;
  let ended = false;
  proxyRes.on('data', (chunk: Buffer) => {
    if (state.cut) return;
    const piece = take(chunk);
    queue.push(piece);
    queued += piece.length;
    if (queued > high) proxyRes.pause();
  });
  proxyRes.once('end', () => void (ended = true));
  const timer = setInterval(() => {
    if (res.destroyed) return void clearInterval(timer);
    let budget = slice;
    while (budget > 0 && queue.length > 0) {
      const head = queue[0]!;
      const piece = head.length <= budget ? head : head.subarray(0, budget);
      if (piece === head) queue.shift();
      else queue[0] = head.subarray(budget);
      res.write(piece);
      budget -= piece.length;
      queued -= piece.length;
    }
    if (queued <= high && proxyRes.isPaused()) proxyRes.resume();
    if (queued === 0 && (ended || state.cut)) {
      clearInterval(timer);
      finish();
    }
  }, 1000 / SLICES_PER_SECOND);
  res.once('close', () => {
    clearInterval(timer);
    proxyRes.destroy();
  });
  return state;
}
