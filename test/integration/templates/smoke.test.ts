import { afterAll, beforeAll, expect, it } from 'vitest';
import { mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
let mg: RunningMockgate;
beforeAll(async () => { mg = await startMockgate(); });
afterAll(() => mg.close());
it('smoke', async () => {
  const r = await mg.api.post('/api/v2/endpoints/t1/rules', mockRule({ type: 'path', operator: 'template', value: '/users/:id' }, {
    body: '{"id":"{{pathParam \'id\'}}","q":"{{queryParam \'q\' \'none\'}}","n":{{step-counter \'inc\' \'hits\'}},"b":"{{body \'a.b\'}}","h":"{{header \'x-h\'}}"}', templated: true, headers: [] }));
  expect(r.status).toBe(201);
  const t0 = performance.now();
  const res = await fetch(`${mg.url}/e/t1/users/7?q=x`, { method: 'POST', body: '{"a":{"b":"<B>"}}', headers: { 'content-type': 'application/json', 'x-h': 'hv' } });
  console.log(res.status, await res.text(), performance.now() - t0);
  const res2 = await fetch(`${mg.url}/e/t1/users/8`);
  console.log(res2.status, await res2.text());
  const bad = await mg.api.post('/api/v2/endpoints/t1/rules', mockRule({ type: 'path', operator: 'equals', value: '/x' }, { body: '{{#if}}', templated: true, headers: [] }));
  console.log(bad.status, JSON.stringify(bad.body));
  const bad2 = await mg.api.post('/api/v2/endpoints/t1/rules', mockRule({ type: 'path', operator: 'equals', value: '/x' }, { body: '{{nope 1}}', templated: true, headers: [] }));
  console.log(bad2.status, JSON.stringify(bad2.body));
  console.log(mg.mockgate.templates.stats);
});
