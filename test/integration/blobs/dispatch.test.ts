// A protocol listener's dispatch gets a blob's bytes in the answer's body (it has no socket to stream a file to).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListenerHost } from '../../../core/contract.js';
import rest from '../../../plugins/rest/index.js';
import { hostProbe } from '../../fixtures/plugins/host-probe-plugin.js';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import { binary, serveBlob, sha256 } from './blob-client.js';

let mg: RunningMockgate;
let host: ListenerHost;
beforeAll(async () => {
  const probe = hostProbe();
  mg = await startMockgate({ plugins: [rest, probe.plugin] });
  host = await probe.host;
});
afterAll(() => mg.close());

describe('blobs through ListenerHost.dispatch', () => {
  it('answers with the bytes, and journals the blob', async () => {
    const bytes = binary(64 * 1024);
    const { blobPath } = await serveBlob(mg, 'listener', '/b', bytes, 'b.png', 'image/png');
    const answer = await host.dispatch('listener', { method: 'GET', url: '/b', transport: 'line' });
    expect(answer.status).toBe(200);
    expect(answer.headers).toMatchObject({ 'content-type': 'image/png', 'content-length': bytes.length });
    expect(sha256(Buffer.from(answer.body as Buffer))).toBe(sha256(bytes));
    const [entry] = (await mg.api.get('/api/v2/endpoints/listener/requests?mode=verbose')).body.data;
    expect(entry.response).toMatchObject({ blob: true, blobPath, size: bytes.length, body: '' });
  });
});
