// A restart keeps every acknowledged endpoint, rule (and its order) and setting.
import { describe, expect, it } from 'vitest';
import { mockRule, startMockgate } from '../../helpers/start-mockgate.js';

describe('restart', () => {
  it('keeps endpoints, rules in order, v1 rules and settings', async () => {
    const first = await startMockgate();
    const { dataDir } = first;
    await first.api.put('/api/v2/endpoints/keep/rules', { rules: [
      mockRule({ type: 'path', operator: 'equals', value: '/a' }, { body: 'a' }),
      mockRule({ type: 'path', operator: 'template', value: '/u/:id' }, { body: 'u' }),
      mockRule({ type: 'path', operator: 'equals', value: '/c' }, { body: 'c' }),
    ] });
    const before = (await first.api.get('/api/v2/endpoints/keep/rules')).body.data;
    await first.api.post('/api/v2/endpoints/keep/rules/reorder', { order: [before[2].id] });
    await first.api.post('/api/v1/endpoints/keep/rules', { match: { method: 'GET', operator: 'SW', value: '/v1' }, send: { status: 202, body: 'v1' } });
    await first.api.patch('/api/v2/endpoints/keep/settings', { locale: 'ja', rules: { enabled: true } });
    await first.api.post('/api/v2/endpoints', { name: 'empty' });
    const rules = (await first.api.get('/api/v2/endpoints/keep/rules')).body.data;
    await first.close({ removeData: false });

    const second = await startMockgate({ dataDir });
    try {
      expect((await second.api.get('/api/v2/endpoints/keep/rules')).body.data).toEqual(rules);
      expect((await second.api.get('/api/v2/endpoints/keep/settings')).body.locale).toBe('ja');
      expect((await second.api.get('/api/v2/endpoints')).body.data.map((e: { name: string }) => e.name)).toEqual(['empty', 'keep']);
      expect(await (await fetch(`${second.url}/e/keep/u/7`)).text()).toBe('u');
      const v1 = await fetch(`${second.url}/e/keep/v1/x`);
      expect(v1.status).toBe(202);
      expect(v1.headers.get('x-beeceptor-rule-id')).toBe(rules[3].id);
    } finally {
      await second.close();
    }
  });
});
