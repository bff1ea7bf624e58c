// The mock and weighted actions, first-match order and disabled rules, through real HTTP.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(() => mg.close());

const path = (value: string) => ({ type: 'path', operator: 'equals', value });

describe('mock action', () => {
  it('answers the status, headers and body of the rule, and the rule id header', async () => {
    const created = await mg.api.post('/api/v2/endpoints/m1/rules', mockRule(path('/hello'), {
      status: 418,
      body: '{"hello":"world"}',
      headers: [{ key: 'Content-Type', value: 'application/json' }, { key: 'Set-Cookie', value: 'a=1' }, { key: 'Set-Cookie', value: 'b=2' }],
    }));
    const res = await fetch(`${mg.url}/e/m1/hello`);
    expect(res.status).toBe(418);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(res.headers.get('x-beeceptor-rule-id')).toBe(created.body.id);
    expect(res.headers.get('content-length')).toBe('17');
    expect(await res.text()).toBe('{"hello":"world"}');
  });

  it('frames the body itself: a content-length given in the rule cannot corrupt the connection', async () => {
    await mg.api.post('/api/v2/endpoints/m2/rules', mockRule(path('/x'), { body: 'abc', headers: [{ key: 'Content-Length', value: '999' }] }));
    const res = await fetch(`${mg.url}/e/m2/x`);
    expect(res.headers.get('content-length')).toBe('3');
    expect(await res.text()).toBe('abc');
  });

  it('waits the delay before answering', async () => {
    await mg.api.post('/api/v2/endpoints/m3/rules', { ...mockRule(path('/slow')), action: { type: 'mock', status: 200, headers: [], body: 'late', delay: 300 } });
    const started = performance.now();
    const res = await fetch(`${mg.url}/e/m3/slow`);
    expect(await res.text()).toBe('late');
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('keeps answering other requests while one waits its delay', async () => {
    await mg.api.put('/api/v2/endpoints/m4/rules', { rules: [
      { ...mockRule(path('/slow')), action: { type: 'mock', status: 200, headers: [], body: 'late', delay: 1500 } },
      mockRule(path('/fast'), { body: 'now' }),
    ] });
    const slow = fetch(`${mg.url}/e/m4/slow`).then((r) => r.text());
    const started = performance.now();
    expect(await (await fetch(`${mg.url}/e/m4/fast`)).text()).toBe('now');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await slow).toBe('late');
  });

  it('rejects invalid header names and values, statuses and delays when written', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ headers: [{ key: 'Bad Header', value: 'x' }] }, '/action/headers/0/key'],
      [{ headers: [{ key: 'x', value: 'a\r\nb' }] }, '/action/headers/0/value'],
      [{ status: 99 }, '/action/status'],
      [{ status: 600 }, '/action/status'],
      [{ status: 200.5 }, '/action/status'],
      [{ delay: 600001 }, '/action/delay'],
      [{ delay: -1 }, '/action/delay'],
    ];
    for (const [change, pointer] of cases) {
      const rule = mockRule(path('/x'));
      const res = await mg.api.post('/api/v2/endpoints/m5/rules', { ...rule, action: { ...rule.action, ...change } });
      expect(res.status, pointer).toBe(400);
      expect(res.body.error, pointer).toMatchObject({ code: 'validation_error', parameter: pointer });
    }
    expect((await mg.api.get('/api/v2/endpoints/m5/rules')).body.data).toEqual([]);
  });

  it('needs body or blobPath, not both; an unknown blob is refused', async () => {
    const rule = mockRule(path('/x'));
    const { body: _body, ...noBody } = rule.action;
    const missing = await mg.api.post('/api/v2/endpoints/m6/rules', { ...rule, action: noBody });
    expect(missing.body.error).toMatchObject({ code: 'validation_error', parameter: '/action/body' });
    const both = await mg.api.post('/api/v2/endpoints/m6/rules', { ...rule, action: { ...rule.action, blobPath: 'a.json' } });
    expect(both.body.error).toMatchObject({ code: 'validation_error', parameter: '/action/blobPath' });
    const blob = await mg.api.post('/api/v2/endpoints/m6/rules', { ...rule, action: { ...noBody, blobPath: 'nope.json' } });
    expect(blob.body.error).toMatchObject({ code: 'validation_error', parameter: '/action/blobPath' });
  });
});

describe('weighted action', () => {
  const weighted = (responses: Array<{ name: string; weight: number; status: number; delay?: number }>) => ({
    enabled: true, method: 'GET', conditions: [path('/w')],
    action: { type: 'weighted', responses: responses.map((r) => ({ headers: [], body: r.name, ...r })) },
  });

  it('picks responses by weight', async () => {
    await mg.api.post('/api/v2/endpoints/w1/rules', weighted([{ name: 'ok', weight: 80, status: 200 }, { name: 'fail', weight: 20, status: 503 }]));
    const counts: Record<string, number> = { ok: 0, fail: 0 };
    for (let i = 0; i < 400; i++) counts[await (await fetch(`${mg.url}/e/w1/w`)).text()]! += 1;
    expect(counts.ok! + counts.fail!).toBe(400);
    expect(counts.ok).toBeGreaterThan(270); // expected 320, sd 8
    expect(counts.fail).toBeGreaterThan(40); // expected 80
  });

  it('never picks a response of weight 0', async () => {
    await mg.api.post('/api/v2/endpoints/w2/rules', weighted([{ name: 'never', weight: 0, status: 500 }, { name: 'always', weight: 100, status: 200 }]));
    for (let i = 0; i < 50; i++) expect(await (await fetch(`${mg.url}/e/w2/w`)).text()).toBe('always');
  });

  it('applies each response its own delay', async () => {
    await mg.api.post('/api/v2/endpoints/w3/rules', weighted([{ name: 'slow', weight: 100, status: 200, delay: 250 }]));
    const started = performance.now();
    await (await fetch(`${mg.url}/e/w3/w`)).text();
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
  });

  it('refuses weights that do not sum to exactly 100', async () => {
    const res = await mg.api.post('/api/v2/endpoints/w4/rules', weighted([{ name: 'a', weight: 50, status: 200 }, { name: 'b', weight: 40, status: 200 }]));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_error', parameter: '/action/responses' });
    expect(res.body.error.message).toMatch(/sum to 100, got 90/);
  });
});

describe('rule order', () => {
  it('the first matching enabled rule wins; disabled rules are skipped', async () => {
    await mg.api.put('/api/v2/endpoints/o1/rules', { rules: [
      mockRule({ type: 'path', operator: 'starts_with', value: '/a/' }, { body: 'first' }, { enabled: false }),
      mockRule({ type: 'path', operator: 'starts_with', value: '/a/' }, { body: 'second' }),
      mockRule(path('/a/b'), { body: 'third' }),
    ] });
    expect(await (await fetch(`${mg.url}/e/o1/a/b`)).text()).toBe('second');
  });

  it('rules.enabled false in the settings skips every rule', async () => {
    await mg.api.post('/api/v2/endpoints/o2/rules', mockRule(path('/x'), { body: 'rule' }));
    await mg.api.patch('/api/v2/endpoints/o2/settings', { rules: { enabled: false } });
    expect(await (await fetch(`${mg.url}/e/o2/x`)).text()).toMatch(/^mockgate: no rule/);
    await mg.api.patch('/api/v2/endpoints/o2/settings', { rules: { enabled: true } });
    expect(await (await fetch(`${mg.url}/e/o2/x`)).text()).toBe('rule');
  });

  it('no match gives the default answer: 200 with a short plain-text message', async () => {
    const res = await fetch(`${mg.url}/e/o3/anything?x=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.headers.get('x-beeceptor-rule-id')).toBeNull();
    expect(await res.text()).toBe('mockgate: no rule of endpoint "o3" matched GET /anything?x=1\n');
  });
});

describe('data plane limits', () => {
  it('answers 413 with a JSON error for a body over the cap, only when a rule reads the body', async () => {
    const small = await startMockgate({ config: { maxBodyBytes: 1024 } });
    try {
      await small.api.post('/api/v2/endpoints/big/rules', mockRule({ type: 'body', operator: 'contains', value: 'x' }));
      const res = await fetch(`${small.url}/e/big/`, { method: 'POST', body: 'x'.repeat(5000) });
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large' } });
      const ok = await fetch(`${small.url}/e/big/`, { method: 'POST', body: 'x'.repeat(1000) });
      expect(await ok.text()).toBe('ok');
    } finally {
      await small.close();
    }
  });

  it('keeps connections alive across requests', async () => {
    await mg.api.post('/api/v2/endpoints/ka/rules', mockRule(path('/k')));
    const sockets = new Set<unknown>();
    const { Agent } = await import('node:http');
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < 5; i++) {
      await new Promise<void>((resolve, reject) => {
        const req = request(`${mg.url}/e/ka/k`, { agent }, (res) => {
          sockets.add(res.socket);
          res.resume().on('end', resolve);
        });
        req.on('error', reject).end();
      });
    }
    agent.destroy();
    expect(sockets.size).toBe(1);
  });
});
