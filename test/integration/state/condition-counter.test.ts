// The `state` condition on counters over real HTTP: the login lockout example, state set through the v2 state API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
let counter = 0;

beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(() => mg.close());

const mock = (status: number, body: string) => ({ type: 'mock', status, headers: [], body });
const LOGIN = { type: 'path', operator: 'equals', value: '/login' };
const LOCKED = { type: 'state', key: 'login_attempts', stateType: 'counter', operator: 'greater_than_equal', value: '3' };

/** A fresh endpoint with rule 1 `POST /login` + attempts ≥ 3 → 423 "locked", rule 2 `POST /login` → 401. */
async function lockoutEndpoint(): Promise<string> {
  const name = `lockout${++counter}`;
  for (const rule of [
    { enabled: true, method: 'POST', conditions: [LOGIN, LOCKED], action: mock(423, 'locked') },
    { enabled: true, method: 'POST', conditions: [LOGIN], action: mock(401, 'unauthorized') },
  ]) {
    const res = await mg.api.post(`/api/v2/endpoints/${name}/rules`, rule);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  return name;
}

async function setCounter(endpoint: string, key: string, value: number): Promise<void> {
  const res = await mg.api.put(`/api/v2/endpoints/${endpoint}/state`, { items: [{ type: 'counter', key, value }] });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

async function login(endpoint: string): Promise<[number, string]> {
  const res = await fetch(`${mg.url}/e/${endpoint}/login`, { method: 'POST', body: '{"user":"alex"}' });
  return [res.status, await res.text()];
}

describe('state condition: login lockout', () => {
  it('answers 401 while the counter is missing, 0, 1 or 2, and 423 "locked" from 3 on', async () => {
    const e = await lockoutEndpoint();
    expect(await login(e)).toEqual([401, 'unauthorized']);
    for (const [attempts, expected] of [[0, 401], [1, 401], [2, 401], [3, 423], [4, 423]] as const) {
      await setCounter(e, 'login_attempts', attempts);
      expect((await login(e))[0], `at ${attempts}`).toBe(expected);
    }
    expect(await login(e)).toEqual([423, 'locked']);
  });

  it('answers 401 again once the counter is deleted', async () => {
    const e = await lockoutEndpoint();
    await setCounter(e, 'login_attempts', 5);
    expect((await login(e))[0]).toBe(423);
    const del = await mg.api.delete(`/api/v2/endpoints/${e}/state/counter/login_attempts`);
    expect(del.status, JSON.stringify(del.body)).toBe(200);
    expect(await login(e)).toEqual([401, 'unauthorized']);
  });

  it('answers 401 again once all state is cleared', async () => {
    const e = await lockoutEndpoint();
    await setCounter(e, 'login_attempts', 3);
    expect((await login(e))[0]).toBe(423);
    expect((await mg.api.delete(`/api/v2/endpoints/${e}/state`, { all: true })).status).toBe(200);
    expect((await login(e))[0]).toBe(401);
  });

  it('follows the counter stepped by the increment API', async () => {
    const e = await lockoutEndpoint();
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      const inc = await mg.api.post(`/api/v2/endpoints/${e}/state/counter/login_attempts/increment`, {});
      expect(inc.status, JSON.stringify(inc.body)).toBe(200);
      seen.push((await login(e))[0]);
    }
    expect(seen).toEqual([401, 401, 423, 423]);
  });

  it('reads state written by the in-process StateApi too', async () => {
    const e = await lockoutEndpoint();
    const state = mg.mockgate.endpoints.getOrCreate(e).state;
    state.set('counter', 'login_attempts', 2);
    expect((await login(e))[0]).toBe(401);
    state.increment('login_attempts');
    expect((await login(e))[0]).toBe(423);
  });

  it('does not match other methods or paths even when the counter is high', async () => {
    const e = await lockoutEndpoint();
    await setCounter(e, 'login_attempts', 9);
    expect((await fetch(`${mg.url}/e/${e}/login`)).status).toBe(200);
    expect((await fetch(`${mg.url}/e/${e}/logout`, { method: 'POST' })).status).toBe(200);
  });

  it('keeps working after a restart, with the counter and the rule both stored', async () => {
    const first = await startMockgate();
    const e = 'restart-lockout';
    try {
      for (const rule of [
        { enabled: true, method: 'POST', conditions: [LOGIN, LOCKED], action: mock(423, 'locked') },
        { enabled: true, method: 'POST', conditions: [LOGIN], action: mock(401, 'unauthorized') },
      ]) {
        expect((await first.api.post(`/api/v2/endpoints/${e}/rules`, rule)).status).toBe(201);
      }
      expect((await first.api.put(`/api/v2/endpoints/${e}/state`, { items: [{ type: 'counter', key: 'login_attempts', value: 3 }] })).status).toBe(200);
    } finally {
      await first.close({ removeData: false });
    }
    const second = await startMockgate({ dataDir: first.dataDir });
    try {
      expect((await fetch(`${second.url}/e/${e}/login`, { method: 'POST' })).status).toBe(423);
    } finally {
      await second.close();
    }
  });
});

describe('state condition: other counter operators over HTTP', () => {
  async function endpointWith(condition: Record<string, unknown>): Promise<string> {
    const name = `cnt${++counter}`;
    const res = await mg.api.post(`/api/v2/endpoints/${name}/rules`,
      { enabled: true, method: '*', conditions: [condition], action: mock(201, 'hit') });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return name;
  }
  const hits = async (e: string): Promise<boolean> => (await fetch(`${mg.url}/e/${e}/x`)).status === 201;

  it('equals "0" matches a missing counter and stops matching once it moves', async () => {
    const e = await endpointWith({ type: 'state', key: 'n', stateType: 'counter', operator: 'equals', value: '0' });
    expect(await hits(e)).toBe(true);
    await setCounter(e, 'n', 1);
    expect(await hits(e)).toBe(false);
  });

  it('less_than and contains compare the number and its decimal text', async () => {
    const lt = await endpointWith({ type: 'state', key: 'n', stateType: 'counter', operator: 'less_than', value: '10' });
    await setCounter(lt, 'n', 9);
    expect(await hits(lt)).toBe(true);
    await setCounter(lt, 'n', 10);
    expect(await hits(lt)).toBe(false);
    const co = await endpointWith({ type: 'state', key: 'n', stateType: 'counter', operator: 'contains', value: '2' });
    await setCounter(co, 'n', 12);
    expect(await hits(co)).toBe(true);
    await setCounter(co, 'n', 13);
    expect(await hits(co)).toBe(false);
  });
});
