// A plugin's protocol listener: started by listen(), fed by ListenerHost.dispatch through the same rules as HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../core/config.js';
import { createMockgate, type Mockgate } from '../../core/index.js';
import rest from '../../plugins/rest/index.js';
import linePlugin from '../fixtures/plugins/line-listener-plugin.js';
import { createApiClient, mockRule } from '../helpers/start-mockgate.js';

/** Sends each line over one connection and collects one answer line per request line. */
async function talk(url: string, lines: readonly string[]): Promise<string[]> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  try {
    const answers = createInterface({ input: socket, crlfDelay: Infinity })[Symbol.asyncIterator]();
    socket.write(lines.map((l) => `${l}\n`).join(''));
    const out: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const next = await answers.next();
      if (next.done) throw new Error(`connection closed after ${out.length} answers`);
      out.push(next.value);
    }
    return out;
  } finally {
    socket.destroy();
  }
}

describe('protocol listener registered by a plugin', () => {
  let mockgate: Mockgate;
  let dataDir: string;
  let urls: string[];
  let closed: boolean;
  beforeEach(async () => {
    closed = false;
    dataDir = mkdtempSync(join(tmpdir(), 'mockgate-test-'));
    const config = resolveConfig({ port: 0, grpcPort: 0, host: '127.0.0.1', logLevel: 'silent', dataDir });
    mockgate = await createMockgate(config, { plugins: [rest, linePlugin] });
    urls = await mockgate.listen();
  });
  afterEach(async () => {
    if (!closed) await mockgate.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is started by listen(), which returns its URL after the HTTP one', () => {
    expect(urls).toHaveLength(2);
    expect(urls[0]).toBe(mockgate.url);
    expect(urls[1]).toMatch(/^line:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers through the rules created over HTTP, and the default answer on a miss', async () => {
    const api = createApiClient(mockgate.url);
    const created = await api.post('/api/v2/endpoints/demo/rules',
      mockRule({ type: 'path', operator: 'equals', value: '/ping' }, { status: 202, body: 'pong' }, { method: 'GET' }));
    expect(created.status).toBe(201);

    expect(await talk(urls[1]!, ['GET demo /ping', 'POST demo /ping', 'GET demo /ping?x=1', 'nonsense'])).toEqual([
      '202 pong',
      '200 mockgate: no rule of endpoint "demo" matched POST /ping',
      '202 pong',
      '400 expected "METHOD endpoint /path"',
    ]);
  });

  it('sees the same endpoint as HTTP traffic: a rule change is visible at once', async () => {
    const api = createApiClient(mockgate.url);
    expect(await talk(urls[1]!, ['GET demo /ping'])).toEqual(['200 mockgate: no rule of endpoint "demo" matched GET /ping']);
    await api.post('/api/v2/endpoints/demo/rules', mockRule({ type: 'path', operator: 'equals', value: '/ping' }, { body: 'pong' }));
    expect(await talk(urls[1]!, ['GET demo /ping'])).toEqual(['200 pong']);
  });

  it('is stopped by close()', async () => {
    const { port } = new URL(urls[1]!);
    await mockgate.close();
    closed = true;
    const refused = await new Promise<string | undefined>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(undefined);
      });
      socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code));
    });
    expect(refused).toBe('ECONNREFUSED');
  });
});
