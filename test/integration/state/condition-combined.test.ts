// The `state` condition next to path and header conditions, on strings and lists, and per endpoint (isolation).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import { endpointWithRules, hits as ruleHit, freshName } from '../../helpers/rule-endpoints.js';

let mg: RunningMockgate;

beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(() => mg.close());

/** A fresh endpoint holding one rule that answers 201 "hit"; everything else gets the default answer. */
const endpointWith = (conditions: Array<Record<string, unknown>>, method = '*'): Promise<string> =>
  endpointWithRules(mg, 'sc', { enabled: true, method, conditions, action: { type: 'mock', status: 201, headers: [], body: 'hit' } });

async function setState(endpoint: string, items: Array<{ type: string; key: string; value: unknown }>): Promise<void> {
  const res = await mg.api.put(`/api/v2/endpoints/${endpoint}/state`, { items });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

const hits = (endpoint: string, path: string, init: RequestInit = {}): Promise<boolean> => ruleHit(mg, endpoint, path, init);

describe('state condition with path and header conditions', () => {
  it('matches only when the path, the header and the state all match', async () => {
    const e = await endpointWith([
      { type: 'path', operator: 'template', value: '/carts/:id/checkout' },
      { type: 'header', key: 'X-Tenant', operator: 'equals', value: 'acme' },
      { type: 'state', key: 'cart_items', stateType: 'list', operator: 'greater_than', value: '0' },
    ], 'POST');
    const acme = { method: 'POST', headers: { 'x-tenant': 'acme' } };
    expect(await hits(e, '/carts/7/checkout', acme)).toBe(false); // empty cart
    await setState(e, [{ type: 'list', key: 'cart_items', value: ['sku-1'] }]);
    expect(await hits(e, '/carts/7/checkout', acme)).toBe(true);
    expect(await hits(e, '/carts/7/checkout', { method: 'POST', headers: { 'x-tenant': 'other' } })).toBe(false);
    expect(await hits(e, '/carts/7/checkout', { method: 'POST' })).toBe(false);
    expect(await hits(e, '/carts/7', acme)).toBe(false);
    expect(await hits(e, '/carts/7/checkout', { headers: { 'x-tenant': 'acme' } })).toBe(false); // GET
  });

  it('two state conditions must both hold', async () => {
    const e = await endpointWith([
      { type: 'path', operator: 'equals', value: '/orders' },
      { type: 'state', key: 'mode', stateType: 'string', operator: 'equals', value: 'maintenance' },
      { type: 'state', key: 'errors', stateType: 'counter', operator: 'less_than', value: '5' },
    ]);
    expect(await hits(e, '/orders')).toBe(false);
    await setState(e, [{ type: 'string', key: 'mode', value: 'maintenance' }]);
    expect(await hits(e, '/orders')).toBe(true); // a missing counter is 0 < 5
    await setState(e, [{ type: 'counter', key: 'errors', value: 5 }]);
    expect(await hits(e, '/orders')).toBe(false);
  });

  it('the first matching rule wins as state changes, top to bottom', async () => {
    const name = freshName('sc');
    const rule = (condition: Record<string, unknown> | undefined, body: string) => ({
      enabled: true, method: 'GET',
      conditions: [{ type: 'path', operator: 'equals', value: '/status' }, ...(condition ? [condition] : [])],
      action: { type: 'mock', status: 200, headers: [], body },
    });
    const res = await mg.api.put(`/api/v2/endpoints/${name}/rules`, { rules: [
      rule({ type: 'state', key: 'phase', stateType: 'string', operator: 'equals', value: 'shipped' }, 'shipped'),
      rule({ type: 'state', key: 'phase', stateType: 'string', operator: 'equals', value: 'paid' }, 'paid'),
      rule(undefined, 'new'),
    ] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const status = async (): Promise<string> => (await fetch(`${mg.url}/e/${name}/status`)).text();
    expect(await status()).toBe('new');
    await setState(name, [{ type: 'string', key: 'phase', value: 'paid' }]);
    expect(await status()).toBe('paid');
    await setState(name, [{ type: 'string', key: 'phase', value: 'shipped' }]);
    expect(await status()).toBe('shipped');
  });
});

describe('state condition on strings and lists over HTTP', () => {
  it('string not_equals holds while the item is missing; contains needs it present', async () => {
    const ne = await endpointWith([{ type: 'state', key: 'user', stateType: 'string', operator: 'not_equals', value: 'alex' }]);
    const co = await endpointWith([{ type: 'state', key: 'user', stateType: 'string', operator: 'contains', value: 'le' }]);
    expect(await hits(ne, '/')).toBe(true);
    expect(await hits(co, '/')).toBe(false);
    await setState(ne, [{ type: 'string', key: 'user', value: 'alex' }]);
    await setState(co, [{ type: 'string', key: 'user', value: 'alex' }]);
    expect(await hits(ne, '/')).toBe(false);
    expect(await hits(co, '/')).toBe(true);
  });

  it('string ordering is numeric for numbers and by code units otherwise', async () => {
    const e = await endpointWith([{ type: 'state', key: 'version', stateType: 'string', operator: 'greater_than', value: '9' }]);
    await setState(e, [{ type: 'string', key: 'version', value: '10' }]);
    expect(await hits(e, '/')).toBe(true);
    await setState(e, [{ type: 'string', key: 'version', value: 8 }]);
    expect(await hits(e, '/')).toBe(false);
    await setState(e, [{ type: 'string', key: 'version', value: 'beta' }]);
    expect(await hits(e, '/')).toBe(true); // "b" > "9"
  });

  it('a string item holding JSON compares as compact JSON text', async () => {
    const e = await endpointWith([{ type: 'state', key: 'profile', stateType: 'string', operator: 'equals', value: '{"plan":"pro"}' }]);
    await setState(e, [{ type: 'string', key: 'profile', value: { plan: 'pro' } }]);
    expect(await hits(e, '/')).toBe(true);
  });

  it('list contains is membership, equals compares the whole list, a missing list is []', async () => {
    const co = await endpointWith([{ type: 'state', key: 'tags', stateType: 'list', operator: 'contains', value: 'vip' }]);
    const empty = await endpointWith([{ type: 'state', key: 'tags', stateType: 'list', operator: 'equals', value: '[]' }]);
    expect(await hits(co, '/')).toBe(false);
    expect(await hits(empty, '/')).toBe(true);
    await setState(co, [{ type: 'list', key: 'tags', value: ['new', 'vip'] }]);
    await setState(empty, [{ type: 'list', key: 'tags', value: ['vipx'] }]);
    expect(await hits(co, '/')).toBe(true);
    expect(await hits(empty, '/')).toBe(false);
    await setState(co, [{ type: 'list', key: 'tags', value: ['vipx'] }]);
    expect(await hits(co, '/')).toBe(false); // membership, not substring
    await setState(empty, [{ type: 'list', key: 'tags', value: [] }]);
    expect(await hits(empty, '/')).toBe(true);
  });

  it('items of other types under the same key are not read', async () => {
    const e = await endpointWith([{ type: 'state', key: 'k', stateType: 'counter', operator: 'greater_than', value: '0' }]);
    await setState(e, [{ type: 'string', key: 'k', value: 5 }, { type: 'list', key: 'k', value: [1, 2, 3] }]);
    expect(await hits(e, '/')).toBe(false);
    await setState(e, [{ type: 'counter', key: 'k', value: 1 }]);
    expect(await hits(e, '/')).toBe(true);
  });
});

describe('state condition isolation', () => {
  it("another endpoint's state does not satisfy it", async () => {
    const condition = { type: 'state', key: 'login_attempts', stateType: 'counter', operator: 'greater_than_equal', value: '3' };
    const a = await endpointWith([condition]);
    const b = await endpointWith([condition]);
    await setState(b, [{ type: 'counter', key: 'login_attempts', value: 7 }]);
    expect(await hits(b, '/')).toBe(true);
    expect(await hits(a, '/')).toBe(false);
    await setState(a, [{ type: 'counter', key: 'login_attempts', value: 3 }]);
    expect(await hits(a, '/')).toBe(true);
    expect((await mg.api.delete(`/api/v2/endpoints/${b}/state`, { all: true })).status).toBe(200);
    expect(await hits(b, '/')).toBe(false);
    expect(await hits(a, '/')).toBe(true);
  });

  it('a deleted and recreated endpoint starts with no state', async () => {
    const condition = { type: 'state', key: 'seen', stateType: 'counter', operator: 'equals', value: '0' };
    const e = await endpointWith([condition]);
    await setState(e, [{ type: 'counter', key: 'seen', value: 2 }]);
    expect(await hits(e, '/')).toBe(false);
    expect((await mg.api.delete(`/api/v2/endpoints/${e}`)).status).toBe(200);
    const again = await mg.api.post(`/api/v2/endpoints/${e}/rules`,
      { enabled: true, method: '*', conditions: [condition], action: { type: 'mock', status: 201, headers: [], body: 'hit' } });
    expect(again.status).toBe(201);
    expect(await hits(e, '/')).toBe(true);
  });
});
