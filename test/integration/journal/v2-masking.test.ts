// v2 history header masking: settings.journal.maskHeaders masks the sensitive headers (and maskedHeaders) of requests and
// responses as "***" with redacted: true; off, everything is stored as sent. The client's own exchange is never altered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(() => mg.close());

const SENSITIVE_REQUEST = {
  authorization: 'Bearer secret-token',
  cookie: 'session=abc123',
  'proxy-authorization': 'Basic dXNlcjpwYXNz',
  'x-api-key': 'key-123',
  'X-Secret-Token': 'custom-secret',
  'x-visible': 'fine',
};

async function setUp(endpoint: string, journal: Record<string, unknown> | undefined): Promise<void> {
  if (journal) {
    const res = await mg.api.patch(`/api/v2/endpoints/${endpoint}/settings`, { journal });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  await mg.api.post(`/api/v2/endpoints/${endpoint}/rules`, mockRule({ type: 'path', operator: 'equals', value: '/login' }, {
    body: 'welcome',
    headers: [
      { key: 'Set-Cookie', value: 'session=new; HttpOnly' },
      { key: 'Set-Cookie', value: 'theme=dark' },
      { key: 'X-Secret-Token', value: 'server-secret' },
      { key: 'X-Trace', value: 'trace-1' },
    ],
  }));
}

async function send(endpoint: string, headers: Record<string, string> = SENSITIVE_REQUEST): Promise<Response> {
  const res = await fetch(`${mg.url}/e/${endpoint}/login`, { method: 'POST', headers, body: 'user=alice' });
  expect(await res.text()).toBe('welcome');
  return res;
}

async function only(endpoint: string): Promise<any> {
  const res = await mg.api.get(`/api/v2/endpoints/${endpoint}/requests?mode=verbose`);
  expect(res.body.data).toHaveLength(1);
  return res.body.data[0];
}

describe('masking on, with a custom masked header', () => {
  let res: Response;
  let e: any;
  beforeAll(async () => {
    await setUp('mask-on', { maskHeaders: true, maskedHeaders: ['X-Secret-Token'] });
    res = await send('mask-on');
    e = await only('mask-on');
  });

  it('request: authorization, cookie, proxy-authorization, x-api-key and the custom header are ***', () => {
    expect(e.request.headers).toMatchObject({
      authorization: '***', cookie: '***', 'proxy-authorization': '***', 'x-api-key': '***', 'x-secret-token': '***', 'x-visible': 'fine',
    });
    expect(e.request.redacted).toBe(true);
    expect(JSON.stringify(e)).not.toMatch(/Bearer|abc123|dXNlcjpwYXNz|key-123|custom-secret|server-secret|session=new|theme=dark/);
  });

  it('response: set-cookie and the custom header are ***, others as sent', () => {
    expect(e.response.headers['set-cookie']).toBe('***');
    expect(e.response.headers['x-secret-token']).toBe('***');
    expect(e.response.headers['x-trace']).toBe('trace-1');
    expect(e.response.redacted).toBe(true);
  });

  it('bodies are not masked', () => {
    expect(e.request.body).toBe('user=alice');
    expect(e.response.body).toBe('welcome');
  });

  it('the client still got the real headers', () => {
    expect(res.headers.getSetCookie()).toEqual(['session=new; HttpOnly', 'theme=dark']);
    expect(res.headers.get('x-secret-token')).toBe('server-secret');
  });

  it('GET /requests/{id} is masked too', async () => {
    const one = await mg.api.get(`/api/v2/endpoints/mask-on/requests/${e.id}`);
    expect(one.body.request.headers.authorization).toBe('***');
    expect(one.body.response.headers['set-cookie']).toBe('***');
  });

  it('masked values cannot be searched', async () => {
    expect((await mg.api.get('/api/v2/endpoints/mask-on/requests/count?requestBody=secret-token')).body.count).toBe(0);
  });
});

describe('redacted is per side', () => {
  it('a request without sensitive headers is not redacted, while its response (set-cookie) is', async () => {
    await setUp('mask-side', { maskHeaders: true });
    await send('mask-side', { 'x-visible': 'fine' });
    const e = await only('mask-side');
    expect(e.request.headers['x-visible']).toBe('fine');
    expect(e.request.redacted).toBe(false);
    expect(e.response.headers['set-cookie']).toBe('***');
    expect(e.response.redacted).toBe(true);
    // without a custom list, x-secret-token is not sensitive
    expect(e.response.headers['x-secret-token']).toBe('server-secret');
  });

  it('nothing sensitive anywhere: redacted false on both sides even with masking on', async () => {
    await mg.api.patch('/api/v2/endpoints/mask-clean/settings', { journal: { maskHeaders: true } });
    await (await fetch(`${mg.url}/e/mask-clean/x`, { headers: { 'x-visible': 'fine' } })).text();
    const e = await only('mask-clean');
    expect(e.request.redacted).toBe(false);
    expect(e.response.redacted).toBe(false);
  });
});

describe('masking off', () => {
  it('by default: every header stored as sent, redacted false', async () => {
    await setUp('mask-off', undefined);
    await send('mask-off');
    const e = await only('mask-off');
    expect(e.request.headers).toMatchObject({
      authorization: 'Bearer secret-token', cookie: 'session=abc123', 'proxy-authorization': 'Basic dXNlcjpwYXNz', 'x-api-key': 'key-123',
      'x-secret-token': 'custom-secret',
    });
    expect(e.request.redacted).toBe(false);
    expect(e.response.headers['set-cookie']).toBe('session=new; HttpOnly, theme=dark');
    expect(e.response.headers['x-secret-token']).toBe('server-secret');
    expect(e.response.redacted).toBe(false);
  });

  it('maskedHeaders without maskHeaders masks nothing', async () => {
    await setUp('mask-list-only', { maskHeaders: false, maskedHeaders: ['x-secret-token'] });
    await send('mask-list-only');
    const e = await only('mask-list-only');
    expect(e.request.headers['x-secret-token']).toBe('custom-secret');
    expect(e.request.headers.authorization).toBe('Bearer secret-token');
    expect(e.request.redacted).toBe(false);
  });
});

describe('changing the setting', () => {
  it('applies to requests from then on; entries already stored keep what they stored', async () => {
    await setUp('mask-switch', undefined);
    await send('mask-switch');
    await mg.api.patch('/api/v2/endpoints/mask-switch/settings', { journal: { maskHeaders: true } });
    await send('mask-switch');
    const [masked, plain] = (await mg.api.get('/api/v2/endpoints/mask-switch/requests?mode=verbose')).body.data;
    expect(masked.request.headers.authorization).toBe('***');
    expect(plain.request.headers.authorization).toBe('Bearer secret-token');
  });
});
