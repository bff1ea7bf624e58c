// The v2 rules API: paths, bodies, status codes and shapes of the OpenAPI document; errors and limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(() => mg.close());

const rulesPath = (e: string) => `/api/v2/endpoints/${e}/rules`;
const rule = (value: string, body = value) => mockRule({ type: 'path', operator: 'equals', value }, { body });

// The document's own example for POST /rules.
const documentExample = {
  enabled: true,
  method: 'GET',
  description: 'my simple rule',
  conditions: [{ type: 'path', operator: 'equals', value: '/simple-rule' }],
  action: { type: 'mock', delay: 0, status: 200, headers: [{ key: 'Content-Type', value: 'application/json;charset=utf-8' }], body: '{\n "status": "Awesome!"\n}', templated: false },
};

describe('create, read, update, delete', () => {
  it('POST creates a rule (201, RuleWithId), GET lists and reads it', async () => {
    const created = await mg.api.post(rulesPath('r1'), documentExample);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.stringMatching(/^[0-9a-z]{11}$/), ...documentExample });
    const list = await mg.api.get(rulesPath('r1'));
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ data: [created.body] });
    const one = await mg.api.get(`${rulesPath('r1')}/${created.body.id}`);
    expect(one.body).toEqual(created.body);
    const res = await fetch(`${mg.url}/e/r1/simple-rule`);
    expect(await res.json()).toEqual({ status: 'Awesome!' });
  });

  it('POST appends at the end; ids are generated even when one is sent', async () => {
    const a = await mg.api.post(rulesPath('r2'), rule('/a'));
    const b = await mg.api.post(rulesPath('r2'), { ...rule('/b'), id: 'chosen' });
    expect(b.body.id).not.toBe('chosen');
    expect((await mg.api.get(rulesPath('r2'))).body.data.map((r: { id: string }) => r.id)).toEqual([a.body.id, b.body.id]);
  });

  it('a missing method is stored as *', async () => {
    const { method: _m, ...noMethod } = documentExample;
    const created = await mg.api.post(rulesPath('r3'), noMethod);
    expect(created.body.method).toBe('*');
  });

  it('PUT /rules replaces all rules atomically, in the given order', async () => {
    await mg.api.post(rulesPath('r4'), rule('/old'));
    const res = await mg.api.put(rulesPath('r4'), { rules: [rule('/one'), rule('/two')] });
    expect(res.body).toEqual({ replaced: 2 });
    const values = (await mg.api.get(rulesPath('r4'))).body.data.map((r: any) => r.conditions[0].value);
    expect(values).toEqual(['/one', '/two']);
    expect(await (await fetch(`${mg.url}/e/r4/old`)).text()).toMatch(/^mockgate: no rule/);
  });

  it('PUT /rules with one invalid rule changes nothing and points at it', async () => {
    await mg.api.put(rulesPath('r5'), { rules: [rule('/keep')] });
    const bad = rule('/b');
    const res = await mg.api.put(rulesPath('r5'), { rules: [rule('/a'), { ...bad, action: { ...bad.action, status: 42 } }] });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_error', parameter: '/rules/1/action/status' });
    expect(res.body.error.details[0]).toMatchObject({ path: '/rules/1/action/status', received: '42' });
    const compileError = await mg.api.put(rulesPath('r5'), { rules: [rule('/a'), mockRule({ type: 'path', operator: 'regex', value: '(' })] });
    expect(compileError.body.error).toMatchObject({ code: 'validation_error', parameter: '/rules/1/conditions/0/value' });
    expect((await mg.api.get(rulesPath('r5'))).body.data.map((r: any) => r.conditions[0].value)).toEqual(['/keep']);
  });

  it('DELETE /rules deletes all and counts them', async () => {
    await mg.api.put(rulesPath('r6'), { rules: [rule('/a'), rule('/b'), rule('/c')] });
    expect((await mg.api.delete(rulesPath('r6'))).body).toEqual({ deleted: true, count: 3 });
    expect((await mg.api.get(rulesPath('r6'))).body).toEqual({ data: [] });
  });

  it('PUT /rules/{id} replaces one rule in place; PATCH replaces only the given top-level fields', async () => {
    await mg.api.put(rulesPath('r7'), { rules: [rule('/a'), rule('/b'), rule('/c')] });
    const [, b] = (await mg.api.get(rulesPath('r7'))).body.data;
    const put = await mg.api.put(`${rulesPath('r7')}/${b.id}`, rule('/B', 'big b'));
    expect(put.body).toMatchObject({ id: b.id, conditions: [{ value: '/B' }] });
    const patched = await mg.api.patch(`${rulesPath('r7')}/${b.id}`, { enabled: false, description: 'off' });
    expect(patched.body).toEqual({ ...put.body, enabled: false, description: 'off' });
    const list = (await mg.api.get(rulesPath('r7'))).body.data;
    expect(list.map((r: any) => r.conditions[0].value)).toEqual(['/a', '/B', '/c']);
    expect(await (await fetch(`${mg.url}/e/r7/B`)).text()).toMatch(/^mockgate: no rule/);
    await mg.api.patch(`${rulesPath('r7')}/${b.id}`, { enabled: true, method: 'POST' });
    expect(await (await fetch(`${mg.url}/e/r7/B`, { method: 'POST' })).text()).toBe('big b');
    const badPatch = await mg.api.patch(`${rulesPath('r7')}/${b.id}`, { conditions: [] });
    expect(badPatch.body.error).toMatchObject({ code: 'validation_error', parameter: '/conditions' });
    const unknownField = await mg.api.patch(`${rulesPath('r7')}/${b.id}`, { enabeld: true });
    expect(unknownField.body.error).toMatchObject({ code: 'validation_error', parameter: '/enabeld' });
  });

  it('DELETE /rules/{id} removes one rule; the others keep their order', async () => {
    await mg.api.put(rulesPath('r8'), { rules: [rule('/a'), rule('/b'), rule('/c')] });
    const [a, b, c] = (await mg.api.get(rulesPath('r8'))).body.data;
    expect((await mg.api.delete(`${rulesPath('r8')}/${b.id}`)).body).toEqual({ id: b.id, deleted: true });
    expect((await mg.api.get(rulesPath('r8'))).body.data.map((r: any) => r.id)).toEqual([a.id, c.id]);
  });

  it('unknown rule ids are 404 not_found for GET, PUT, PATCH and DELETE', async () => {
    for (const call of [
      () => mg.api.get(`${rulesPath('r9')}/nope`),
      () => mg.api.put(`${rulesPath('r9')}/nope`, rule('/a')),
      () => mg.api.patch(`${rulesPath('r9')}/nope`, { enabled: false }),
      () => mg.api.delete(`${rulesPath('r9')}/nope`),
    ]) {
      const res = await call();
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
  });
});

describe('reorder', () => {
  it('moves the listed rules to the top in order; the rest keep their relative order', async () => {
    await mg.api.put(rulesPath('o1'), { rules: [rule('/a'), rule('/b'), rule('/c'), rule('/d')] });
    const [a, b, c, d] = (await mg.api.get(rulesPath('o1'))).body.data;
    const res = await mg.api.post(`${rulesPath('o1')}/reorder`, { order: [c.id, a.id] });
    expect(res.body).toEqual({ data: { reordered: 2 } });
    expect((await mg.api.get(rulesPath('o1'))).body.data.map((r: any) => r.id)).toEqual([c.id, a.id, b.id, d.id]);
  });

  it('changes which rule wins', async () => {
    await mg.api.put(rulesPath('o2'), { rules: [
      mockRule({ type: 'path', operator: 'starts_with', value: '/x' }, { body: 'broad' }),
      rule('/x/1', 'narrow'),
    ] });
    expect(await (await fetch(`${mg.url}/e/o2/x/1`)).text()).toBe('broad');
    const [, narrow] = (await mg.api.get(rulesPath('o2'))).body.data;
    await mg.api.post(`${rulesPath('o2')}/reorder`, { order: [narrow.id] });
    expect(await (await fetch(`${mg.url}/e/o2/x/1`)).text()).toBe('narrow');
  });

  it('an unknown id is 404 and nothing changes; a malformed body is 400', async () => {
    await mg.api.put(rulesPath('o3'), { rules: [rule('/a'), rule('/b')] });
    const before = (await mg.api.get(rulesPath('o3'))).body.data.map((r: any) => r.id);
    const res = await mg.api.post(`${rulesPath('o3')}/reorder`, { order: [before[1], 'ghost'] });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect(res.body.error.message).toMatch(/ghost/);
    expect((await mg.api.get(rulesPath('o3'))).body.data.map((r: any) => r.id)).toEqual(before);
    const bad = await mg.api.post(`${rulesPath('o3')}/reorder`, { order: 'x' });
    expect(bad.body.error).toMatchObject({ code: 'validation_error', parameter: '/order' });
    const dup = await mg.api.post(`${rulesPath('o3')}/reorder`, { order: [before[0], before[0]] });
    expect(dup.body.error).toMatchObject({ code: 'validation_error', parameter: '/order' });
  });
});

describe('errors and limits', () => {
  it('malformed JSON is 400 invalid_json_body', async () => {
    const res = await mg.api.send('POST', rulesPath('e1'), '{"enabled": tru');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'invalid_json_body', message: 'Invalid JSON in request body' } });
  });

  it('schema errors point at the offending field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ ...documentExample, conditions: [{ type: 'path', operator: 'near', value: '/x' }] }, '/conditions/0/operator'],
      [{ ...documentExample, conditions: [{ type: 'teleport', value: '/x' }] }, '/conditions/0/type'],
      [{ ...documentExample, action: { type: 'teleport' } }, '/action/type'],
      [{ ...documentExample, method: 'FETCH' }, '/method'],
      [{ ...documentExample, enabled: 'yes' }, '/enabled'],
      [{ ...documentExample, extra: 1 }, '/extra'],
      [{ ...documentExample, conditions: [{ type: 'path', operator: 'equals', value: '/x', flag: true }] }, '/conditions/0/flag'],
      [[], '/'],
    ];
    for (const [body, pointer] of cases) {
      const res = await mg.api.post(rulesPath('e2'), body);
      expect(res.status, pointer).toBe(400);
      expect(res.body.error, pointer).toMatchObject({ code: 'validation_error', parameter: pointer });
      expect(res.body.error.message.startsWith(`${pointer}: `), res.body.error.message).toBe(true);
    }
    const missing = await mg.api.post(rulesPath('e2'), { conditions: documentExample.conditions, action: documentExample.action });
    expect(missing.body.error).toMatchObject({ code: 'validation_error', parameter: '/', message: "/: must have required property 'enabled'" });
  });

  it('a rule has 1 to 5 conditions', async () => {
    const c = { type: 'path', operator: 'contains', value: 'a' };
    expect((await mg.api.post(rulesPath('e3'), { ...documentExample, conditions: [] })).body.error.parameter).toBe('/conditions');
    expect((await mg.api.post(rulesPath('e3'), { ...documentExample, conditions: Array(6).fill(c) })).body.error.parameter).toBe('/conditions');
    expect((await mg.api.post(rulesPath('e3'), { ...documentExample, conditions: Array(5).fill(c) })).status).toBe(201);
  });

  it('an endpoint holds at most 500 rules', async () => {
    const many = Array.from({ length: 500 }, (_, i) => rule(`/r${i}`));
    expect((await mg.api.put(rulesPath('e4'), { rules: many })).body).toEqual({ replaced: 500 });
    const extra = await mg.api.post(rulesPath('e4'), rule('/one-more'));
    expect(extra.status).toBe(400);
    expect(extra.body.error.code).toBe('validation_error');
    expect(extra.body.error.message).toMatch(/500/);
    const tooMany = await mg.api.put(rulesPath('e4'), { rules: [...many, rule('/x')] });
    expect(tooMany.body.error).toMatchObject({ code: 'validation_error', parameter: '/rules' });
    expect((await mg.api.get(rulesPath('e4'))).body.data).toHaveLength(500);
    expect(await (await fetch(`${mg.url}/e/e4/r499`)).text()).toBe('/r499');
  });

  it('a management body over 1 MB is 413 payload_too_large', async () => {
    const res = await mg.api.post(rulesPath('e5'), { ...documentExample, description: 'x'.repeat(1024 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('an invalid endpoint name is 400 validation_error', async () => {
    const res = await mg.api.get('/api/v2/endpoints/Not_Valid/rules');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_error', parameter: 'endpoint' });
  });

  it('an unknown API path is a 404 JSON error', async () => {
    const res = await mg.api.get('/api/v2/nothing');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('concurrent writes to one endpoint lose nothing', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => mg.api.post(rulesPath('e6'), rule(`/c${i}`))));
    const values = (await mg.api.get(rulesPath('e6'))).body.data.map((r: any) => r.conditions[0].value);
    expect(new Set(values).size).toBe(40);
  });
});
