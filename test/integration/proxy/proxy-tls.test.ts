// An https target with a self-signed certificate: refused (502) unless settings.proxy.ignoreSSLErrors is set.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import { startUpstream, type Upstream } from './upstream.js';

/** A throwaway self-signed key and certificate from the openssl CLI (node:crypto cannot issue certificates). */
function selfSigned(): { key: string; cert: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'mockgate-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
      '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const tls = selfSigned();

describe.skipIf(tls === undefined)('proxy to an https target with a self-signed certificate (needs the openssl CLI)', () => {
  let upstream: Upstream;
  let mg: RunningMockgate;
  beforeAll(async () => {
    upstream = await startUpstream(undefined, { tls: tls! });
    mg = await startMockgate();
  });
  afterAll(async () => {
    await mg?.close();
    await upstream?.close();
  });

  it('answers 502 bad_gateway naming the certificate problem when ignoreSSLErrors is false', async () => {
    await mg.api.patch('/api/v2/endpoints/tls/settings', { proxy: { targetUrl: upstream.url, ignoreSSLErrors: false } });
    const res = await fetch(`${mg.url}/e/tls/secure?a=1`);
    expect(res.status).toBe(502);
    const body = (await res.json()) as { error: { message: string } };
    expect(body).toMatchObject({ error: { code: 'bad_gateway' } });
    expect(body.error.message).toMatch(/SELF_SIGNED|CERT/);
    expect(upstream.seen).toHaveLength(0);
  });

  it('forwards over TLS when ignoreSSLErrors is true', async () => {
    await mg.api.patch('/api/v2/endpoints/tls/settings', { proxy: { targetUrl: upstream.url, ignoreSSLErrors: true } });
    const res = await fetch(`${mg.url}/e/tls/secure?a=1`, { method: 'POST', body: 'over tls' });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ method: 'POST', url: '/secure?a=1', body: 'over tls', headers: { 'x-forwarded-proto': 'http' } });
  });

  it('records through the same target with ignoreSSLErrors given to the recording', async () => {
    await mg.api.patch('/api/v2/endpoints/tlsrec/settings', { proxy: { targetUrl: '' } });
    expect((await mg.api.post('/api/v2/endpoints/tlsrec/recordings', { targetUrl: upstream.url, ignoreSSLErrors: true })).status).toBe(201);
    const res = await fetch(`${mg.url}/e/tlsrec/r`);
    expect(res.status).toBe(200);
    expect((await mg.api.post('/api/v2/endpoints/tlsrec/recordings/stop')).body.recording.exchanges).toBe(1);
  });
});
