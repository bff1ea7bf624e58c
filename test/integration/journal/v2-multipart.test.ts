// v2 history of multipart/form-data uploads: multipartData metadata, the raw body, byte-exact file download (sha256) with
// a non-ASCII file name, Content-Disposition per RFC 5987, download errors, and the multipart filters.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(() => mg.close());

const sha256 = (b: Buffer | Uint8Array): string => createHash('sha256').update(b).digest('hex');

async function only(endpoint: string): Promise<any> {
  const res = await mg.api.get(`/api/v2/endpoints/${endpoint}/requests?mode=verbose`);
  expect(res.body.data).toHaveLength(1);
  return res.body.data[0];
}

async function download(endpoint: string, id: string, query: string): Promise<Response> {
  return fetch(`${mg.url}/api/v2/endpoints/${endpoint}/requests/${id}/multipart/download?${query}`);
}

/** The file name a Content-Disposition header carries, checking its filename* is RFC 5987 / 8187 ext-value syntax. */
function fileNameOf(disposition: string): string {
  const m = /(?:^|;\s*)filename\*=UTF-8''([^;\s]*)/i.exec(disposition);
  expect(m, disposition).not.toBeNull();
  // attr-char = ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~", else pct-encoded
  expect(m![1]).toMatch(/^(?:[A-Za-z0-9!#$&+\-.^_`|~]|%[0-9A-F]{2})*$/);
  return decodeURIComponent(m![1]!);
}

describe('an upload sent by fetch (FormData)', () => {
  const file = randomBytes(64 * 1024);
  file[0] = 0xff; // never valid UTF-8
  const fileName = 'résumé 履歴書 😀.bin';
  let entry: any;

  beforeAll(async () => {
    await mg.api.post('/api/v2/endpoints/mp1/rules', mockRule({ type: 'path', operator: 'equals', value: '/upload' }, { status: 201, body: 'stored' }));
    const form = new FormData();
    form.append('description', 'hello wörld');
    form.append('attachment', new Blob([file], { type: 'application/x-custom-bin' }), fileName);
    form.append('notes', new Blob(['line one\nline two'], { type: 'text/plain' }), 'notes.txt');
    const res = await fetch(`${mg.url}/e/mp1/upload`, { method: 'POST', body: form });
    expect(res.status).toBe(201);
    expect(await res.text()).toBe('stored');
    entry = await only('mp1');
  });

  it('request.isMultipart and multipartData: every part in order, file bytes not inlined', () => {
    expect(entry.request.isMultipart).toBe(true);
    expect(entry.request.multipartData).toEqual([
      { fieldName: 'description', contentType: 'text/plain', size: Buffer.byteLength('hello wörld'), value: 'hello wörld' },
      { fieldName: 'attachment', fileName, contentType: 'application/x-custom-bin', size: file.length },
      { fieldName: 'notes', fileName: 'notes.txt', contentType: 'text/plain', size: 17 },
    ]);
  });

  it('the raw body is kept too (base64, since it holds binary), and its size', () => {
    expect(entry.request.bodyEncoding).toBe('base64');
    const raw = Buffer.from(entry.request.body, 'base64');
    expect(raw.length).toBe(entry.request.size);
    expect(raw.includes(file)).toBe(true);
    expect(entry.request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
  });

  it('downloads the file byte-exact with its type, length and original (non-ASCII) name', async () => {
    const res = await download('mp1', entry.id, 'fieldName=attachment&component=Request');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-custom-bin');
    expect(res.headers.get('content-length')).toBe(String(file.length));
    const disposition = res.headers.get('content-disposition')!;
    expect(disposition).toMatch(/^attachment;/);
    expect(fileNameOf(disposition)).toBe(fileName);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(sha256(bytes)).toBe(sha256(file));
  });

  it('downloads a second file of the same request', async () => {
    const res = await download('mp1', entry.id, 'fieldName=notes&component=Request');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain');
    expect(fileNameOf(res.headers.get('content-disposition')!)).toBe('notes.txt');
    expect(await res.text()).toBe('line one\nline two');
  });

  it('filters: isMultipart, hasAttachments, requestBody over field and (non-ASCII) file names', async () => {
    await (await fetch(`${mg.url}/e/mp1/upload`, { method: 'POST', body: 'not multipart' })).text();
    const q = async (query: string) => (await mg.api.get(`/api/v2/endpoints/mp1/requests?${query}`)).body.data.map((e: any) => e.id);
    expect(await q('isMultipart=true')).toEqual([entry.id]);
    expect(await q('hasAttachments=true')).toEqual([entry.id]);
    expect(await q('isMultipart=false')).toHaveLength(1);
    expect(await q('isMultipart=false')).not.toContain(entry.id);
    expect(await q('requestBody=attachment')).toEqual([entry.id]);
    expect(await q(`requestBody=${encodeURIComponent('履歴書')}`)).toEqual([entry.id]);
    expect(await q(`requestBody=${encodeURIComponent('^notes\\.txt$')}`)).toEqual([entry.id]);
  });
});

describe('a hand-built multipart body', () => {
  const boundary = '----mockgateBoundary7MA4YWxkTrZu0gW';
  const file = randomBytes(3000);
  file[10] = 0xc0; // an invalid UTF-8 lead byte
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''%E6%97%A5%E6%9C%AC%27s%20%28draft%29%2A.dat\r\nContent-Type: application/octet-stream\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="empty"; filename="empty.txt"\r\nContent-Type: text/plain\r\n\r\n\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="plain"\r\n\r\nvalue\r\n--${boundary}--\r\n`),
  ]);
  let entry: any;

  beforeAll(async () => {
    const res = await fetch(`${mg.url}/e/mp2/anything`, { method: 'PUT', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body });
    expect(res.status).toBe(200);
    await res.text();
    entry = await only('mp2');
  });

  it('the journal keeps the exact body bytes', () => {
    expect(entry.request.bodyEncoding).toBe('base64');
    expect(Buffer.from(entry.request.body, 'base64').equals(body)).toBe(true);
    expect(entry.request.size).toBe(body.length);
    expect(entry.rule).toEqual({ matched: false });
  });

  it('RFC 5987 filename*, an empty file and a text field', () => {
    expect(entry.request.multipartData).toEqual([
      { fieldName: 'file', fileName: "日本's (draft)*.dat", contentType: 'application/octet-stream', size: 3000 },
      { fieldName: 'empty', fileName: 'empty.txt', contentType: 'text/plain', size: 0 },
      { fieldName: 'plain', contentType: 'text/plain', size: 5, value: 'value' },
    ]);
  });

  it('download: byte-exact, and a name with quote, parentheses and star is still a valid ext-value', async () => {
    const res = await download('mp2', entry.id, 'fieldName=file&component=Request');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(fileNameOf(res.headers.get('content-disposition')!)).toBe("日本's (draft)*.dat");
    expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(sha256(file));
  });

  it('download of an empty file: 200 with no bytes', async () => {
    const res = await download('mp2', entry.id, 'fieldName=empty&component=Request');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('0');
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });

  it('download errors: 400 for a missing or invalid parameter, 404 for what is absent', async () => {
    const cases: Array<[string, string, number, string?]> = [
      [entry.id, 'component=Request', 400, 'fieldName'],
      [entry.id, 'fieldName=&component=Request', 400, 'fieldName'],
      [entry.id, 'fieldName=file', 400, 'component'],
      [entry.id, 'fieldName=file&component=Response', 400, 'component'],
      [entry.id, 'fieldName=file&component=request', 400, 'component'],
      [entry.id, 'fieldName=nosuchfield&component=Request', 404],
      [entry.id, 'fieldName=plain&component=Request', 404], // a text field, not a file
      [entry.id, 'fieldName=file&component=CalloutRequest', 404],
      ['nosuchreqid', 'fieldName=file&component=Request', 404],
    ];
    for (const [id, query, status, parameter] of cases) {
      const res = await download('mp2', id, query);
      expect(res.status, query).toBe(status);
      const error = ((await res.json()) as { error: { code: string; parameter?: string } }).error;
      expect(error.code, query).toBe(status === 400 ? 'validation_error' : 'not_found');
      if (parameter) expect(error.parameter, query).toBe(parameter);
    }
  });

  it('another endpoint cannot download this endpoint’s file', async () => {
    await (await fetch(`${mg.url}/e/mp2-other/x`)).text();
    const res = await download('mp2-other', entry.id, 'fieldName=file&component=Request');
    expect(res.status).toBe(404);
  });

  it('deleting the entry deletes its files', async () => {
    expect((await mg.api.delete(`/api/v2/endpoints/mp2/requests/${entry.id}`)).body).toEqual({ id: entry.id, deleted: true });
    expect((await download('mp2', entry.id, 'fieldName=file&component=Request')).status).toBe(404);
  });
});

describe('an upload over the journal cap (default 1 MB)', () => {
  it('does not take the server down; the entry lists the cut part, small files before it stay downloadable', async () => {
    const small = randomBytes(1000);
    const form = new FormData();
    form.append('small', new Blob([small]), 'small.bin');
    form.append('big', new Blob([randomBytes(1536 * 1024)]), 'big.bin');
    const res = await fetch(`${mg.url}/e/mp-big/up`, { method: 'POST', body: form });
    expect(res.status).toBe(200);
    await res.text();
    const e = await only('mp-big');
    expect(e.request.truncated).toBe(true);
    expect(e.request.isMultipart).toBe(true);
    expect(e.request.multipartData.map((p: any) => [p.fieldName, p.fileName])).toEqual([['small', 'small.bin'], ['big', 'big.bin']]);
    expect(e.request.multipartData[0].size).toBe(1000);
    expect(e.request.multipartData[1].size).toBeLessThan(1024 * 1024);
    const ok = await download('mp-big', e.id, 'fieldName=small&component=Request');
    expect(sha256(Buffer.from(await ok.arrayBuffer()))).toBe(sha256(small));
    expect((await download('mp-big', e.id, 'fieldName=big&component=Request')).status).toBe(404);
    expect((await fetch(`${mg.url}/e/mp-big/still-up`)).status).toBe(200);
  });
});

describe('not multipart, or broken', () => {
  it('a non-multipart request has isMultipart false and no multipartData', async () => {
    await (await fetch(`${mg.url}/e/mp3/x`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).text();
    const e = await only('mp3');
    expect(e.request.isMultipart).toBe(false);
    expect(e.request).not.toHaveProperty('multipartData');
  });

  it('a multipart content type with a broken body is journaled with what parsed, and the request is answered', async () => {
    const res = await fetch(`${mg.url}/e/mp4/x`, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=abc' }, body: '--abc\r\nContent-Disposition: form-data; name="a"\r\n\r\nunterminated' });
    expect(res.status).toBe(200);
    await res.text();
    const e = await only('mp4');
    expect(e.request.body).toBe('--abc\r\nContent-Disposition: form-data; name="a"\r\n\r\nunterminated');
    expect(Array.isArray(e.request.multipartData ?? [])).toBe(true);
  });

  it('a multipart content type without a boundary does not break the journal', async () => {
    const res = await fetch(`${mg.url}/e/mp5/x`, { method: 'POST', headers: { 'content-type': 'multipart/form-data' }, body: 'whatever' });
    expect(res.status).toBe(200);
    await res.text();
    const e = await only('mp5');
    expect(e.request.body).toBe('whatever');
  });
});
