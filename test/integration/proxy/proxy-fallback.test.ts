// The `proxy` fallback step: a request no rule answers goes to settings.proxy.targetUrl and its answer comes back.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../core/config.js';
import { createMockgate, type Mockgate } from '../../../core/index.js';
import { BUILTIN_PLUGINS } from '../../../core/plugins/builtin-plugins.js';
import linePlugin from '../../fixtures/plugins/line-listener-plugin.js';
import { createApiClient, mockRule, type ApiClient } from '../../helpers/start-mockgate.js';
import { deadUrl, startUpstream, type Upstream } from './upstream.js';

// started by hand rather than with startMockgate: the line listener's URL is needed too
let mg: { url: string; lineUrl: string; api: ApiClient; mockgate: Mockgate; dataDir: string };
let upstream: Upstream;

beforeAll(async () => {
  upstream = await startUpstream();
  const dataDir = mkdtempSync(join(tmpdir(), 'mockgate-test-'));
  const mockgate = await createMockgate(resolveConfig({ port: 0, grpcPort: 0, host: '127.0.0.1', logLevel: 'silent', dataDir }),
    { plugins: [...BUILTIN_PLUGINS, linePlugin] });
  const [url, ...listeners] = await mockgate.listen();
  const lineUrl = listeners.find((u) => u.startsWith('line://'));
  mg = { url: url!, lineUrl: lineUrl!, api: createApiClient(url!), mockgate, dataDir };
});
afterAll(async () => {
  await mg.mockgate.close();
  rmSync(mg.dataDir, { recursive: true, force: true });
  await upstream.close();
});

const proxyTo = (endpoint: string, targetUrl: string, ignoreSSLErrors = false) =>
  mg.api.patch(`/api/v2/endpoints/${endpoint}/settings`, { proxy: { targetUrl, ignoreSSLErrors } });

async function newestEntry(endpoint: string): Promise<any> {
  const list = await mg.api.get(`/api/v2/endpoints/${endpoint}/requests?limit=1`);
  return (await mg.api.get(`/api/v2/endpoints/${endpoint}/requests/${list.body.data[0].id}`)).body;
}

describe('proxy fallback', () => {
  it('forwards method, path under the target path, query, headers and body; relays status, headers and body', async () => {
    expect((await proxyTo('fwd', `${upstream.url}/base`)).status).toBe(200);
    const res = await fetch(`${mg.url}/e/fwd/users/7?x=1&y=a%20b`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-custom': 'v1' },
      body: JSON.stringify({ name: 'alex' }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-upstream')).toBe('yes');
    expect(res.headers.get('x-beeceptor-rule-id')).toBeNull();
    const echoed = (await res.json()) as { headers: Record<string, string> };
    expect(echoed).toMatchObject({ method: 'POST', url: '/base/users/7?x=1&y=a%20b', body: '{"name":"alex"}' });
    expect(echoed.headers).toMatchObject({
      'x-custom': 'v1',
      'content-type': 'application/json',
      host: new URL(upstream.url).host, // changeOrigin
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
    });
  });

  it('lets a matching rule answer first; only the requests no rule answers reach the target', async () => {
    await proxyTo('rulesfirst', upstream.url);
    await mg.api.post('/api/v2/endpoints/rulesfirst/rules', mockRule({ type: 'path', operator: 'equals', value: '/mocked' }, { status: 203, body: 'from rule' }));
    const before = upstream.seen.length;
    const mocked = await fetch(`${mg.url}/e/rulesfirst/mocked`);
    expect(mocked.status).toBe(203);
    expect(await mocked.text()).toBe('from rule');
    expect(upstream.seen.length).toBe(before);
    const proxied = await fetch(`${mg.url}/e/rulesfirst/other`);
    expect(proxied.status).toBe(200);
    expect(((await proxied.json()) as { url: string }).url).toBe('/other');
    expect(upstream.seen.length).toBe(before + 1);
  });

  it('answers the default answer again once the target is removed', async () => {
    await proxyTo('removed', upstream.url);
    expect((await fetch(`${mg.url}/e/removed/a`)).headers.get('x-upstream')).toBe('yes');
    await proxyTo('removed', '');
    const res = await fetch(`${mg.url}/e/removed/a`);
    expect(res.headers.get('x-upstream')).toBeNull();
    expect(await res.text()).toContain('no rule of endpoint "removed" matched GET /a');
  });

  it('journals the exchange with behavior proxy: the client\'s own headers, the relayed answer', async () => {
    await proxyTo('journaled', upstream.url);
    const res = await fetch(`${mg.url}/e/journaled/orders?page=2`, { method: 'PUT', headers: { 'x-trace': 't-1' }, body: 'hello upstream' });
    const relayed = await res.text();
    const entry = await newestEntry('journaled');
    expect(entry).toMatchObject({ method: 'PUT', path: '/orders?page=2', status: 200, behavior: 'proxy', rule: { matched: false } });
    expect(entry.request).toMatchObject({ body: 'hello upstream', size: 14 });
    expect(entry.request.headers['x-trace']).toBe('t-1');
    expect(entry.request.headers['x-forwarded-for']).toBeUndefined();
    expect(entry.request.headers.host).toBe(new URL(mg.url).host);
    expect(entry.response.body).toBe(relayed);
    expect(entry.response.headers).toMatchObject({ 'x-upstream': 'yes', 'content-type': 'application/json' });
    const filtered = await mg.api.get('/api/v2/endpoints/journaled/requests/count?behavior=proxy');
    expect(filtered.body).toEqual({ count: 1 });
  });

  it('answers 502 bad_gateway as JSON when the target cannot be reached', async () => {
    await proxyTo('down', await deadUrl());
    const res = await fetch(`${mg.url}/e/down/anything`);
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { error: { message: string } };
    expect(body).toMatchObject({ error: { code: 'bad_gateway' } });
    expect(body.error.message).toContain('ECONNREFUSED');
    // journaled as the proxy step's answer, marked as not the target's
    expect(await newestEntry('down')).toMatchObject({ status: 502, behavior: 'proxy', forwardError: 'bad_gateway' });
  });

  it('forwards a protocol listener\'s request (ListenerHost.dispatch) as a buffered request', async () => {
    await proxyTo('line', `${upstream.url}/via-line`);
    const answer = await talk(mg.lineUrl, 'GET line /ping?q=1');
    expect(answer).toMatch(/^200 \{/);
    expect(JSON.parse(answer.slice(4))).toMatchObject({ method: 'GET', url: '/via-line/ping?q=1' });
  });
});

function talk(url: string, line: string): Promise<string> {
  const { hostname, port } = new URL(url.replace(/^line:/, 'http:'));
  const socket = connect(Number(port), hostname);
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    createInterface({ input: socket }).once('line', (answer) => {
      socket.destroy();
      resolve(answer);
    });
    socket.write(`${line}\n`);
  });
}
