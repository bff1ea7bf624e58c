// The rate limit gate: a fixed window per endpoint, exact under concurrency, 429 rate_limited with Retry-After past
// it; the window reopens after its period, and a settings change (not a rules change) starts a fresh count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import { send } from './http-client.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(() => mg.close());

const HELLO = mockRule({ type: 'path', operator: 'equals', value: '/hello' }, { body: 'hi' });

async function limited(name: string, rate: number, period: string): Promise<void> {
  expect((await mg.api.post(`/api/v2/endpoints/${name}/rules`, HELLO)).status).toBe(201);
  const patched = await mg.api.patch(`/api/v2/endpoints/${name}/settings`, { rateLimit: { enabled: true, rate, period } });
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
}

async function statuses(name: string, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push((await send(mg.url, 'GET', `/e/${name}/hello`)).status);
  return out;
}

describe('rate limit gate', () => {
  it('lets exactly 20 of 50 concurrent requests through at 20/Minute; the other 30 get 429 with Retry-After', async () => {
    await limited('burst', 20, 'Minute');
    const responses = await Promise.all(Array.from({ length: 50 }, () => send(mg.url, 'GET', '/e/burst/hello')));
    const ok = responses.filter((r) => r.status === 200);
    const refused = responses.filter((r) => r.status === 429);
    expect(ok).toHaveLength(20);
    expect(refused).toHaveLength(30);
    for (const r of ok) expect(r.body).toBe('hi');
    for (const r of refused) {
      expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(r.body).toBe('{"error":{"code":"rate_limited","message":"this endpoint lets 20 requests through per minute; retry once the window ends"}}');
      const retryAfter = Number(r.headers['retry-after']);
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
    }
  });

  it('reopens the window once its period has passed (5/Second)', async () => {
    await limited('per-second', 5, 'Second');
    const first = await Promise.all(Array.from({ length: 6 }, () => send(mg.url, 'GET', '/e/per-second/hello')));
    expect(first.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 429]);
    expect(first.find((r) => r.status === 429)!.headers['retry-after']).toBe('1');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await Promise.all(Array.from({ length: 6 }, () => send(mg.url, 'GET', '/e/per-second/hello')));
    expect(second.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('starts a fresh count when the settings change, but not when the rules do', async () => {
    await limited('changes', 3, 'Hour');
    expect(await statuses('changes', 4)).toEqual([200, 200, 200, 429]);
    expect((await mg.api.post('/api/v2/endpoints/changes/rules', mockRule({ type: 'path', operator: 'equals', value: '/other' }))).status).toBe(201);
    expect(await statuses('changes', 1)).toEqual([429]);
    expect((await mg.api.patch('/api/v2/endpoints/changes/settings', { rateLimit: { rate: 2 } })).status).toBe(200);
    expect(await statuses('changes', 3)).toEqual([200, 200, 429]);
    // any settings write counts as a change
    expect((await mg.api.patch('/api/v2/endpoints/changes/settings', { locale: 'fr' })).status).toBe(200);
    expect(await statuses('changes', 3)).toEqual([200, 200, 429]);
  });

  it('says "request" for a rate of 1, and counts requests the fallback answers too', async () => {
    await limited('single', 1, 'Hour');
    expect((await send(mg.url, 'POST', '/e/single/unmatched', {}, 'x')).status).toBe(200);
    const refused = await send(mg.url, 'GET', '/e/single/hello');
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body).error.message).toBe('this endpoint lets 1 request through per hour; retry once the window ends');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3500);
  });

  it('is per endpoint, and off once disabled', async () => {
    await limited('limited-a', 1, 'Minute');
    await limited('limited-b', 1, 'Minute');
    expect(await statuses('limited-a', 2)).toEqual([200, 429]);
    expect(await statuses('limited-b', 2)).toEqual([200, 429]);
    expect((await mg.api.patch('/api/v2/endpoints/limited-a/settings', { rateLimit: { enabled: false } })).status).toBe(200);
    expect(await statuses('limited-a', 5)).toEqual([200, 200, 200, 200, 200]);
  });
});
