// Async callouts (webhooks): the client is answered at once with the rule's response, the target receives exactly one
// delivery per request in the background, failures are retried with backoff, and the journal notes the queued callout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import { calloutRule, sleep, startUpstream, until, type Upstream } from './upstream.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
  // start the template workers before timing anything
  await mg.api.post('/api/v2/endpoints/warm/rules', mockRule({ type: 'path', operator: 'equals', value: '/w' }, { body: '{{pathParam "x" "w"}}', templated: true }));
  expect(await (await fetch(`${mg.url}/e/warm/w`)).text()).toBe('w');
});
afterAll(() => mg.close());

describe('async callout', () => {
  let slow: Upstream;
  beforeAll(async () => {
    slow = await startUpstream(async (_req, res) => {
      await sleep(500);
      res.end('done');
    });
  });
  afterAll(() => slow.close());

  it("answers with the rule's response before the target is done, and delivers exactly once per request", async () => {
    await mg.api.post('/api/v2/endpoints/hooks/rules', calloutRule('/orders/:id', {
      behavior: 'async',
      callout: { url: `${slow.url}/webhook`, method: 'POST', templated: true, body: "{\"order\": \"{{pathParam 'id'}}\", \"ref\": \"{{body 'ref'}}\"}" },
      status: 202,
      headers: [{ key: 'Content-Type', value: 'application/json' }],
      body: "{\"status\": \"accepted\", \"order\": \"{{pathParam 'id'}}\"}",
      templated: true,
    }, 'POST'));

    const answers = await Promise.all([1, 2, 3].map(async (i) => {
      const started = performance.now();
      const res = await fetch(`${mg.url}/e/hooks/orders/${i}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"ref":"r${i}"}` });
      const body = await res.text();
      return { status: res.status, body, ms: performance.now() - started, targetDone: slow.answered };
    }));
    for (const [i, a] of answers.entries()) {
      expect(a).toMatchObject({ status: 202, body: `{"status": "accepted", "order": "${i + 1}"}`, targetDone: 0 });
      expect(a.ms).toBeLessThan(400);
    }

    await until(() => slow.answered === 3);
    await sleep(300); // nothing more arrives
    expect(slow.received).toHaveLength(3);
    expect(slow.received.map((r) => `${r.method} ${r.url} ${r.body.toString()}`).sort()).toEqual([
      'POST /webhook {"order": "1", "ref": "r1"}',
      'POST /webhook {"order": "2", "ref": "r2"}',
      'POST /webhook {"order": "3", "ref": "r3"}',
    ]);
  });
});

describe('async retries', () => {
  it('a target that fails twice (503, then a broken connection) is delivered on the third attempt, with backoff', async () => {
    const flaky = await startUpstream((_req, res, index) => {
      if (index === 0) return void res.writeHead(503).end('busy');
      if (index === 1) return void res.destroy();
      res.end('thanks');
    });
    try {
      await mg.api.post('/api/v2/endpoints/retry/rules', calloutRule('/event', { behavior: 'async', callout: { url: `${flaky.url}/in`, method: 'PUT', body: 'evt' }, status: 204 }));
      const res = await fetch(`${mg.url}/e/retry/event`, { method: 'POST' });
      expect(res.status).toBe(204);
      await until(() => flaky.answered >= 2); // the 503 and the success (a destroyed answer never finishes)
      await sleep(600); // no fourth attempt
      expect(flaky.received.map((r) => `${r.method} ${r.url} ${r.body.toString()}`)).toEqual(['PUT /in evt', 'PUT /in evt', 'PUT /in evt']);
      const [first, second, third] = flaky.received.map((r) => r.at);
      // backoff 200 ms, then 400 ms
      expect(second! - first!).toBeGreaterThanOrEqual(190);
      expect(third! - second!).toBeGreaterThanOrEqual(390);
    } finally {
      await flaky.close();
    }
  });

  it('a 4xx is an answer, not a failure: one attempt only', async () => {
    const refusing = await startUpstream((_req, res) => void res.writeHead(400).end('no'));
    try {
      await mg.api.post('/api/v2/endpoints/retry4/rules', calloutRule('/e', { behavior: 'async', callout: { url: `${refusing.url}/in`, method: 'POST' } }));
      expect((await fetch(`${mg.url}/e/retry4/e`, { method: 'POST', body: 'x' })).status).toBe(200);
      await until(() => refusing.answered === 1);
      await sleep(400);
      expect(refusing.received).toHaveLength(1);
    } finally {
      await refusing.close();
    }
  });
});

describe('async callout in the journal', () => {
  it('shows what was known when the client was answered: the request queued for the target', async () => {
    const target = await startUpstream();
    try {
      await mg.api.post('/api/v2/endpoints/hookjournal/rules', calloutRule('/n', {
        behavior: 'async',
        callout: { url: `${target.url}/n?x=1`, method: '*', headers: [{ key: 'Authorization', value: 'Bearer t' }], delay: { min: 20, max: 20 } },
        status: 202, body: 'queued',
      }));
      await mg.api.patch('/api/v2/endpoints/hookjournal/settings', { journal: { maskHeaders: true } });
      const res = await fetch(`${mg.url}/e/hookjournal/n`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'ping' });
      expect(await res.text()).toBe('queued');
      const [compact] = (await mg.api.get('/api/v2/endpoints/hookjournal/requests')).body.data;
      expect(compact).toMatchObject({ behavior: 'callout', status: 202, rule: { matched: true } });
      const entry = (await mg.api.get(`/api/v2/endpoints/hookjournal/requests/${compact.id}`)).body;
      expect(entry.callout).toEqual({
        url: `${target.url}/n?x=1`,
        method: 'POST',
        behavior: 'async',
        delay: 20,
        status: 'queued',
        // the endpoint masks authorization in the journal: the callout's copy is masked too
        targetRequest: { method: 'POST', url: `${target.url}/n?x=1`, headers: { authorization: '***', 'content-type': 'text/plain' }, body: 'ping', size: 4, truncated: false },
      });
      await until(() => target.answered === 1);
      expect(target.received[0]!.headers.authorization).toBe('Bearer t');
    } finally {
      await target.close();
    }
  });
});

describe('async callout with the journal off', () => {
  it('still forwards the incoming body (read before answering, or node would discard it)', async () => {
    const quiet = await startMockgate({ config: { journal: false } });
    const target = await startUpstream();
    try {
      await quiet.api.post('/api/v2/endpoints/q/rules', calloutRule('/fwd', { behavior: 'async', callout: { url: `${target.url}/fwd`, method: 'POST' }, status: 202 }));
      const big = 'x'.repeat(256 * 1024);
      const res = await fetch(`${quiet.url}/e/q/fwd`, { method: 'POST', body: big });
      expect(res.status).toBe(202);
      await until(() => target.answered === 1);
      expect(target.received[0]!.body.toString()).toBe(big);
    } finally {
      await quiet.close();
      await target.close();
    }
  });
});
