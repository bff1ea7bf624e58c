// customDomain: a request whose Host is an endpoint's enabled domain reaches that endpoint; one domain, one endpoint
// (409 conflict otherwise); the base domain, IP addresses and localhost stay the management API's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import { send } from './http-client.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate({ config: { baseDomain: 'mock.test' } });
});
afterAll(() => mg.close());

async function endpointSaying(name: string, body: string): Promise<void> {
  const res = await mg.api.post(`/api/v2/endpoints/${name}/rules`, mockRule({ type: 'path', operator: 'equals', value: '/hello' }, { body }));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

const domain = (enabled: boolean, name: string) => ({ customDomain: { enabled, domain: name } });
const viaHost = (host: string, path = '/hello') => send(mg.url, 'GET', path, { host });

describe('custom domain', () => {
  it('routes a request whose Host is the domain, port aside and in any case, with its whole path', async () => {
    await endpointSaying('branded', 'branded');
    const patched = await mg.api.patch('/api/v2/endpoints/branded/settings', domain(true, 'Api.Example.test'));
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    for (const host of ['api.example.test', 'API.EXAMPLE.TEST:8443', 'api.example.test:80']) {
      const res = await viaHost(host);
      expect(res.status, host).toBe(200);
      expect(res.body, host).toBe('branded');
    }
    // a host that is no endpoint's goes to the management API, which has no /hello
    expect((await viaHost('www.example.test')).status).toBe(404);
  });

  it('refuses a domain another endpoint has enabled with 409 conflict, changing nothing', async () => {
    await endpointSaying('claimer', 'claimer');
    await endpointSaying('rival', 'rival');
    expect((await mg.api.patch('/api/v2/endpoints/claimer/settings', domain(true, 'shop.example.test'))).status).toBe(200);
    const res = await mg.api.patch('/api/v2/endpoints/rival/settings', { locale: 'fr', ...domain(true, 'SHOP.example.test') });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: {
      code: 'conflict', message: 'custom domain "shop.example.test" is already the domain of endpoint "claimer"', parameter: '/customDomain/domain',
    } });
    expect((await mg.api.get('/api/v2/endpoints/rival/settings')).body.locale).toBe('en');
    // a PATCH that loses creates no endpoint
    expect((await mg.api.patch('/api/v2/endpoints/ghost/settings', domain(true, 'shop.example.test'))).status).toBe(409);
    expect((await mg.api.get('/api/v2/endpoints/ghost')).status).toBe(404);
    // the same endpoint may write its own domain again; a disabled one claims nothing
    expect((await mg.api.patch('/api/v2/endpoints/claimer/settings', domain(true, 'shop.example.test'))).status).toBe(200);
    expect((await mg.api.patch('/api/v2/endpoints/rival/settings', domain(false, 'shop.example.test'))).status).toBe(200);
    expect((await viaHost('shop.example.test')).body).toBe('claimer');
  });

  it('frees the domain when it is disabled, changed or its endpoint deleted', async () => {
    await endpointSaying('first', 'first');
    await endpointSaying('second', 'second');
    await mg.api.patch('/api/v2/endpoints/first/settings', domain(true, 'moving.example.test'));
    expect((await viaHost('moving.example.test')).body).toBe('first');

    await mg.api.patch('/api/v2/endpoints/first/settings', { customDomain: { enabled: false } });
    expect((await viaHost('moving.example.test')).status).toBe(404);
    expect((await mg.api.patch('/api/v2/endpoints/second/settings', domain(true, 'moving.example.test'))).status).toBe(200);
    expect((await viaHost('moving.example.test')).body).toBe('second');

    await mg.api.patch('/api/v2/endpoints/second/settings', { customDomain: { domain: 'moved.example.test' } });
    expect((await viaHost('moving.example.test')).status).toBe(404);
    expect((await viaHost('moved.example.test')).body).toBe('second');

    expect((await mg.api.delete('/api/v2/endpoints/second')).status).toBe(200);
    expect((await viaHost('moved.example.test')).status).toBe(404);
    expect((await mg.api.patch('/api/v2/endpoints/first/settings', domain(true, 'moved.example.test'))).status).toBe(200);
    expect((await viaHost('moved.example.test')).body).toBe('first');
  });

  it('wins over <name>.<base-domain>, but never takes the base domain itself', async () => {
    await endpointSaying('shadow', 'shadow itself');
    await endpointSaying('owner', 'owner');
    expect((await viaHost('shadow.mock.test')).body).toBe('shadow itself');
    await mg.api.patch('/api/v2/endpoints/owner/settings', domain(true, 'shadow.mock.test'));
    expect((await viaHost('shadow.mock.test')).body).toBe('owner');

    expect((await mg.api.patch('/api/v2/endpoints/owner/settings', domain(true, 'mock.test'))).status).toBe(200);
    const health = await viaHost('mock.test:1234', '/api/health');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body).status).toBe('ok');
  });

  it('refuses IP addresses and localhost, which reach the management API', async () => {
    for (const name of ['127.0.0.1', '10.0.0.1', 'localhost', 'LocalHost']) {
      const res = await mg.api.patch('/api/v2/endpoints/branded/settings', domain(true, name));
      expect(res.status, name).toBe(400);
      expect(res.body.error, name).toEqual({
        code: 'validation_error', message: '/customDomain/domain: must be a domain name, not an IP address or localhost', parameter: '/customDomain/domain',
      });
    }
  });

  it('is still in force after a restart', async () => {
    const own = await startMockgate();
    try {
      const rule = await own.api.post('/api/v2/endpoints/kept/rules', mockRule({ type: 'path', operator: 'equals', value: '/hello' }, { body: 'kept' }));
      expect(rule.status).toBe(201);
      expect((await own.api.patch('/api/v2/endpoints/kept/settings', domain(true, 'kept.example.test'))).status).toBe(200);
      await own.close({ removeData: false });
      const again = await startMockgate({ dataDir: own.dataDir });
      try {
        expect((await send(again.url, 'GET', '/hello', { host: 'kept.example.test' })).body).toBe('kept');
        expect((await again.api.patch('/api/v2/endpoints/other/settings', domain(true, 'kept.example.test'))).status).toBe(409);
      } finally {
        await again.close();
      }
    } catch (err) {
      await own.close().catch(() => undefined);
      throw err;
    }
  });
});
