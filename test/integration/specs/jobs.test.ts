// Spec uploads as jobs (POST …/specs, GET …/jobs/{id}), with a test importer: queued, prepared on a worker with
// progress that moves, stored as the endpoint's spec, replaced, deleted, turned into rules; failures change nothing.
import { afterEach, describe, expect, it } from 'vitest';
import rest from '../../../plugins/rest/index.js';
import importerPlugin from '../../fixtures/plugins/importer-plugin.js';
import { startMockgate, type RunningMockgate, type StartOptions } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
afterEach(() => mg?.close());

const start = (options: StartOptions = {}) => startMockgate({ plugins: [rest, importerPlugin], ...options });

async function upload(name: string, text: string, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.set('file', new Blob([text], { type: 'application/octet-stream' }), name);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  const res = await fetch(`${mg.url}/api/v2/endpoints/shop/specs`, { method: 'POST', body: form });
  return { status: res.status, body: await res.json() as any };
}

async function settle(jobId: string, endpoint = 'shop') {
  for (let i = 0; i < 400; i++) {
    const job = (await mg.api.get(`/api/v2/endpoints/${endpoint}/jobs/${jobId}`)).body;
    if (job.status === 'COMPLETED' || job.status === 'FAILED') return job;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${jobId} did not finish`);
}

const get = async (path: string) => {
  const res = await fetch(`${mg.url}/e/shop${path}`);
  return { status: res.status, text: await res.text() };
};

describe('spec jobs', () => {
  it('queues an upload, prepares it and answers its operations; GET …/specs describes it', async () => {
    mg = await start();
    const accepted = await upload('orders.demo', 'GET /orders\nPOST /orders\n');
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ jobId: expect.stringMatching(/^job-/), status: 'QUEUED', type: 'demo', message: 'Job queued for demo processing' });

    const job = await settle(accepted.body.jobId);
    expect(job).toMatchObject({ status: 'COMPLETED', progress: 100, currentStage: 'completed', result: { operations: 2, lines: 3 } });
    expect(Date.parse(job.completedAt)).not.toBeNaN();
    expect((await mg.api.get('/api/v2/endpoints/shop/specs')).body).toEqual({
      data: { type: 'demo', intelligenceMock: false, operations: ['GET /orders', 'POST /orders'], jobId: job.jobId, uploadedAt: expect.any(String) },
    });
    expect(await get('/orders')).toEqual({ status: 200, text: 'spec: GET /orders' });
    const [entry] = (await mg.api.get('/api/v2/endpoints/shop/requests')).body.data;
    expect(entry.behavior).toBe('oas');
  });

  it('reports progress and stages that move while the worker prepares, and keeps serving traffic meanwhile', async () => {
    mg = await start();
    const lines = Array.from({ length: 6 }, (_, i) => `# pause 120\nGET /slow/${i}`).join('\n');
    const { body } = await upload('slow.demo', lines);
    const seen: number[] = [];
    let status = 'QUEUED';
    while (status !== 'COMPLETED') {
      const job = (await mg.api.get(`/api/v2/endpoints/shop/jobs/${body.jobId}`)).body;
      status = job.status;
      if (job.status === 'PROCESSING') {
        expect(job.currentStage).toMatch(/^(starting|validating|generating|storing)$/);
        seen.push(job.progress);
        // the data plane answers while the import runs
        expect((await get('/elsewhere')).status).toBe(200);
      }
      await new Promise((r) => setTimeout(r, 40));
    }
    expect(new Set(seen).size).toBeGreaterThan(2);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.every((p) => p >= 1 && p <= 96)).toBe(true);
  });

  it('fails a broken spec with the preparer\'s message and location, and keeps serving the spec it had', async () => {
    mg = await start();
    await settle((await upload('good.demo', 'GET /orders')).body.jobId);
    const { body } = await upload('broken.demo', 'GET /orders\nFETCH orders\n');
    const job = await settle(body.jobId);
    expect(job).toMatchObject({ status: 'FAILED', type: 'demo', message: expect.stringContaining('broken.demo line 2: "FETCH orders" is not "METHOD /path"') });
    expect(Date.parse(job.failedAt)).not.toBeNaN();
    expect(await get('/orders')).toEqual({ status: 200, text: 'spec: GET /orders' });
    expect((await mg.api.get('/api/v2/endpoints/shop/specs')).body.data.operations).toEqual(['GET /orders']);
  });

  it('fails an upload no importer recognises, without a type', async () => {
    mg = await start();
    const { status, body } = await upload('notes.txt', 'hello');
    expect(status).toBe(202);
    expect(body.type).toBeUndefined();
    const job = await settle(body.jobId);
    expect(job).toMatchObject({ status: 'FAILED', message: '"notes.txt" is not a specification of a known kind (demo)' });
  });

  it('refuses what is not an upload: 400 without multipart or a file part, 413 over the size setting', async () => {
    mg = await start({ config: { maxSpecBytes: 1000 } });
    const notMultipart = await mg.api.post('/api/v2/endpoints/shop/specs', { file: 'GET /x' });
    expect(notMultipart.status).toBe(400);
    expect(notMultipart.body.error).toMatchObject({ code: 'validation_error', parameter: 'Content-Type' });

    const form = new FormData();
    form.set('other', 'x');
    const noFile = await fetch(`${mg.url}/api/v2/endpoints/shop/specs`, { method: 'POST', body: form });
    expect(noFile.status).toBe(400);
    expect(((await noFile.json()) as any).error.message).toBe('the upload has no "file" part');

    const big = await upload('big.demo', `GET /x\n${'#'.repeat(2000)}`);
    expect(big.status).toBe(413);
    expect(big.body.error).toMatchObject({ code: 'payload_too_large', message: 'a specification may be at most 1000 bytes' });
    expect((await upload('empty.demo', '')).status).toBe(400);
    expect((await upload('x.demo', 'GET /x', { intelligenceMock: 'maybe' })).body.error.parameter).toBe('/intelligenceMock');
    expect((await mg.api.get('/api/v2/endpoints/shop/specs')).status).toBe(404);
  });

  it('stops a preparation past the time limit; the next upload gets a fresh worker', async () => {
    mg = await start({ config: { specTimeoutMs: 300 } });
    const stuck = await settle((await upload('stuck.demo', 'GET /a\n# spin')).body.jobId);
    expect(stuck).toMatchObject({ status: 'FAILED', message: 'preparing the specification took longer than 300 ms' });
    const next = await settle((await upload('next.demo', 'GET /b')).body.jobId);
    expect(next.status).toBe('COMPLETED');
  });

  it('runs uploads one at a time in order: the last one is the spec', async () => {
    mg = await start();
    const jobs = await Promise.all(['GET /one', 'GET /two', 'GET /three'].map((t, i) => upload(`${i}.demo`, t)));
    const done = await Promise.all(jobs.map((j) => settle(j.body.jobId)));
    expect(done.map((j) => j.status)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);
    expect((await mg.api.get('/api/v2/endpoints/shop/specs')).body.data.operations).toEqual(['GET /three']);
    expect((await get('/one')).text).not.toBe('spec: GET /one');
  });

  it('deletes the spec: it stops answering; deleting again says so', async () => {
    mg = await start();
    await settle((await upload('orders.demo', 'GET /orders')).body.jobId);
    expect((await mg.api.delete('/api/v2/endpoints/shop/specs')).body).toEqual({ data: { deleted: true } });
    expect((await get('/orders')).text).not.toBe('spec: GET /orders');
    expect((await mg.api.get('/api/v2/endpoints/shop/specs')).status).toBe(404);
    expect((await mg.api.delete('/api/v2/endpoints/shop/specs')).body).toEqual({ data: { deleted: false } });
  });

  it('makes editable rules from the spec, appended after the rules there are', async () => {
    mg = await start();
    await settle((await upload('orders.demo', 'GET /orders\nDELETE /orders/7')).body.jobId);
    const made = await mg.api.post('/api/v2/endpoints/shop/specs/rules');
    expect(made.status).toBe(201);
    expect(made.body.created).toBe(2);
    expect(await get('/orders')).toEqual({ status: 200, text: 'rule: GET /orders' });
    expect((await mg.api.get('/api/v2/endpoints/shop/rules')).body.data).toHaveLength(2);
    expect((await mg.api.post('/api/v2/endpoints/other/specs/rules')).status).toBe(404);
  });

  it('answers 404 for a job that does not exist', async () => {
    mg = await start();
    const res = await mg.api.get('/api/v2/endpoints/shop/jobs/job-nope');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('keeps the spec across a restart', async () => {
    mg = await start();
    await settle((await upload('orders.demo', 'GET /orders')).body.jobId);
    const { dataDir } = mg;
    await mg.close({ removeData: false });
    mg = await start({ dataDir });
    expect(await get('/orders')).toEqual({ status: 200, text: 'spec: GET /orders' });
    expect((await mg.api.get('/api/v2/endpoints/shop/specs')).body.data.type).toBe('demo');
  });

  it('imports a document uploaded at its own path the same way, as the endpoint\'s spec', async () => {
    mg = await start();
    const put = (text: string) => mg.api.send('PUT', '/api/v2/endpoints/shop/demo/spec', text, { 'content-type': 'text/plain' });
    expect((await put('GET /orders')).status).toBe(201);
    expect(await get('/orders')).toEqual({ status: 200, text: 'spec: GET /orders' });
    expect((await mg.api.get('/api/v2/endpoints/shop/specs')).body.data).toMatchObject({ type: 'demo', operations: ['GET /orders'] });
    expect((await put('GET /orders\nGET /users')).status).toBe(200);
    const refused = await put('FETCH users');
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('line 1: "FETCH users" is not "METHOD /path"');
    expect((await mg.api.delete('/api/v2/endpoints/shop/demo/spec')).status).toBe(200);
    expect((await mg.api.get('/api/v2/endpoints/shop/specs')).status).toBe(404);
  });
});
