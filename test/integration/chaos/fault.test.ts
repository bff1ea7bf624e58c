// The `fault` action end to end, seen from raw sockets: a reset, an empty reply, bytes that are not HTTP, an injected
// error status; a probability that does not fire hands the request to the fallback chain; seeded, reproducible runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import { httpClientError, rawGet } from './raw.js';
import { endpointWithRules } from '../../helpers/rule-endpoints.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(async () => {
  await mg.close();
});

const faultRule = (fault: Record<string, unknown>, path = '/f') => ({
  enabled: true, method: '*', conditions: [{ type: 'path', operator: 'equals', value: path }], action: { type: 'fault', ...fault },
});

const endpointWith = (...rules: object[]): Promise<string> => endpointWithRules(mg, 'fault', ...rules);

describe('fault action', () => {
  it('connection_reset: the client sees ECONNRESET and no byte', async () => {
    const name = await endpointWith(faultRule({ fault: 'connection_reset' }));
    const answer = await rawGet(mg.url, `/e/${name}/f`);
    expect(answer.error).toBe('ECONNRESET');
    expect(answer.bytes.length).toBe(0);
  });

  it('empty_reply: the socket closes cleanly with zero bytes received', async () => {
    const name = await endpointWith(faultRule({ fault: 'empty_reply' }));
    const answer = await rawGet(mg.url, `/e/${name}/f`);
    expect(answer.error).toBeUndefined();
    expect(answer.bytes.length).toBe(0);
    expect(await httpClientError(`${mg.url}/e/${name}/f`)).toBe('ECONNRESET'); // node: "socket hang up"
  });

  it('malformed_response: bytes arrive that node cannot parse as HTTP', async () => {
    const name = await endpointWith(faultRule({ fault: 'malformed_response' }));
    const answer = await rawGet(mg.url, `/e/${name}/f`);
    expect(answer.error).toBeUndefined();
    expect(answer.bytes.length).toBeGreaterThan(0);
    expect(answer.bytes.subarray(0, 9).toString('latin1')).toBe('HTTP/1.1 ');
    expect(await httpClientError(`${mg.url}/e/${name}/f`)).toMatch(/^HPE_/);
  });

  it('error_status: the status with an injected_fault JSON error; 500 by default', async () => {
    const name = await endpointWith(faultRule({ fault: 'error_status', status: 503 }), faultRule({ fault: 'error_status' }, '/default'));
    const res = await fetch(`${mg.url}/e/${name}/f`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({ error: { code: 'injected_fault', message: 'status 503 injected by a chaos rule' } });
    expect((await fetch(`${mg.url}/e/${name}/default`)).status).toBe(500);
  });

  it('probability 0: the fallback chain answers (the default answer), not a later matching rule', async () => {
    const later = { enabled: true, method: '*', conditions: [{ type: 'path', operator: 'equals', value: '/f' }], action: { type: 'mock', status: 201, headers: [], body: 'later rule' } };
    const name = await endpointWith(faultRule({ fault: 'connection_reset', probability: 0 }), later);
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${mg.url}/e/${name}/f`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(`mockgate: no rule of endpoint "${name}" matched GET /f\n`);
    }
  });

  it('probability 50 with a seed: the same sequence after each rule write, about half of 200 requests', async () => {
    const rule = faultRule({ fault: 'error_status', status: 503, probability: 50, seed: 1234 });
    const name = await endpointWith(rule);
    const run = async (): Promise<number[]> => {
      const statuses: number[] = [];
      for (let i = 0; i < 200; i++) {
        const res = await fetch(`${mg.url}/e/${name}/f`);
        await res.arrayBuffer();
        statuses.push(res.status);
      }
      return statuses;
    };
    const first = await run();
    const id = (await mg.api.get(`/api/v2/endpoints/${name}/rules`)).body.data[0].id as string;
    expect((await mg.api.put(`/api/v2/endpoints/${name}/rules/${id}`, rule)).status).toBe(200);
    const second = await run();
    expect(second).toEqual(first);
    const faults = first.filter((s) => s === 503).length;
    expect(first.filter((s) => s !== 503 && s !== 200)).toEqual([]);
    expect(faults).toBeGreaterThan(75);
    expect(faults).toBeLessThan(125);
    // another seed: another sequence
    expect((await mg.api.put(`/api/v2/endpoints/${name}/rules/${id}`, { ...rule, action: { ...rule.action, seed: 99 } })).status).toBe(200);
    expect(await run()).not.toEqual(first);
  });

  it('the journal notes the fault', async () => {
    const name = await endpointWith(faultRule({ fault: 'error_status', status: 502 }));
    await (await fetch(`${mg.url}/e/${name}/f`)).arrayBuffer();
    const list = await mg.api.get(`/api/v2/endpoints/${name}/requests?limit=1`);
    const entry = (await mg.api.get(`/api/v2/endpoints/${name}/requests/${list.body.data[0].id}`)).body;
    expect(entry).toMatchObject({ behavior: 'fault', chaos: { latencyMs: 0, errorStatus: 502 } });
  });

  it('refuses an unknown fault, and a status for a fault that is not error_status', async () => {
    const unknown = await mg.api.post('/api/v2/endpoints/faultbad/rules', faultRule({ fault: 'meteor_strike' }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'validation_error', parameter: '/action/fault' });
    const status = await mg.api.post('/api/v2/endpoints/faultbad/rules', faultRule({ fault: 'empty_reply', status: 503 }));
    expect(status.status).toBe(400);
    expect(status.body.error).toMatchObject({ code: 'validation_error', parameter: '/action/status' });
    const probability = await mg.api.post('/api/v2/endpoints/faultbad/rules', faultRule({ fault: 'empty_reply', probability: 101 }));
    expect(probability.status).toBe(400);
    expect(probability.body.error).toMatchObject({ code: 'validation_error', parameter: '/action/probability' });
  });
});
