// Helpers for the blob tests: uploads (through FormData, or a multipart body built byte by byte), rules serving a blob.
import { createHash, randomBytes } from 'node:crypto';
import type { ApiResponse, RunningMockgate } from '../../helpers/start-mockgate.js';

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Random bytes that contain every byte value at least once. */
export function binary(size: number): Buffer {
  const bytes = randomBytes(size);
  for (let i = 0; i < 256; i++) bytes[i * 7] = i;
  return bytes;
}

export async function upload(mg: RunningMockgate, endpoint: string, bytes: Uint8Array, fileName = 'file.bin', type?: string): Promise<ApiResponse> {
  const form = new FormData();
  form.append('file', new Blob([bytes], type === undefined ? {} : { type }), fileName);
  const res = await fetch(`${mg.url}/api/v2/endpoints/${endpoint}/blobs`, { method: 'POST', body: form });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

/** A multipart/form-data body with exactly these parts (a part's `type` undefined: no Content-Type header at all). */
export function multipart(parts: Array<{ name: string; fileName?: string; type?: string; bytes: Uint8Array | string }>): { body: Buffer; contentType: string } {
  const boundary = '----mockgate-test-boundary';
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.fileName === undefined ? '' : `; filename="${p.fileName}"`}`;
    const head = `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type === undefined ? '' : `Content-Type: ${p.type}\r\n`}\r\n`;
    chunks.push(Buffer.from(head), Buffer.from(p.bytes), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export function sendMultipart(mg: RunningMockgate, endpoint: string, parts: Parameters<typeof multipart>[0]): Promise<ApiResponse> {
  const { body, contentType } = multipart(parts);
  return mg.api.send('POST', `/api/v2/endpoints/${endpoint}/blobs`, body, { 'content-type': contentType });
}

/** A v2 rule answering GET <path> with the blob. */
export function blobRule(path: string, blobPath: string, action: Record<string, unknown> = {}) {
  return {
    enabled: true,
    method: 'GET',
    conditions: [{ type: 'path', operator: 'equals', value: path }],
    action: { type: 'mock', status: 200, headers: [], blobPath, ...action },
  };
}

/** Uploads the bytes and adds a rule serving them at `path`; returns the blob path and the rule id. */
export async function serveBlob(mg: RunningMockgate, endpoint: string, path: string, bytes: Uint8Array, fileName?: string, type?: string): Promise<{ blobPath: string; ruleId: string }> {
  const uploaded = await upload(mg, endpoint, bytes, fileName, type);
  if (uploaded.status !== 201) throw new Error(`upload failed: ${JSON.stringify(uploaded.body)}`);
  const rule = await mg.api.post(`/api/v2/endpoints/${endpoint}/rules`, blobRule(path, uploaded.body.blobPath));
  if (rule.status !== 201) throw new Error(`rule failed: ${JSON.stringify(rule.body)}`);
  return { blobPath: uploaded.body.blobPath, ruleId: rule.body.id };
}
