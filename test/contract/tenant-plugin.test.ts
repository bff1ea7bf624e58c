// The README's example plugin, end to end: a rule using its `tenant` condition and `echo` action, real HTTP traffic.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import rest from '../../plugins/rest/index.js';
import tenantPlugin from '../fixtures/plugins/tenant-plugin.js';
import { startMockgate, type RunningMockgate } from '../helpers/start-mockgate.js';

const RULES = '/api/v2/endpoints/demo/rules';

describe('tenant plugin (README example)', () => {
  let mg: RunningMockgate;
  beforeEach(async () => {
    mg = await startMockgate({ plugins: [rest, tenantPlugin] });
  });
  afterEach(() => mg.close());

  it('answers with the echo action only for the tenant named in the rule', async () => {
    const created = await mg.api.post(RULES, {
      enabled: true,
      method: '*',
      conditions: [
        { type: 'tenant', value: 'acme' },
        { type: 'path', operator: 'starts_with', value: '/orders' },
      ],
      action: { type: 'echo', status: 201 },
    });
    expect(created.status).toBe(201);

    const hit = await fetch(`${mg.url}/e/demo/orders/7?full=1`, { method: 'POST', headers: { 'x-tenant': 'acme' } });
    expect(hit.status).toBe(201);
    expect(hit.headers.get('content-type')).toBe('application/json');
    expect(hit.headers.get('x-beeceptor-rule-id')).toBe(created.body.id);
    expect(await hit.json()).toEqual({ method: 'POST', path: '/orders/7', tenant: 'acme' });

    const otherTenant = await fetch(`${mg.url}/e/demo/orders/7`, { headers: { 'x-tenant': 'globex' } });
    expect(otherTenant.headers.get('x-beeceptor-rule-id')).toBeNull();
    expect(await otherTenant.text()).toContain('no rule of endpoint "demo" matched GET /orders/7');

    const noTenant = await fetch(`${mg.url}/e/demo/orders/7`);
    expect(noTenant.headers.get('x-beeceptor-rule-id')).toBeNull();
  });

  it.each([
    { what: 'a value of the wrong type', condition: { type: 'tenant', value: 42 }, pointer: '/conditions/0/value' },
    { what: 'an empty value', condition: { type: 'tenant', value: '' }, pointer: '/conditions/0/value' },
    { what: 'no value', condition: { type: 'tenant' }, pointer: '/conditions/0' },
    { what: 'an unknown property', condition: { type: 'tenant', value: 'acme', header: 'x-org' }, pointer: '/conditions/0/header' },
  ])('rejects a tenant condition with $what: validation_error at $pointer', async ({ condition, pointer }) => {
    const res = await mg.api.post(RULES, { enabled: true, conditions: [condition], action: { type: 'echo', status: 200 } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'validation_error', parameter: pointer } });
    expect((await mg.api.get(RULES)).body).toEqual({ data: [] });
  });

  it('rejects an echo action whose status is not an HTTP status: validation_error at /action/status', async () => {
    const res = await mg.api.post(RULES, {
      enabled: true,
      conditions: [{ type: 'tenant', value: 'acme' }],
      action: { type: 'echo', status: 42 },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'validation_error', parameter: '/action/status' } });
  });
});
