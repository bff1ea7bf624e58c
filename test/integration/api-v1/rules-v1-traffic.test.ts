// Rules created through the v1 API answering real traffic: each operator, method filter, order, sendRandom, delay, mock:false.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(async () => {
  await mg.close();
});

interface Answer {
  status: number;
  body: string;
  ruleId: string | null;
  headers: Headers;
  ms: number;
}

async function create(endpoint: string, rule: unknown): Promise<string> {
  const res = await mg.api.post(`/api/v1/endpoints/${endpoint}/rules`, rule);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data.id;
}

async function call(endpoint: string, path: string, init: RequestInit = {}): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(`${mg.url}/e/${endpoint}${path}`, init);
  const body = await res.text();
  return { status: res.status, body, ruleId: res.headers.get('x-beeceptor-rule-id'), headers: res.headers, ms: performance.now() - started };
}

/** Asserts the answer is the default one: no rule answered. */
function expectNoRule(answer: Answer): void {
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
  expect(answer.body.startsWith('mockgate: no rule')).toBe(true);
  expect(answer.ruleId).toBeNull();
}

const send = (body: string, status = 200, headers: Record<string, string> = {}) => ({ status, body, headers });

describe('operators against real traffic', () => {
  it('SW matches paths starting with the value (with their query), and the method given', async () => {
    const e = 'op-sw';
    const id = await create(e, {
      match: { method: 'GET', operator: 'SW', value: '/abc' },
      send: send('{"ok":true}', 201, { 'Content-Type': 'application/json', 'x-custom': 'yes' }),
    });
    for (const path of ['/abc', '/abc/def', '/abcdef', '/abc?x=1']) {
      const answer = await call(e, path);
      expect(answer.status, path).toBe(201);
      expect(answer.body).toBe('{"ok":true}');
      expect(answer.ruleId).toBe(id);
      expect(answer.headers.get('content-type')).toBe('application/json');
      expect(answer.headers.get('x-custom')).toBe('yes');
    }
    expectNoRule(await call(e, '/xabc'));
    expectNoRule(await call(e, '/ab'));
    expectNoRule(await call(e, '/abc', { method: 'POST', body: 'x' }));
  });

  it('CO matches paths containing the value', async () => {
    const e = 'op-co';
    const id = await create(e, { match: { method: 'GET', operator: 'CO', value: '/orders' }, send: send('co') });
    for (const path of ['/orders', '/api/orders/1', '/v1/orders?x=1']) {
      const answer = await call(e, path);
      expect(answer.body, path).toBe('co');
      expect(answer.ruleId).toBe(id);
    }
    expectNoRule(await call(e, '/api/order/1'));
    expectNoRule(await call(e, '/ORDERS'));
  });

  it('EM matches the exact path only (the query string aside)', async () => {
    const e = 'op-em';
    const id = await create(e, { match: { method: 'PATCH', operator: 'EM', value: '/xyz' }, send: send('em', 202) });
    for (const path of ['/xyz', '/xyz?a=1']) {
      const answer = await call(e, path, { method: 'PATCH' });
      expect(answer.status, path).toBe(202);
      expect(answer.ruleId).toBe(id);
    }
    expectNoRule(await call(e, '/xyz/1', { method: 'PATCH' }));
    expectNoRule(await call(e, '/xy', { method: 'PATCH' }));
    expectNoRule(await call(e, '/xyz', { method: 'GET' }));
  });

  it('REGEX matches the path/URL against a regular expression', async () => {
    const e = 'op-regex';
    const id = await create(e, { match: { method: 'GET', operator: 'REGEX', value: '^/users/\\d+$' }, send: send('user') });
    const answer = await call(e, '/users/42');
    expect(answer.body).toBe('user');
    expect(answer.ruleId).toBe(id);
    expectNoRule(await call(e, '/users/abc'));
    expectNoRule(await call(e, '/users/42/orders'));
    expectNoRule(await call(e, '/v2/users/42'));
  });

  it('B_CO matches request bodies containing the value', async () => {
    const e = 'op-bco';
    const id = await create(e, { match: { method: 'POST', operator: 'B_CO', value: 'needle' }, send: send('found') });
    const answer = await call(e, '/any', { method: 'POST', body: 'hay needle stack' });
    expect(answer.body).toBe('found');
    expect(answer.ruleId).toBe(id);
    expectNoRule(await call(e, '/any', { method: 'POST', body: 'hay stack' }));
    expectNoRule(await call(e, '/any', { method: 'POST', body: 'NEEDLE' }));
  });

  it('B_REGEX matches request bodies against a regular expression', async () => {
    const e = 'op-bregex';
    const id = await create(e, { match: { method: 'PUT', operator: 'B_REGEX', value: '"id":\\s*\\d+' }, send: send('numeric id') });
    const answer = await call(e, '/items', { method: 'PUT', body: '{"id": 17}', headers: { 'content-type': 'application/json' } });
    expect(answer.body).toBe('numeric id');
    expect(answer.ruleId).toBe(id);
    expectNoRule(await call(e, '/items', { method: 'PUT', body: '{"id": "x17"}' }));
    expectNoRule(await call(e, '/items', { method: 'PUT' }));
  });

  it('H_REGEX (the seed example) matches a header value against a regular expression; name case does not matter', async () => {
    const e = 'op-hregex';
    const id = await create(e, {
      match: { method: 'GET', operator: 'H_REGEX', header: { key: 'x-custom-header', value: '.+SOME_VALUE_IN_HEADER.+' }, value: '' },
      delay: 0,
      send: { status: 299, body: '{ "status": "SOME_VALUE_IN_HEADER - Awesome!"}', headers: { 'Content-Type': 'application/json' }, templated: false },
      mock: true,
      enabled: true,
    });
    const answer = await call(e, '/whatever', { headers: { 'X-Custom-Header': 'aSOME_VALUE_IN_HEADERb' } });
    expect(answer.status).toBe(299);
    expect(answer.body).toBe('{ "status": "SOME_VALUE_IN_HEADER - Awesome!"}');
    expect(answer.ruleId).toBe(id);
    expectNoRule(await call(e, '/whatever'));
    expectNoRule(await call(e, '/whatever', { headers: { 'x-custom-header': 'SOME_VALUE_IN_HEADER' } }));
    expectNoRule(await call(e, '/whatever', { headers: { 'x-other-header': 'aSOME_VALUE_IN_HEADERb' } }));
  });
});

describe('method, enabled and order', () => {
  it('method * (the default) matches every method; a lowercase method matches its upper-case requests', async () => {
    const e = 'methods';
    const any = await create(e, { match: { operator: 'SW', value: '/any' }, send: send('any') });
    const post = await create(e, { match: { method: 'post', operator: 'SW', value: '/post' }, send: send('post') });
    for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      expect((await call(e, '/any', { method })).ruleId, method).toBe(any);
    }
    expect((await call(e, '/post', { method: 'POST', body: '' })).ruleId).toBe(post);
    expectNoRule(await call(e, '/post'));
  });

  it('a disabled rule is skipped; enabling it by PUT makes it answer', async () => {
    const e = 'disabled';
    const rule = { enabled: false, match: { operator: 'EM', value: '/off' }, send: send('on now') };
    const id = await create(e, rule);
    expectNoRule(await call(e, '/off'));
    const put = await mg.api.put(`/api/v1/endpoints/${e}/rules/${id}`, { ...rule, enabled: true });
    expect(put.status).toBe(200);
    const answer = await call(e, '/off');
    expect(answer.body).toBe('on now');
    expect(answer.ruleId).toBe(id);
  });

  it('the first matching rule in list order answers; a PUT changes the answer at once; a DELETE removes it', async () => {
    const e = 'order';
    const first = await create(e, { match: { operator: 'SW', value: '/a' }, send: send('first') });
    const second = await create(e, { match: { operator: 'CO', value: 'a' }, send: send('second') });
    expect((await call(e, '/a/b')).body).toBe('first');
    const put = await mg.api.put(`/api/v1/endpoints/${e}/rules/${first}`, { match: { operator: 'SW', value: '/zzz' }, send: send('first') });
    expect(put.status).toBe(200);
    const answer = await call(e, '/a/b');
    expect(answer.body).toBe('second');
    expect(answer.ruleId).toBe(second);
    expect((await mg.api.delete(`/api/v1/endpoints/${e}/rules/${second}`)).status).toBe(200);
    expectNoRule(await call(e, '/a/b'));
  });

  it('after DELETE of all rules nothing answers but the default', async () => {
    const e = 'delete-all-traffic';
    await create(e, { match: { operator: 'SW', value: '/' }, send: send('x') });
    expect((await call(e, '/q')).body).toBe('x');
    expect((await mg.api.delete(`/api/v1/endpoints/${e}/rules`)).body).toEqual({ data: { rulesDeleted: 1 } });
    expectNoRule(await call(e, '/q'));
  });
});

describe('sendRandom', () => {
  const randomRule = (weights: [number, number], delay = 0, delays: [number, number] = [0, 0]) => ({
    match: { method: 'GET', operator: 'EM', value: '/random-responses' },
    delay,
    mock: true,
    sendType: 'sendRandom',
    sendRandom: [
      { weight: weights[0], name: 'Success 200', delay: delays[0], send: send('{ "status": "Success From Random Response!"}', 200, { 'Content-Type': 'application/json' }) },
      { weight: weights[1], name: 'Failure 501', delay: delays[1], send: send('{ "status": "Failure From Random Response!"}', 501, { 'Content-Type': 'application/json' }) },
    ],
    enabled: true,
  });

  async function tally(endpoint: string, n: number): Promise<Map<number, number>> {
    const counts = new Map<number, number>();
    for (let done = 0; done < n; done += 20) {
      const batch = await Promise.all(Array.from({ length: Math.min(20, n - done) }, () => call(endpoint, '/random-responses')));
      for (const a of batch) {
        expect(a.body).toBe(a.status === 200 ? '{ "status": "Success From Random Response!"}' : '{ "status": "Failure From Random Response!"}');
        counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
      }
    }
    return counts;
  }

  it('picks responses roughly by weight (90/10 over 400 requests)', async () => {
    const e = 'random-90-10';
    const id = await create(e, randomRule([90, 10]));
    expect((await call(e, '/random-responses')).ruleId).toBe(id);
    const counts = await tally(e, 400);
    expect([...counts.keys()].sort()).toEqual([200, 501]);
    // expected 360 / 40, σ = 6: bounds of about ±6σ
    expect(counts.get(200)).toBeGreaterThanOrEqual(320);
    expect(counts.get(200)).toBeLessThanOrEqual(392);
    expect(counts.get(200)! + counts.get(501)!).toBe(400);
  });

  it('never picks a response of weight 0 (100/0)', async () => {
    const e = 'random-100-0';
    await create(e, randomRule([100, 0]));
    expect(await tally(e, 100)).toEqual(new Map([[200, 100]]));
  });

  it('never picks a response of weight 0 (0/100)', async () => {
    const e = 'random-0-100';
    await create(e, randomRule([0, 100]));
    expect(await tally(e, 60)).toEqual(new Map([[501, 60]]));
  });

  it('waits the rule delay plus the response delay', async () => {
    const e = 'random-delay';
    await create(e, randomRule([100, 0], 100, [60, 0]));
    const answer = await call(e, '/random-responses');
    expect(answer.status).toBe(200);
    expect(answer.ms).toBeGreaterThanOrEqual(150);
  });
});

describe('delay', () => {
  it('answers a fixed response after the rule delay', async () => {
    const e = 'delay';
    const id = await create(e, { delay: 150, match: { operator: 'EM', value: '/slow' }, send: send('slow') });
    await create(e, { match: { operator: 'EM', value: '/fast' }, send: send('fast') });
    const slow = await call(e, '/slow');
    expect(slow.body).toBe('slow');
    expect(slow.ruleId).toBe(id);
    expect(slow.ms).toBeGreaterThanOrEqual(140);
    const fast = await call(e, '/fast');
    expect(fast.body).toBe('fast');
    expect(fast.ms).toBeLessThan(slow.ms);
  });
});

describe('mock: false', () => {
  it('matches, then the fallback chain answers (the default answer), not the send response', async () => {
    const e = 'nomock';
    await create(e, { mock: false, match: { operator: 'SW', value: '/p' }, send: send('mocked', 201) });
    const answer = await call(e, '/p/1');
    expect(answer.status).toBe(200);
    expect(answer.body).not.toContain('mocked');
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(answer.body.startsWith('mockgate: no rule')).toBe(true);
  });

  it('waits its delay before the fallback answers', async () => {
    const e = 'nomock-delay';
    await create(e, { mock: false, delay: 150, match: { operator: 'EM', value: '/wait' }, send: send('mocked', 201) });
    const answer = await call(e, '/wait');
    expect(answer.status).toBe(200);
    expect(answer.body.startsWith('mockgate: no rule')).toBe(true);
    expect(answer.ms).toBeGreaterThanOrEqual(140);
  });

  it('stops later rules from answering: the matching mock:false rule wins the request', async () => {
    const e = 'nomock-first';
    await create(e, { mock: false, match: { operator: 'SW', value: '/' }, send: send('never') });
    await create(e, { match: { operator: 'SW', value: '/' }, send: send('later rule') });
    const answer = await call(e, '/x');
    expect(answer.body.startsWith('mockgate: no rule')).toBe(true);
  });

  // Known bug outside the v1 view: compileRule (core/rules/compile-rules.ts) takes the pass-through delay from
  // `action.delay`, which a `weighted` action does not have, so a mock:false sendRandom rule waits 0 ms.
  // Remove `.fails` once that is fixed.
  it('waits its delay before the fallback answers with sendRandom too', async () => {
    const e = 'nomock-random-delay';
    await create(e, {
      mock: false, delay: 150, match: { operator: 'EM', value: '/wait' }, sendType: 'sendRandom',
      sendRandom: [{ weight: 100, name: 'only', send: send('mocked', 201) }],
    });
    const answer = await call(e, '/wait');
    expect(answer.body.startsWith('mockgate: no rule')).toBe(true);
    expect(answer.ms).toBeGreaterThanOrEqual(140);
  });

  it('turning mock back on by PUT makes the send response answer', async () => {
    const e = 'nomock-put';
    const rule = { mock: false, match: { operator: 'EM', value: '/t' }, send: send('mocked', 201) };
    const id = await create(e, rule);
    expect((await call(e, '/t')).body.startsWith('mockgate: no rule')).toBe(true);
    await mg.api.put(`/api/v1/endpoints/${e}/rules/${id}`, { ...rule, mock: true });
    const answer = await call(e, '/t');
    expect(answer.status).toBe(201);
    expect(answer.body).toBe('mocked');
  });
});
