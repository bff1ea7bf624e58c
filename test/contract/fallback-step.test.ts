// A plugin's fallback step over real HTTP: rule first, then the step, then the core's default answer.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import rest from '../../plugins/rest/index.js';
import { createRegistry } from '../../core/plugins/registry.js';
import fallbackPlugin, { FALLBACK_DEMO_STATUS } from '../fixtures/plugins/fallback-plugin.js';
import { mockRule, startMockgate, type RunningMockgate } from '../helpers/start-mockgate.js';

describe('fallback step registered by a plugin', () => {
  let mg: RunningMockgate;
  beforeEach(async () => {
    mg = await startMockgate({ plugins: [rest, fallbackPlugin] });
    const created = await mg.api.post('/api/v2/endpoints/demo/rules',
      mockRule({ type: 'path', operator: 'equals', value: '/fallback-demo/ruled' }, { status: 200, body: 'from the rule' }));
    expect(created.status).toBe(201);
  });
  afterEach(() => mg.close());

  it('is in the registry in order', async () => {
    const registry = await createRegistry([rest, fallbackPlugin]);
    expect(registry.fallbacks.map((f) => [f.name, f.order])).toEqual([['fallback-demo', 50]]);
  });

  it('does not run when a rule matches', async () => {
    const res = await fetch(`${mg.url}/e/demo/fallback-demo/ruled`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('from the rule');
  });

  it('answers a rule miss under its path', async () => {
    const res = await fetch(`${mg.url}/e/demo/fallback-demo/anything?x=1`);
    expect(res.status).toBe(FALLBACK_DEMO_STATUS);
    expect(res.headers.get('x-beeceptor-rule-id')).toBeNull();
    expect(await res.text()).toBe('fallback of demo');
  });

  it('passes a rule miss elsewhere on to the default answer', async () => {
    const res = await fetch(`${mg.url}/e/demo/elsewhere`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('mockgate: no rule of endpoint "demo" matched GET /elsewhere\n');
  });

  it('runs when the endpoint\'s rules are switched off', async () => {
    const off = await mg.api.patch('/api/v2/endpoints/demo/settings', { rules: { enabled: false } });
    expect(off.status).toBe(200);
    const res = await fetch(`${mg.url}/e/demo/fallback-demo/ruled`);
    expect(res.status).toBe(FALLBACK_DEMO_STATUS);
  });
});
