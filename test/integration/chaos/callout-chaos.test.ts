// The `chaos` block of callout actions: applied to the answer the client receives — a sync callout's relayed or custom
// answer, an async callout's immediate one — while the target is called as usual.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import { calloutRule, startUpstream, until, type Upstream } from '../callout/upstream.js';
import { rawGet, split } from './raw.js';
import { endpointWithRules } from '../../helpers/rule-endpoints.js';

let mg: RunningMockgate;
let up: Upstream;
beforeAll(async () => {
  mg = await startMockgate();
  up = await startUpstream((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': 'yes' });
    res.end(JSON.stringify({ method: req.method, url: req.url }));
  });
});
afterAll(async () => {
  await mg.close();
  await up.close();
});

const endpointWith = (rule: object): Promise<string> => endpointWithRules(mg, 'calloutchaos', rule);

const calledWith = (url: string): number => up.received.filter((r) => r.url === url).length;

async function newestEntry(name: string): Promise<any> {
  const list = await mg.api.get(`/api/v2/endpoints/${name}/requests?limit=1`);
  return (await mg.api.get(`/api/v2/endpoints/${name}/requests/${list.body.data[0].id}`)).body;
}

describe('callout chaos', () => {
  it("sync forward with errorStatus: the target is called, the client gets the injected error; the journal has both notes", async () => {
    const name = await endpointWith(calloutRule('/orders', { behavior: 'sync', callout: { url: `${up.url}/err` }, chaos: { errorStatus: { status: 503 } } }));
    const res = await fetch(`${mg.url}/e/${name}/orders`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: { code: 'injected_fault', message: 'status 503 injected by a chaos rule' } });
    expect(calledWith('/err')).toBe(1);
    const entry = await newestEntry(name);
    expect(entry).toMatchObject({ behavior: 'callout', status: 503, chaos: { latencyMs: 0, errorStatus: 503 }, callout: { targetResponse: { status: 200 } } });
  });

  it("sync forward with truncate: the target's answer is cut after 5 bytes, then the connection closes", async () => {
    const name = await endpointWith(calloutRule('/cut', { behavior: 'sync', callout: { url: `${up.url}/cut` }, chaos: { truncate: { bytes: 5 } } }));
    const answer = await rawGet(mg.url, `/e/${name}/cut`);
    const { head, body } = split(answer.bytes);
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(head).toMatch(/\r\nx-upstream: yes\r\n/);
    expect(head).toMatch(/\r\ncontent-length: 29(\r\n|$)/i); // {"method":"GET","url":"/cut"}
    expect(body.toString()).toBe('{"met');
  });

  it("sync custom with latency: the rule's own answer, after the latency and the target's answer", async () => {
    const name = await endpointWith(calloutRule('/slow', {
      behavior: 'sync', callout: { url: `${up.url}/slow`, transform: 'custom' }, status: 202, body: 'accepted', chaos: { latency: { fixed: 150 } },
    }));
    const started = performance.now();
    const res = await fetch(`${mg.url}/e/${name}/slow`);
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('accepted');
    expect(performance.now() - started).toBeGreaterThanOrEqual(148);
    expect(calledWith('/slow')).toBe(1);
  });

  it('async with a socket fault: the client gets an empty reply, the callout is still sent', async () => {
    const name = await endpointWith(calloutRule('/hook', { behavior: 'async', callout: { url: `${up.url}/hook` }, status: 202, chaos: { socketFault: { fault: 'empty_reply' } } }));
    const answer = await rawGet(mg.url, `/e/${name}/hook`);
    expect(answer.error).toBeUndefined();
    expect(answer.bytes.length).toBe(0);
    await until(() => calledWith('/hook') === 1);
  });

  it('a seeded probability replays the same sequence of injected errors', async () => {
    const rule = calloutRule('/seq', { behavior: 'async', callout: { url: `${up.url}/seq` }, chaos: { seed: 77, errorStatus: { status: 500, probability: 50 } } });
    const statuses = async (name: string): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i < 20; i++) {
        const res = await fetch(`${mg.url}/e/${name}/seq`);
        await res.arrayBuffer();
        out.push(res.status);
      }
      return out;
    };
    const first = await statuses(await endpointWith(rule));
    expect(await statuses(await endpointWith(rule))).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 500]));
  });

  it('refuses a chaos block with min above max at /action/chaos', async () => {
    const res = await mg.api.post('/api/v2/endpoints/calloutchaosbad/rules',
      calloutRule('/x', { behavior: 'sync', callout: { url: up.url }, chaos: { latency: { min: 9, max: 1 } } }));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_error', parameter: '/action/chaos' });
    const unknown = await mg.api.post('/api/v2/endpoints/calloutchaosbad/rules',
      calloutRule('/x', { behavior: 'sync', callout: { url: up.url }, chaos: { socketFault: { fault: 'nope' } } }));
    expect(unknown.status).toBe(400);
  });
});
