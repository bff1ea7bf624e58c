// v2 history bodies: binary request and response bodies byte-exact (base64 + bodyEncoding), UTF-8 text as text, bodies over
// the journal cap (journalMaxBodyBytes) truncated and flagged with their real size, and requests the data plane refused (413).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_VERSION, defineAction, definePlugin } from '../../../core/contract.js';
import { BUILTIN_PLUGINS } from '../../../core/plugins/builtin-plugins.js';
import { mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

// Rules' mock bodies are strings; this test action answers the bytes a base64 string stands for.
const bytesPlugin = definePlugin({
  name: 'bytes-action',
  contract: CONTRACT_VERSION,
  actions: [defineAction<{ type: 'bytes'; status: number; base64: string }>({
    type: 'bytes',
    schema: {
      type: 'object', required: ['type', 'status', 'base64'], additionalProperties: false,
      properties: { type: { const: 'bytes' }, status: { type: 'integer' }, base64: { type: 'string' } },
    },
    compile: ({ status, base64 }) => {
      const body = Buffer.from(base64, 'base64');
      return (ex) => ex.respond({ status, headers: { 'content-type': 'application/octet-stream', 'content-length': body.length }, body });
    },
  })],
});

const bytesRule = (path: string, body: Buffer) => ({
  enabled: true, method: '*', conditions: [{ type: 'path', operator: 'equals', value: path }],
  action: { type: 'bytes', status: 200, base64: body.toString('base64') },
});

/** Random bytes that are certainly not UTF-8. */
function binary(n: number): Buffer {
  const b = randomBytes(n);
  b[0] = 0xff;
  return b;
}

async function only(mg: RunningMockgate, endpoint: string): Promise<any> {
  const res = await mg.api.get(`/api/v2/endpoints/${endpoint}/requests?mode=verbose`);
  expect(res.body.data).toHaveLength(1);
  return res.body.data[0];
}

describe('with the default journal cap (1 MB)', () => {
  let mg: RunningMockgate;
  beforeAll(async () => {
    mg = await startMockgate({ plugins: [...BUILTIN_PLUGINS, bytesPlugin] });
  });
  afterAll(() => mg.close());

  it('an application/octet-stream request body: base64 with bodyEncoding, byte-exact', async () => {
    const sent = binary(4096);
    const res = await fetch(`${mg.url}/e/bin-req/upload`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: sent });
    await res.text();
    const e = await only(mg, 'bin-req');
    expect(e.request.bodyEncoding).toBe('base64');
    expect(Buffer.from(e.request.body, 'base64').equals(sent)).toBe(true);
    expect(e.request.size).toBe(4096);
    expect(e.request.truncated).toBe(false);
    expect(e.request.isMultipart).toBe(false);
    // the (text) response is not flagged
    expect(e.response).not.toHaveProperty('bodyEncoding');
  });

  it('a binary response body: the client gets the exact bytes, the journal the same bytes as base64', async () => {
    const answer = binary(2500);
    await mg.api.post('/api/v2/endpoints/bin-res/rules', bytesRule('/file', answer));
    const res = await fetch(`${mg.url}/e/bin-res/file`);
    const received = Buffer.from(await res.arrayBuffer());
    expect(received.equals(answer)).toBe(true);
    const e = await only(mg, 'bin-res');
    expect(e.rule.matched).toBe(true);
    expect(e.response.bodyEncoding).toBe('base64');
    expect(Buffer.from(e.response.body, 'base64').equals(answer)).toBe(true);
    expect(e.response.size).toBe(2500);
    expect(e.response.truncated).toBe(false);
    expect(e.response.headers['content-type']).toBe('application/octet-stream');
    expect(e.request.body).toBeNull();
    expect(e.request).not.toHaveProperty('bodyEncoding');
  });

  it('binary both ways in one exchange', async () => {
    const sent = binary(777);
    const answer = binary(333);
    await mg.api.post('/api/v2/endpoints/bin-both/rules', bytesRule('/x', answer));
    await (await fetch(`${mg.url}/e/bin-both/x`, { method: 'PUT', body: sent })).arrayBuffer();
    const e = await only(mg, 'bin-both');
    expect(Buffer.from(e.request.body, 'base64').equals(sent)).toBe(true);
    expect(Buffer.from(e.response.body, 'base64').equals(answer)).toBe(true);
  });

  it('valid UTF-8 (multi-byte, control characters, NUL) stays text', async () => {
    const text = 'héllo — 世界 😀 \u0000\u0001\t\r\n';
    await mg.api.post('/api/v2/endpoints/utf8/rules', mockRule({ type: 'path', operator: 'equals', value: '/t' }, { body: `echo: ${text}` }));
    await (await fetch(`${mg.url}/e/utf8/t`, { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' }, body: text })).text();
    const e = await only(mg, 'utf8');
    expect(e.request.body).toBe(text);
    expect(e.request.size).toBe(Buffer.byteLength(text));
    expect(e.request).not.toHaveProperty('bodyEncoding');
    expect(e.response.body).toBe(`echo: ${text}`);
    expect(e.response).not.toHaveProperty('bodyEncoding');
  });

  it('a body just under 1 MB is kept whole', async () => {
    const sent = binary(1024 * 1024);
    await (await fetch(`${mg.url}/e/big-ok/x`, { method: 'POST', body: sent })).text();
    const e = await only(mg, 'big-ok');
    expect(e.request.truncated).toBe(false);
    expect(Buffer.from(e.request.body, 'base64').equals(sent)).toBe(true);
  });

  it('a body over 1 MB is cut at 1 MB', async () => {
    const sent = binary(1024 * 1024 + 1);
    await (await fetch(`${mg.url}/e/big-cut/x`, { method: 'POST', body: sent })).text();
    const e = await only(mg, 'big-cut');
    expect(e.request.truncated).toBe(true);
    expect(e.request.size).toBe(1024 * 1024 + 1);
    expect(Buffer.from(e.request.body, 'base64').equals(sent.subarray(0, 1024 * 1024))).toBe(true);
  });
});

describe('with journalMaxBodyBytes: 1000', () => {
  let mg: RunningMockgate;
  beforeAll(async () => {
    mg = await startMockgate({ config: { journalMaxBodyBytes: 1000 }, plugins: [...BUILTIN_PLUGINS, bytesPlugin] });
  });
  afterAll(() => mg.close());

  it('request and response bodies over the cap: first 1000 bytes, truncated, real sizes; the client got everything', async () => {
    const answer = 'R'.repeat(3000);
    await mg.api.post('/api/v2/endpoints/cap/rules', mockRule({ type: 'path', operator: 'equals', value: '/big' }, { body: answer }));
    const sent = 'abcdefghij'.repeat(500);
    const res = await fetch(`${mg.url}/e/cap/big`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: sent });
    expect(await res.text()).toBe(answer);
    const e = await only(mg, 'cap');
    expect(e.request).toMatchObject({ body: sent.slice(0, 1000), size: 5000, truncated: true });
    expect(e.response).toMatchObject({ body: answer.slice(0, 1000), size: 3000, truncated: true });
    // the full bodies are not searchable past the cap
    expect((await mg.api.get(`/api/v2/endpoints/cap/requests/count?requestBody=${encodeURIComponent(sent.slice(0, 1000))}`)).body.count).toBe(1);
  });

  it('exactly at the cap is not truncated; one byte more is', async () => {
    await (await fetch(`${mg.url}/e/cap-edge/a`, { method: 'POST', body: 'x'.repeat(1000) })).text();
    await (await fetch(`${mg.url}/e/cap-edge/b`, { method: 'POST', body: 'y'.repeat(1001) })).text();
    const [b, a] = (await mg.api.get('/api/v2/endpoints/cap-edge/requests?mode=verbose')).body.data;
    expect(a.request).toMatchObject({ body: 'x'.repeat(1000), size: 1000, truncated: false });
    expect(b.request).toMatchObject({ body: 'y'.repeat(1000), size: 1001, truncated: true });
  });

  it('a binary response over the cap: the first 1000 bytes as base64', async () => {
    const answer = binary(2048);
    await mg.api.post('/api/v2/endpoints/cap-bin/rules', bytesRule('/b', answer));
    expect(Buffer.from(await (await fetch(`${mg.url}/e/cap-bin/b`)).arrayBuffer()).equals(answer)).toBe(true);
    const e = await only(mg, 'cap-bin');
    expect(e.response).toMatchObject({ bodyEncoding: 'base64', size: 2048, truncated: true });
    expect(Buffer.from(e.response.body, 'base64').equals(answer.subarray(0, 1000))).toBe(true);
  });

  it('a multipart upload over the cap is journaled as cut; the request itself is answered', async () => {
    const form = new FormData();
    form.append('f', new Blob([binary(5000)]), 'big.bin');
    const res = await fetch(`${mg.url}/e/cap-mp/up`, { method: 'POST', body: form });
    expect(res.status).toBe(200);
    await res.text();
    const e = await only(mg, 'cap-mp');
    expect(e.request.truncated).toBe(true);
    expect(e.request.size).toBeGreaterThan(5000);
    expect(Buffer.from(e.request.body, 'base64').length).toBe(1000);
    // the part is listed with what was kept; a cut file is not offered for download
    expect(e.request.multipartData).toEqual([{ fieldName: 'f', fileName: 'big.bin', contentType: 'application/octet-stream', size: expect.any(Number) }]);
    expect(e.request.multipartData[0].size).toBeLessThan(1000);
    const dl = await fetch(`${mg.url}/api/v2/endpoints/cap-mp/requests/${e.id}/multipart/download?fieldName=f&component=Request`);
    expect(dl.status).toBe(404);
    // and the server is still up
    expect((await fetch(`${mg.url}/e/cap-mp/again`)).status).toBe(200);
  });
});

describe('requests the data plane refused or did not keep (maxBodyBytes: 100)', () => {
  let mg: RunningMockgate;
  beforeAll(async () => {
    mg = await startMockgate({ config: { maxBodyBytes: 100 } });
  });
  afterAll(() => mg.close());

  it('a 413 from a body rule is journaled with its status, the error it answered, and the size the client sent', async () => {
    await mg.api.post('/api/v2/endpoints/too-big/rules', mockRule({ type: 'body', operator: 'contains', value: 'needle' }, { body: 'found' }));
    const res = await fetch(`${mg.url}/e/too-big/x`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'needle'.repeat(200) });
    expect(res.status).toBe(413);
    const answered = await res.text();
    const compact = (await mg.api.get('/api/v2/endpoints/too-big/requests')).body.data;
    expect(compact).toHaveLength(1);
    expect(compact[0]).toMatchObject({ method: 'POST', path: '/x', status: 413, rule: { matched: false } });
    const e = await only(mg, 'too-big');
    expect(JSON.parse(e.response.body)).toEqual(JSON.parse(answered));
    expect(JSON.parse(e.response.body).error.code).toBe('payload_too_large');
    expect(e.request.size).toBe(1200);
    // none of the body was kept, and the entry says so: the request had a body, it is cut
    expect(e.request.truncated).toBe(true);
    expect(e.request.body).not.toBeNull();
    expect((await mg.api.get('/api/v2/endpoints/too-big/requests/count?status=413')).body.count).toBe(1);
  });

  it('a body over maxBodyBytes that no rule needed: answered 200, journaled as truncated with its real size', async () => {
    const res = await fetch(`${mg.url}/e/not-read/x`, { method: 'POST', body: 'z'.repeat(500) });
    expect(res.status).toBe(200);
    await res.text();
    const e = await only(mg, 'not-read');
    expect(e.request.size).toBe(500);
    expect(e.request.truncated).toBe(true);
  });

  it('a body under maxBodyBytes is kept whole', async () => {
    await mg.api.post('/api/v2/endpoints/small/rules', mockRule({ type: 'body', operator: 'contains', value: 'needle' }, { body: 'found' }));
    expect(await (await fetch(`${mg.url}/e/small/x`, { method: 'POST', body: 'a needle' })).text()).toBe('found');
    const e = await only(mg, 'small');
    expect(e.request).toMatchObject({ body: 'a needle', size: 8, truncated: false });
    expect(e.status).toBe(200);
    expect(e.rule.matched).toBe(true);
  });
});
