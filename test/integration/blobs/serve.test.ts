// Uploaded blobs served by mock rules: byte for byte, with their type and length, streamed; HEAD; delays, chaos and
// header overrides; the journal names the blob instead of copying it.
import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import { rawGet, split } from '../chaos/raw.js';
import { binary, blobRule, sendMultipart, serveBlob, sha256, upload } from './blob-client.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(() => mg.close());

const get = (endpoint: string, path: string, init?: RequestInit) => fetch(`${mg.url}/e/${endpoint}${path}`, init);

describe('serving a blob', () => {
  it('uploads 3 MB of every byte value and serves exactly those bytes, with Content-Type and Content-Length', async () => {
    const bytes = binary(3 * 1024 * 1024);
    const uploaded = await upload(mg, 'bin', bytes, 'photo.png', 'image/png');
    expect(uploaded.status).toBe(201);
    expect(Object.keys(uploaded.body)).toEqual(['blobPath']);
    expect(uploaded.body.blobPath).toMatch(/^res-body-\d{14}-[a-z0-9]{10}\.png$/);
    const rule = await mg.api.post('/api/v2/endpoints/bin/rules', blobRule('/photo', uploaded.body.blobPath));
    expect(rule.status).toBe(201);
    expect(rule.body.action.blobPath).toBe(uploaded.body.blobPath);

    const res = await get('bin', '/photo');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-length')).toBe(String(bytes.length));
    expect(res.headers.get('x-beeceptor-rule-id')).toBe(rule.body.id);
    const served = Buffer.from(await res.arrayBuffer());
    expect(served.length).toBe(bytes.length);
    expect(sha256(served)).toBe(sha256(bytes));
  });

  it('answers HEAD with the headers only', async () => {
    const bytes = binary(100_000);
    await serveBlob(mg, 'head', '/file', bytes, 'data.json', 'application/json');
    const res = await new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      request(`${mg.url}/e/head/file`, { method: 'HEAD' }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.once('end', () => resolve({ status: answer.statusCode!, headers: answer.headers, body: Buffer.concat(chunks) }));
      }).once('error', reject).end();
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe(String(bytes.length));
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body.length).toBe(0);
  });

  it('streams a 20 MB blob byte for byte', async () => {
    const bytes = binary(20 * 1024 * 1024);
    await serveBlob(mg, 'large', '/big', bytes, 'big.bin');
    const res = await get('large', '/big');
    expect(res.headers.get('content-length')).toBe(String(bytes.length));
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(sha256(bytes));
  });

  it('takes the declared type, else the extension, else application/octet-stream; a rule header wins', async () => {
    const declared = await upload(mg, 'types', Buffer.from('a,b\n'), 'table.csv', 'text/x-custom');
    const byExtension = await sendMultipart(mg, 'types', [{ name: 'file', fileName: 'data.json', bytes: '{"a":1}' }]);
    const octet = await upload(mg, 'types', Buffer.from([1, 2, 3]), 'data.pdf', 'application/octet-stream');
    const unknown = await sendMultipart(mg, 'types', [{ name: 'file', fileName: 'noext', type: 'application/octet-stream', bytes: 'x' }]);
    expect(byExtension.body.blobPath).toMatch(/\.json$/);
    expect(unknown.body.blobPath).toMatch(/^res-body-\d{14}-[a-z0-9]{10}$/);
    const rules = [
      blobRule('/declared', declared.body.blobPath),
      blobRule('/extension', byExtension.body.blobPath),
      blobRule('/octet', octet.body.blobPath),
      blobRule('/unknown', unknown.body.blobPath),
      blobRule('/override', declared.body.blobPath, { status: 201, headers: [{ key: 'Content-Type', value: 'text/csv; charset=utf-8' }, { key: 'X-Extra', value: 'yes' }] }),
    ];
    expect((await mg.api.put('/api/v2/endpoints/types/rules', { rules })).status).toBe(200);
    expect((await get('types', '/declared')).headers.get('content-type')).toBe('text/x-custom');
    expect((await get('types', '/extension')).headers.get('content-type')).toBe('application/json');
    expect((await get('types', '/octet')).headers.get('content-type')).toBe('application/pdf');
    expect((await get('types', '/unknown')).headers.get('content-type')).toBe('application/octet-stream');
    const overridden = await get('types', '/override');
    expect(overridden.status).toBe(201);
    expect(overridden.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(overridden.headers.get('x-extra')).toBe('yes');
    expect(await overridden.text()).toBe('a,b\n');
  });

  it('keeps the delay, templated headers and chaos: latency, error status, truncation', async () => {
    const bytes = binary(50_000);
    const { blobPath } = await upload(mg, 'chaotic', bytes, 'x.bin').then((r) => r.body as { blobPath: string });
    const rules = [
      blobRule('/slow', blobPath, { delay: 150, headers: [{ key: 'X-Path', value: '{{request.path}}', templated: true }] }),
      blobRule('/error', blobPath, { chaos: { errorStatus: { status: 503 } } }),
      blobRule('/cut', blobPath, { chaos: { truncate: { bytes: 1000 } } }),
    ];
    expect((await mg.api.put('/api/v2/endpoints/chaotic/rules', { rules })).status).toBe(200);
    const started = performance.now();
    const slow = await get('chaotic', '/slow');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(slow.headers.get('x-path')).toBe('/slow');
    expect(sha256(Buffer.from(await slow.arrayBuffer()))).toBe(sha256(bytes));
    const error = await get('chaotic', '/error');
    expect(error.status).toBe(503);
    expect(((await error.json()) as any).error.code).toBe('injected_fault');
    const cut = await rawGet(`${mg.url}/e/chaotic`, '/cut');
    const { head, body } = split(cut.bytes);
    expect(head).toContain(`content-length: ${bytes.length}`);
    expect(body.equals(bytes.subarray(0, 1000))).toBe(true);
  });

  it('journals the blob and its path, not its bytes', async () => {
    const bytes = binary(10_000);
    const { blobPath, ruleId } = await serveBlob(mg, 'journaled', '/j', bytes, 'j.bin');
    await (await get('journaled', '/j')).arrayBuffer();
    const [entry] = (await mg.api.get('/api/v2/endpoints/journaled/requests?mode=verbose')).body.data;
    expect(entry.rule).toEqual({ matched: true, ruleId });
    expect(entry.response).toMatchObject({ blob: true, blobPath, body: '', size: bytes.length, truncated: false });
    expect(entry.response.headers['content-length']).toBe(String(bytes.length));
  });

  it('answers 500 with the JSON error when the file went missing, and keeps serving', async () => {
    const { blobPath } = await serveBlob(mg, 'vanish', '/v', binary(5000), 'v.bin');
    rmSync(`${mg.dataDir}/blobs/vanish/${blobPath}`);
    const res = await get('vanish', '/v');
    expect(res.status).toBe(500);
    expect(((await res.json()) as any).error).toMatchObject({ code: 'internal_error', message: expect.stringContaining(blobPath) });
    const [entry] = (await mg.api.get('/api/v2/endpoints/vanish/requests?mode=verbose')).body.data;
    expect(entry.status).toBe(500);
    expect((await get('vanish', '/other')).status).toBe(200);
  });

  it('takes 10 uploads at once, each under its own path', async () => {
    const files = Array.from({ length: 10 }, () => binary(200_000));
    const answers = await Promise.all(files.map((bytes, i) => upload(mg, 'parallel', bytes, `f${i}.bin`)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    const paths = answers.map((a) => a.body.blobPath as string);
    expect(new Set(paths).size).toBe(10);
    const listed = (await mg.api.get('/api/v2/endpoints/parallel/blobs')).body.data as Array<{ blobPath: string; sha256: string; size: number }>;
    expect(listed).toHaveLength(10);
    for (const [i, path] of paths.entries()) {
      expect(listed.find((b) => b.blobPath === path)).toMatchObject({ sha256: sha256(files[i]!), size: 200_000 });
    }
  });
});
