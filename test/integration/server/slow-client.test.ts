// A client that never finishes its request headers cannot hold a connection forever.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate({ config: { headersTimeoutMs: 1000, requestTimeoutMs: 2000 } });
});
afterAll(() => mg.close());

describe('slow clients', () => {
  it('closes a connection whose headers never end, answering 408', async () => {
    const { port } = new URL(mg.url);
    const socket = connect(Number(port), '127.0.0.1');
    socket.write('GET /e/demo/x HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    let received = '';
    socket.setEncoding('utf8').on('data', (c: string) => (received += c));
    const started = Date.now();
    await new Promise<void>((resolve) => socket.on('close', () => resolve()));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
  });

  it('answers 400 to a malformed request line and closes', async () => {
    const { port } = new URL(mg.url);
    const socket = connect(Number(port), '127.0.0.1');
    socket.write('NONSENSE\r\n\r\n');
    let received = '';
    socket.setEncoding('utf8').on('data', (c: string) => (received += c));
    await new Promise<void>((resolve) => socket.on('close', () => resolve()));
    expect(received).toMatch(/^HTTP\/1\.1 400/);
  });
});
