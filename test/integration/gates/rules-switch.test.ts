// rules.enabled: false skips every rule, so the fallback chain (here the default answer) answers; true brings them back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import { send } from './http-client.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(() => mg.close());

describe('rules master switch', () => {
  it('answers with the fallback while rules are off, and with the rule again once they are on', async () => {
    expect((await mg.api.post('/api/v2/endpoints/switch/rules', mockRule({ type: 'path', operator: 'equals', value: '/hello' }, { status: 201, body: 'hi' }))).status).toBe(201);
    expect(await send(mg.url, 'GET', '/e/switch/hello')).toMatchObject({ status: 201, body: 'hi' });

    expect((await mg.api.patch('/api/v2/endpoints/switch/settings', { rules: { enabled: false } })).status).toBe(200);
    const off = await send(mg.url, 'GET', '/e/switch/hello?x=1');
    expect(off.status).toBe(200);
    expect(off.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(off.headers['x-beeceptor-rule-id']).toBeUndefined();
    expect(off.body).toBe('mockgate: no rule of endpoint "switch" matched GET /hello?x=1\n');

    expect((await mg.api.patch('/api/v2/endpoints/switch/settings', { rules: { enabled: true } })).status).toBe(200);
    expect(await send(mg.url, 'GET', '/e/switch/hello')).toMatchObject({ status: 201, body: 'hi' });
  });
});
