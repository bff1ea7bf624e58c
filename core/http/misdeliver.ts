// Chaos on the wire: answers delivered wrongly on purpose — a reset connection, a connection closed with no answer,
// bytes that are not HTTP, a body trickled at a given rate or cut short — so a client's error handling can be tested.
import type { ServerResponse } from 'node:http';
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
