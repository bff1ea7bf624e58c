// What a blob upload, and a rule naming a blob, refuse — and that a refused upload leaves nothing on disk.
import { existsSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import { blobRule, multipart, sendMultipart, upload } from './blob-client.js';

const LIMIT = 1000;
let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate({ config: { maxBlobBytes: LIMIT } });
});
afterAll(() => mg.close());

const filesOf = (endpoint: string): string[] => {
  const dir = join(mg.dataDir, 'blobs', endpoint);
  return existsSync(dir) ? readdirSync(dir) : [];
};

describe('blob upload errors', () => {
  it('refuses a body that is not multipart with 400 validation_error at file', async () => {
    const res = await mg.api.post('/api/v2/endpoints/e1/blobs', { file: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_error', parameter: 'file' });
    expect(res.body.error.message).toContain('multipart/form-data');
  });

  it('refuses a form without a file part, or with the file under another name', async () => {
    const noFile = await sendMultipart(mg, 'e2', [{ name: 'note', bytes: 'hello' }]);
    expect(noFile.status).toBe(400);
    expect(noFile.body.error).toMatchObject({ code: 'validation_error', parameter: 'file' });
    const otherName = await sendMultipart(mg, 'e2', [{ name: 'upload', fileName: 'a.txt', type: 'text/plain', bytes: 'hello' }]);
    expect(otherName.status).toBe(400);
    expect(otherName.body.error.parameter).toBe('file');
    expect(filesOf('e2')).toEqual([]);
  });

  it('refuses an empty file, and leaves nothing behind', async () => {
    const res = await sendMultipart(mg, 'e3', [{ name: 'file', fileName: 'empty.json', type: 'application/json', bytes: '' }]);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_error', parameter: 'file' });
    expect(res.body.error.message).toContain('empty');
    expect(filesOf('e3')).toEqual([]);
    expect((await mg.api.get('/api/v2/endpoints/e3/blobs')).body.data).toEqual([]);
    // a refused upload does not create the endpoint either
    expect((await mg.api.get('/api/v2/endpoints/e3')).status).toBe(404);
  });

  it('refuses a malformed multipart body', async () => {
    const res = await mg.api.send('POST', '/api/v2/endpoints/e4/blobs', '--b\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nabc',
      { 'content-type': 'multipart/form-data; boundary=b' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_error', parameter: 'file' });
    expect(filesOf('e4')).toEqual([]);
  });

  it('refuses a file over --max-blob-bytes with 413 payload_too_large, and leaves no file on disk', async () => {
    expect((await upload(mg, 'e5', Buffer.alloc(LIMIT, 1), 'fits.bin')).status).toBe(201);
    const res = await upload(mg, 'e5', Buffer.alloc(LIMIT + 1, 1), 'big.bin');
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'payload_too_large', parameter: 'file' });
    expect(filesOf('e5')).toHaveLength(1);
    expect((await mg.api.get('/api/v2/endpoints/e5/blobs')).body.data).toHaveLength(1);
  });

  it('an upload the client abandons halfway leaves nothing behind', async () => {
    const { body, contentType } = multipart([{ name: 'file', fileName: 'half.bin', type: 'application/octet-stream', bytes: Buffer.alloc(900, 7) }]);
    const url = new URL(mg.url);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(`POST /api/v2/endpoints/e6/blobs HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: ${contentType}\r\n` +
          `Content-Length: ${body.length}\r\n\r\n`);
        socket.write(body.subarray(0, 600));
        setTimeout(() => socket.destroy(), 100);
      });
      socket.once('close', () => resolve());
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(filesOf('e6')).toEqual([]);
    expect((await mg.api.get('/api/v2/endpoints/e6/blobs')).body.data).toEqual([]);
  });

  it('refuses an invalid endpoint name', async () => {
    const res = await upload(mg, 'Not_Valid', Buffer.from('x'));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_error');
  });
});

describe('rules naming a blob', () => {
  it('an unknown blobPath is 400 at /action/blobPath; so is a blob of another endpoint', async () => {
    const unknown = await mg.api.post('/api/v2/endpoints/r1/rules', blobRule('/x', 'res-body-20260121042538-e53mertosm.json'));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'validation_error', parameter: '/action/blobPath' });
    const { blobPath } = (await upload(mg, 'r-other', Buffer.from('mine'), 'm.txt')).body;
    const foreign = await mg.api.post('/api/v2/endpoints/r1/rules', blobRule('/x', blobPath));
    expect(foreign.body.error).toMatchObject({ code: 'validation_error', parameter: '/action/blobPath' });
  });

  it('body and blobPath together are 400; so is a templated blob; the bulk pointer names the rule', async () => {
    const { blobPath } = (await upload(mg, 'r2', Buffer.from('data'), 'd.txt')).body;
    const both = await mg.api.post('/api/v2/endpoints/r2/rules', blobRule('/x', blobPath, { body: 'text' }));
    expect(both.status).toBe(400);
    expect(both.body.error).toMatchObject({ code: 'validation_error', parameter: '/action/blobPath' });
    const templated = await mg.api.post('/api/v2/endpoints/r2/rules', blobRule('/x', blobPath, { templated: true }));
    expect(templated.body.error).toMatchObject({ code: 'validation_error', parameter: '/action/templated' });
    expect((await mg.api.post('/api/v2/endpoints/r2/rules', blobRule('/x', blobPath, { templated: false }))).status).toBe(201);
    const bulk = await mg.api.put('/api/v2/endpoints/r2/rules', { rules: [blobRule('/a', blobPath), blobRule('/b', 'nope')] });
    expect(bulk.body.error).toMatchObject({ code: 'validation_error', parameter: '/rules/1/action/blobPath' });
  });

  it('uploads need the API key like every /api call', async () => {
    const secured = await startMockgate({ config: { apiKey: 'secret-key-1' } });
    try {
      const res = await upload(secured, 'auth', Buffer.from('x'));
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('missing_authentication');
    } finally {
      await secured.close();
    }
  });
});
