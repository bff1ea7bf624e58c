// API key: every /api call needs it when configured; traffic to endpoints does not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

const KEY = 'test-key-0123456789';
let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate({ config: { apiKey: KEY }, authorization: KEY });
});
afterAll(() => mg.close());

describe('API key', () => {
  it('accepts the key plain or as a Bearer token', async () => {
    expect((await mg.api.get('/api/v2/endpoints')).status).toBe(200);
    expect((await createApiClient(mg.url, `Bearer ${KEY}`).get('/api/v2/endpoints')).status).toBe(200);
  });

  it('401 missing_authentication without the header, 401 unauthorized_api_key with a wrong key', async () => {
    for (const path of ['/api/v2/endpoints', '/api/v2/endpoints/x/rules', '/api/v1/endpoints/x/rules', '/api/health', '/api/v2/nothing']) {
      const none = await createApiClient(mg.url).get(path);
      expect(none.status, path).toBe(401);
      expect(none.body.error.code).toBe('missing_authentication');
      const wrong = await createApiClient(mg.url, 'Bearer nope').get(path);
      expect(wrong.status, path).toBe(401);
      expect(wrong.body.error.code).toBe('unauthorized_api_key');
    }
    const write = await createApiClient(mg.url, 'wrong').post('/api/v2/endpoints/x/rules', mockRule({ type: 'path', operator: 'equals', value: '/' }));
    expect(write.status).toBe(401);
    expect((await mg.api.get('/api/v2/endpoints/x/rules')).body).toEqual({ data: [] });
  });

  it('does not guard mock traffic', async () => {
    await mg.api.post('/api/v2/endpoints/open/rules', mockRule({ type: 'path', operator: 'equals', value: '/' }, { body: 'open' }));
    expect(await (await fetch(`${mg.url}/e/open/`)).text()).toBe('open');
  });
});
