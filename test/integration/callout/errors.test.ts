// Callout failures: a target that refuses the connection is 502 bad_gateway, one slower than timeoutMs is 504
// gateway_timeout (JSON envelope, answered by the core); a callout the schema or compile step refuses is a 400 with a pointer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import { calloutRule, closedPort, sleep, startUpstream, type Upstream } from './upstream.js';

let mg: RunningMockgate;
let slow: Upstream;
beforeAll(async () => {
  mg = await startMockgate();
  slow = await startUpstream(async (_req, res) => {
    await sleep(2000);
    res.end('too late');
  });
});
afterAll(async () => {
  await mg.close();
  await slow.close();
});

const RULES = '/api/v2/endpoints/errs/rules';

describe('a target that cannot answer', () => {
  it('refused connection: 502 bad_gateway naming the target and the reason', async () => {
    const port = await closedPort();
    await mg.api.post(RULES, calloutRule('/down', { behavior: 'sync', callout: { url: `http://127.0.0.1:${port}/hook?token=secret`, method: 'POST' } }));
    const res = await fetch(`${mg.url}/e/errs/down`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({
      error: { code: 'bad_gateway', message: `callout to POST http://127.0.0.1:${port}/hook failed: connect ECONNREFUSED 127.0.0.1:${port}` },
    });
  });

  it('slower than timeoutMs: 504 gateway_timeout, answered at the time limit', async () => {
    await mg.api.post(RULES, calloutRule('/slow', { behavior: 'sync', callout: { url: `${slow.url}/slow`, method: 'GET', timeoutMs: 300 } }));
    const started = performance.now();
    const res = await fetch(`${mg.url}/e/errs/slow`);
    const ms = performance.now() - started;
    expect(res.status).toBe(504);
    expect(await res.json()).toEqual({ error: { code: 'gateway_timeout', message: `callout to GET ${slow.url}/slow did not answer within 300 ms` } });
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(1500);
    expect(slow.received).toHaveLength(1);
  });

  it('journals a failed callout with behavior callout, its rule and callout.error', async () => {
    const port = await closedPort();
    const created = await mg.api.post('/api/v2/endpoints/errs-journal/rules',
      calloutRule('/down', { behavior: 'sync', callout: { url: `http://127.0.0.1:${port}/hook`, method: 'GET' } }));
    const res = await fetch(`${mg.url}/e/errs-journal/down`);
    expect(res.status).toBe(502);
    expect(res.headers.get('x-beeceptor-rule-id')).toBe(created.body.id);
    let entries: Array<{ id: string }> = [];
    for (let i = 0; i < 50 && entries.length === 0; i++) {
      await sleep(20);
      entries = (await mg.api.get('/api/v2/endpoints/errs-journal/requests')).body.data;
    }
    const entry = (await mg.api.get(`/api/v2/endpoints/errs-journal/requests/${entries[0]!.id}`)).body;
    expect(JSON.stringify(entry)).toContain(created.body.id);
    expect(JSON.stringify(entry)).toMatch(/"behavior":"callout"/);
    expect(JSON.stringify(entry)).toContain('ECONNREFUSED');
  });

  it("custom transform too: the rule's own answer waits for the target, so a timeout is a 504", async () => {
    await mg.api.post(RULES, calloutRule('/custom', { behavior: 'sync', callout: { url: `${slow.url}/x`, transform: 'custom', timeoutMs: 100 }, status: 418 }));
    const res = await fetch(`${mg.url}/e/errs/custom`);
    expect(res.status).toBe(504);
    expect(await res.json()).toEqual({ error: { code: 'gateway_timeout', message: `callout to GET ${slow.url}/x did not answer within 100 ms` } });
  });
});

describe('write-time validation', () => {
  const callout = { url: 'https://example.test/hook', method: 'POST', transform: 'forward' };
  const refusal = async (action: Record<string, unknown>): Promise<{ status: number; parameter: string; message: string }> => {
    const res = await mg.api.post('/api/v2/endpoints/errs-write/rules', calloutRule('/w', action));
    return { status: res.status, parameter: res.body.error?.parameter, message: res.body.error?.message };
  };

  it('accepts the full CalloutAction and reads it back as written', async () => {
    const action = {
      type: 'callout', behavior: 'async',
      callout: { ...callout, headers: [{ key: 'X-Hook', value: 'v', templated: false }], body: '{"a":1}', templated: false, connectionId: 'conn_12345', delay: { min: 100, max: 500 }, timeoutMs: 5000 },
      status: 202, headers: [{ key: 'Content-Type', value: 'application/json', templated: false }], body: '{"status": "accepted"}', templated: false,
    };
    const created = await mg.api.post('/api/v2/endpoints/errs-write/rules', { enabled: true, method: 'POST', conditions: [{ type: 'path', operator: 'equals', value: '/ok' }], action });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.action).toEqual(action);
  });

  it.each([
    ['a non-http url', { behavior: 'sync', callout: { ...callout, url: 'ftp://example.test/x' } }, '/action/callout/url', /must match pattern/],
    ['a url without a host', { behavior: 'sync', callout: { ...callout, url: 'http://' } }, '/action/callout/url', /is not a valid URL/],
    ['a url with credentials', { behavior: 'sync', callout: { ...callout, url: 'https://u:p@example.test/' } }, '/action/callout/url', /must not carry credentials/],
    ['a missing url', { behavior: 'sync', callout: { method: 'POST' } }, '/action/callout', /must have required property 'url'/],
    ['an unknown transform', { behavior: 'sync', callout: { ...callout, transform: 'mirror' } }, '/action/callout/transform', /must be one of: forward, custom/],
    ['an unknown behavior', { behavior: 'later', callout }, '/action/behavior', /must be one of: sync, async/],
    ['a missing behavior', { callout }, '/action', /must have required property 'behavior'/],
    ['a lower-case method', { behavior: 'sync', callout: { ...callout, method: 'post' } }, '/action/callout/method', /must be one of/],
    ['TRACE', { behavior: 'sync', callout: { ...callout, method: 'TRACE' } }, '/action/callout/method', /TRACE cannot be sent/],
    ['a GET with a body', { behavior: 'sync', callout: { ...callout, method: 'GET', body: 'x' } }, '/action/callout/body', /GET callout cannot carry a body/],
    ['a template that does not parse', { behavior: 'sync', callout: { ...callout, body: '{{#if}}', templated: true } }, '/action/callout/body', /./],
    ['an unknown helper', { behavior: 'sync', callout: { ...callout, body: '{{nope 1}}', templated: true } }, '/action/callout/body', /nope/],
    ['a bad header template', { behavior: 'sync', callout: { ...callout, headers: [{ key: 'X', value: '{{nope 1}}', templated: true }] } }, '/action/callout/headers/0/value', /nope/],
    ['a bad response template', { behavior: 'async', callout, body: '{{nope 1}}', templated: true }, '/action/body', /nope/],
    ['an unknown callout field', { behavior: 'sync', callout: { ...callout, retries: 3 } }, '/action/callout/retries', /is not a known property/],
    ['an unknown action field', { behavior: 'sync', callout, delay: 5 }, '/action/delay', /is not a known property/],
    ['delay.max below delay.min', { behavior: 'sync', callout: { ...callout, delay: { min: 500, max: 100 } } }, '/action/callout/delay/max', /must be at least min/],
    ['a negative delay', { behavior: 'sync', callout: { ...callout, delay: { min: -1 } } }, '/action/callout/delay/min', /must be >= 0/],
    ['timeoutMs over 300000', { behavior: 'sync', callout: { ...callout, timeoutMs: 300001 } }, '/action/callout/timeoutMs', /must be <= 300000/],
    ['a status out of range', { behavior: 'async', callout, status: 99 }, '/action/status', /must be >= 100/],
  ])('refuses %s: 400 at the field', async (_what, action, parameter, message) => {
    expect(await refusal(action)).toEqual({ status: 400, parameter, message: expect.stringMatching(message) });
  });
});
