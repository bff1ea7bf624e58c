// With --no-journal nothing is recorded: traffic is answered as usual and the history APIs answer empty lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate({ config: { journal: false } });
});
afterAll(() => mg.close());

describe('journal off', () => {
  it('answers traffic, body rules included, and records nothing', async () => {
    await mg.api.post('/api/v2/endpoints/quiet/rules', mockRule({ type: 'body', operator: 'contains', value: 'ping' }, { body: 'pong' }));
    expect(await (await fetch(`${mg.url}/e/quiet/x`, { method: 'POST', body: 'ping' })).text()).toBe('pong');
    expect(await (await fetch(`${mg.url}/e/quiet/y`)).text()).toMatch(/^mockgate: no rule/);
    expect((await mg.api.get('/api/v2/endpoints/quiet/requests')).body.data).toEqual([]);
    expect((await mg.api.get('/api/v2/endpoints/quiet/requests/count')).body).toEqual({ count: 0 });
    expect((await mg.api.get('/api/v1/endpoints/quiet/requests')).body).toEqual({ data: [] });
  });
});
