// Every operator of the REST plugin's conditions, through a real server and real HTTP requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import { hitRule, endpointWithRules, hits as ruleHit, freshName } from '../../helpers/rule-endpoints.js';

let mg: RunningMockgate;

beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(() => mg.close());

/** A fresh endpoint holding one rule that answers 201 "hit"; everything else gets the default answer (200). */
const endpointWith = (condition: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<string> =>
  endpointWithRules(mg, 'c', hitRule(condition, extra));

const hits = (endpoint: string, path: string, init: RequestInit = {}): Promise<boolean> => ruleHit(mg, endpoint, path, init);

describe('path condition', () => {
  it('equals compares the path without the query string', async () => {
    const e = await endpointWith({ type: 'path', operator: 'equals', value: '/api/login' });
    expect(await hits(e, '/api/login')).toBe(true);
    expect(await hits(e, '/api/login?next=/home')).toBe(true);
    expect(await hits(e, '/api/login/')).toBe(false);
    expect(await hits(e, '/api/LOGIN')).toBe(false);
  });

  it('equals with a query string in the rule compares the whole URL', async () => {
    const e = await endpointWith({ type: 'path', operator: 'equals', value: '/search?q=cats' });
    expect(await hits(e, '/search?q=cats')).toBe(true);
    expect(await hits(e, '/search?q=dogs')).toBe(false);
  });

  it('starts_with, contains and regex see the query string too', async () => {
    const sw = await endpointWith({ type: 'path', operator: 'starts_with', value: '/users/' });
    expect(await hits(sw, '/users/7')).toBe(true);
    expect(await hits(sw, '/users')).toBe(false);
    const co = await endpointWith({ type: 'path', operator: 'contains', value: 'debug=1' });
    expect(await hits(co, '/x?debug=1')).toBe(true);
    expect(await hits(co, '/x?debug=0')).toBe(false);
    const re = await endpointWith({ type: 'path', operator: 'regex', value: '^/orders/\\d+$' });
    expect(await hits(re, '/orders/42')).toBe(true);
    expect(await hits(re, '/orders/4x')).toBe(false);
  });

  it('template captures Express-style parameters and is case-sensitive', async () => {
    const e = await endpointWith({ type: 'path', operator: 'template', value: '/users/:id/orders/:orderId' });
    expect(await hits(e, '/users/7/orders/9')).toBe(true);
    expect(await hits(e, '/users/7/orders')).toBe(false);
    expect(await hits(e, '/Users/7/orders/9')).toBe(false);
  });

  it('rejects an invalid template and an invalid regex when the rule is written', async () => {
    const bad = await mg.api.post('/api/v2/endpoints/cbad/rules', mockRule({ type: 'path', operator: 'template', value: '/users/:' }));
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'validation_error', parameter: '/conditions/0/value' });
    const re = await mg.api.post('/api/v2/endpoints/cbad/rules', mockRule({ type: 'path', operator: 'regex', value: '(a)\\1' }));
    expect(re.body.error).toMatchObject({ code: 'validation_error', parameter: '/conditions/0/value' });
    expect(re.body.error.message).toMatch(/back-references/);
  });

  it('a hostile regex condition answers quickly', async () => {
    const e = await endpointWith({ type: 'path', operator: 'regex', value: '(a+)+$' });
    const started = performance.now();
    expect(await hits(e, `/${'a'.repeat(30)}!`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('header condition', () => {
  it('equals, contains and regex; names are case-insensitive', async () => {
    const eq = await endpointWith({ type: 'header', key: 'X-Tenant', operator: 'equals', value: 'acme' });
    expect(await hits(eq, '/', { headers: { 'x-tenant': 'acme' } })).toBe(true);
    expect(await hits(eq, '/', { headers: { 'X-TENANT': 'acme' } })).toBe(true);
    expect(await hits(eq, '/', { headers: { 'x-tenant': 'acme2' } })).toBe(false);
    expect(await hits(eq, '/')).toBe(false);
    const co = await endpointWith({ type: 'header', key: 'user-agent', operator: 'contains', value: 'curl' });
    expect(await hits(co, '/', { headers: { 'user-agent': 'curl/8.0' } })).toBe(true);
    expect(await hits(co, '/', { headers: { 'user-agent': 'wget' } })).toBe(false);
    const re = await endpointWith({ type: 'header', key: 'authorization', operator: 'regex', value: '^Bearer [a-z]+$' });
    expect(await hits(re, '/', { headers: { authorization: 'Bearer abc' } })).toBe(true);
    expect(await hits(re, '/', { headers: { authorization: 'Basic abc' } })).toBe(false);
  });

  it('a missing header never matches, even a regex that accepts anything', async () => {
    const e = await endpointWith({ type: 'header', key: 'x-missing', operator: 'regex', value: '.*' });
    expect(await hits(e, '/')).toBe(false);
    expect(await hits(e, '/', { headers: { 'x-missing': '' } })).toBe(true);
  });
});

describe('body condition', () => {
  it('contains and regex on the raw body', async () => {
    const co = await endpointWith({ type: 'body', operator: 'contains', value: '"username":"alex"' });
    expect(await hits(co, '/login', { method: 'POST', body: '{"username":"alex"}' })).toBe(true);
    expect(await hits(co, '/login', { method: 'POST', body: '{"username":"bob"}' })).toBe(false);
    const re = await endpointWith({ type: 'body', operator: 'regex', value: '<id>\\d{3}</id>' });
    expect(await hits(re, '/', { method: 'POST', body: '<req><id>123</id></req>' })).toBe(true);
    expect(await hits(re, '/', { method: 'POST', body: '<req><id>12</id></req>' })).toBe(false);
  });
});

describe('body_param condition', () => {
  const json = (value: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });
  const form = (text: string): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: text });

  it('equals and not_equals on a dotted path into JSON, with array indexes', async () => {
    const eq = await endpointWith({ type: 'body_param', key: 'user.email', operator: 'equals', value: 'a@b.c' });
    expect(await hits(eq, '/', json({ user: { email: 'a@b.c' } }))).toBe(true);
    expect(await hits(eq, '/', json({ user: { email: 'x@b.c' } }))).toBe(false);
    expect(await hits(eq, '/', json({ user: {} }))).toBe(false);
    const idx = await endpointWith({ type: 'body_param', key: 'items.0.id', operator: 'equals', value: '42' });
    expect(await hits(idx, '/', json({ items: [{ id: 42 }] }))).toBe(true);
    expect(await hits(idx, '/', json({ items: [{ id: 41 }, { id: 42 }] }))).toBe(false);
    const ne = await endpointWith({ type: 'body_param', key: 'status', operator: 'not_equals', value: 'active' });
    expect(await hits(ne, '/', json({ status: 'blocked' }))).toBe(true);
    expect(await hits(ne, '/', json({ status: 'active' }))).toBe(false);
    expect(await hits(ne, '/', json({}))).toBe(true);
  });

  it('contains and not_contains on strings and arrays', async () => {
    const co = await endpointWith({ type: 'body_param', key: 'note', operator: 'contains', value: 'urgent' });
    expect(await hits(co, '/', json({ note: 'very urgent!' }))).toBe(true);
    expect(await hits(co, '/', json({ note: 'later' }))).toBe(false);
    const arr = await endpointWith({ type: 'body_param', key: 'tags', operator: 'contains', value: 'vip' });
    expect(await hits(arr, '/', json({ tags: ['new', 'vip'] }))).toBe(true);
    expect(await hits(arr, '/', json({ tags: ['vipx'] }))).toBe(false);
    const nc = await endpointWith({ type: 'body_param', key: 'note', operator: 'not_contains', value: 'urgent' });
    expect(await hits(nc, '/', json({ note: 'later' }))).toBe(true);
    expect(await hits(nc, '/', json({ note: 'urgent' }))).toBe(false);
  });

  it('is_null and is_not_null need no value', async () => {
    const isNull = await endpointWith({ type: 'body_param', key: 'deletedAt', operator: 'is_null' });
    expect(await hits(isNull, '/', json({ deletedAt: null }))).toBe(true);
    expect(await hits(isNull, '/', json({}))).toBe(true);
    expect(await hits(isNull, '/', json({ deletedAt: '2024-01-01' }))).toBe(false);
    const notNull = await endpointWith({ type: 'body_param', key: 'deletedAt', operator: 'is_not_null' });
    expect(await hits(notNull, '/', json({ deletedAt: 0 }))).toBe(true);
    expect(await hits(notNull, '/', json({ deletedAt: null }))).toBe(false);
  });

  it('reads url-encoded form fields', async () => {
    const e = await endpointWith({ type: 'body_param', key: 'grant_type', operator: 'equals', value: 'password' });
    expect(await hits(e, '/token', form('grant_type=password&user=a'))).toBe(true);
    expect(await hits(e, '/token', form('grant_type=client_credentials'))).toBe(false);
  });

  it('a body that is not JSON never matches equals and does not break anything', async () => {
    const e = await endpointWith({ type: 'body_param', key: 'a', operator: 'equals', value: '1' });
    expect(await hits(e, '/', { method: 'POST', body: '{"a":1' })).toBe(false);
    expect(await hits(e, '/', json({ a: 1 }))).toBe(true);
  });

  it('requires value for comparing operators', async () => {
    const res = await mg.api.post('/api/v2/endpoints/cbp/rules', mockRule({ type: 'body_param', key: 'a', operator: 'equals' }));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_error', parameter: '/conditions/0' });
    expect(res.body.error.message).toMatch(/value/);
  });
});

describe('several conditions and methods', () => {
  it('all conditions must match (AND), and the method must match', async () => {
    const name = freshName('c');
    await mg.api.post(`/api/v2/endpoints/${name}/rules`, {
      enabled: true, method: 'POST',
      conditions: [
        { type: 'path', operator: 'equals', value: '/login' },
        { type: 'body', operator: 'contains', value: 'alex' },
        { type: 'header', key: 'x-app', operator: 'equals', value: 'web' },
      ],
      action: { type: 'mock', status: 201, headers: [], body: 'hit' },
    });
    const ok: RequestInit = { method: 'POST', body: 'alex', headers: { 'x-app': 'web' } };
    expect(await hits(name, '/login', ok)).toBe(true);
    expect(await hits(name, '/login', { ...ok, method: 'PUT' })).toBe(false);
    expect(await hits(name, '/login', { ...ok, body: 'bob' })).toBe(false);
    expect(await hits(name, '/login', { ...ok, headers: { 'x-app': 'ios' } })).toBe(false);
  });

  it('method * matches any method; HEAD is answered by GET rules without a body', async () => {
    const any = await endpointWith({ type: 'path', operator: 'equals', value: '/x' });
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) expect(await hits(any, '/x', { method })).toBe(true);
    const get = await endpointWith({ type: 'path', operator: 'equals', value: '/x' }, { method: 'GET' });
    const head = await fetch(`${mg.url}/e/${get}/x`, { method: 'HEAD' });
    expect(head.status).toBe(201);
    expect(await head.text()).toBe('');
    expect(await hits(get, '/x', { method: 'POST' })).toBe(false);
  });
});
