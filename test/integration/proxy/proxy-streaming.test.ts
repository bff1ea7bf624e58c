// Large bodies through the proxy step: streamed both ways past the data plane's 10 MB read cap, intact, journal on or off.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import { startUpstream, type Upstream } from './upstream.js';

const SIZE = 12 * 1024 * 1024; // over maxBodyBytes (10 MB): only the journal's copy may be capped
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const download = randomBytes(SIZE);

let upstream: Upstream;
let journaled: RunningMockgate;
let quiet: RunningMockgate;

beforeAll(async () => {
  // /upload hashes the body as it streams in; /download sends `download`
  upstream = await startUpstream((req, res) => {
    if (req.url === '/download') {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': download.length });
      return void res.end(download);
    }
    const hash = createHash('sha256');
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      size += chunk.length;
    });
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ sha256: hash.digest('hex'), size }));
    });
  }, { readBody: false });
  [journaled, quiet] = await Promise.all([startMockgate(), startMockgate({ config: { journal: false } })]);
  for (const mg of [journaled, quiet]) {
    const res = await mg.api.patch('/api/v2/endpoints/big/settings', { proxy: { targetUrl: upstream.url } });
    expect(res.status).toBe(200);
  }
});
afterAll(async () => {
  await Promise.all([journaled?.close(), quiet?.close()]);
  await upstream?.close();
});

describe.each([
  { journal: 'on', mg: () => journaled },
  { journal: 'off', mg: () => quiet },
])('proxy streaming, journal $journal', ({ mg }) => {
  it('streams a 12 MB random upload to the target unchanged (no 413)', async () => {
    const upload = randomBytes(SIZE);
    const res = await fetch(`${mg().url}/e/big/upload`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: upload });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sha256: sha256(upload), size: SIZE });
  });

  it('streams a 12 MB download back unchanged', async () => {
    const res = await fetch(`${mg().url}/e/big/download`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(SIZE));
    expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(sha256(download));
  });
});

describe('proxy streaming: the journal', () => {
  it('keeps a capped copy of both bodies with their real sizes and behavior proxy', async () => {
    const upload = randomBytes(SIZE);
    await (await fetch(`${journaled.url}/e/big/upload`, { method: 'PUT', body: upload })).text();
    await (await fetch(`${journaled.url}/e/big/download`)).arrayBuffer();
    const list = await journaled.api.get('/api/v2/endpoints/big/requests?limit=2');
    const [down, up] = await Promise.all(list.body.data.map(async (e: { id: string }) =>
      (await journaled.api.get(`/api/v2/endpoints/big/requests/${e.id}`)).body));
    expect(up).toMatchObject({ method: 'PUT', path: '/upload', status: 200, behavior: 'proxy', request: { size: SIZE, truncated: true } });
    // hashes: a deep equality of two 1 MB buffers takes vitest seconds
    expect(sha256(Buffer.from(up.request.body, 'base64'))).toBe(sha256(upload.subarray(0, 1024 * 1024)));
    expect(down).toMatchObject({ method: 'GET', path: '/download', status: 200, behavior: 'proxy', response: { truncated: true, bodyEncoding: 'base64' } });
    expect(sha256(Buffer.from(down.response.body, 'base64'))).toBe(sha256(download.subarray(0, 1024 * 1024)));
  });

  it('answers 413 when a rule had to read the body before matching (that read is capped)', async () => {
    await journaled.api.post('/api/v2/endpoints/big/rules', {
      enabled: true, method: 'POST', conditions: [{ type: 'body', operator: 'contains', value: 'never-there' }],
      action: { type: 'mock', status: 200, headers: [], body: 'x' },
    });
    const res = await fetch(`${journaled.url}/e/big/upload`, { method: 'POST', body: randomBytes(SIZE) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    const small = await fetch(`${journaled.url}/e/big/upload`, { method: 'POST', body: 'small' });
    expect(await small.json()).toEqual({ sha256: sha256(Buffer.from('small')), size: 5 });
  });
});
