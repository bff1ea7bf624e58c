// The `state` condition refused at write time: schema errors and value checks answer 400 validation_error at the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;

beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(() => mg.close());

const STATE = { type: 'state', key: 'login_attempts', stateType: 'counter', operator: 'greater_than_equal', value: '3' };

async function postRule(condition: Record<string, unknown>) {
  return mg.api.post('/api/v2/endpoints/vstate/rules', mockRule(condition));
}

describe('state condition: validation_error', () => {
  it('accepts the seed shape', async () => {
    const res = await postRule(STATE);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.conditions).toEqual([STATE]);
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['an unknown operator', { operator: 'regex' }, '/conditions/0/operator', /must be one of: equals, not_equals/],
    ['an unknown stateType', { stateType: 'datastore' }, '/conditions/0/stateType', /must be one of: string, counter, list/],
    ['a capitalised stateType', { stateType: 'Counter' }, '/conditions/0/stateType', /must be one of/],
    ['a numeric value', { value: 3 }, '/conditions/0/value', /must be string/],
    ['an empty key', { key: '' }, '/conditions/0/key', /must NOT have fewer than 1 characters/],
    ['a key longer than the state API allows', { key: 'k'.repeat(101) }, '/conditions/0/key', /must NOT have more than 100/],
    ['an extra property', { index: 1 }, '/conditions/0/index', /is not a known property/],
  ])('400 for %s, pointing at the field', async (_name, change, parameter, message) => {
    const res = await postRule({ ...STATE, ...change });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_error', parameter });
    expect(res.body.error.message).toMatch(message);
  });

  it.each(['value', 'key', 'stateType', 'operator'])('400 when %s is missing', async (field) => {
    const condition: Record<string, unknown> = { ...STATE };
    delete condition[field];
    const res = await postRule(condition);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_error');
    expect(res.body.error.message).toContain(`must have required property '${field}'`);
  });

  it.each(['greater_than', 'less_than', 'greater_than_equal', 'less_than_equal', 'equals', 'not_equals'])(
    '400 at /conditions/0/value for counter %s with a value that is not a number',
    async (operator) => {
      const res = await postRule({ ...STATE, operator, value: 'three' });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'validation_error', parameter: '/conditions/0/value' });
      expect(res.body.error.message).toMatch(/^\/conditions\/0\/value: a counter compares numbers .*"three" is not a number/);
    },
  );

  it('counter contains takes any text', async () => {
    expect((await postRule({ ...STATE, operator: 'contains', value: 'three' })).status).toBe(201);
  });

  it('400 for list equals with a value that is not a JSON array, and list ordering with a non-numeric length', async () => {
    const eq = await postRule({ ...STATE, stateType: 'list', operator: 'equals', value: 'apple' });
    expect(eq.status).toBe(400);
    expect(eq.body.error).toMatchObject({ code: 'validation_error', parameter: '/conditions/0/value' });
    expect(eq.body.error.message).toMatch(/JSON array/);
    const gt = await postRule({ ...STATE, stateType: 'list', operator: 'greater_than', value: 'many' });
    expect(gt.status).toBe(400);
    expect(gt.body.error).toMatchObject({ code: 'validation_error', parameter: '/conditions/0/value' });
  });

  it('string ordering takes any value', async () => {
    expect((await postRule({ ...STATE, stateType: 'string', operator: 'greater_than', value: 'abc' })).status).toBe(201);
  });

  it('points at the condition by its index, and at the rule inside a bulk replace', async () => {
    const second = await mg.api.post('/api/v2/endpoints/vstate/rules', {
      enabled: true, method: 'POST',
      conditions: [{ type: 'path', operator: 'equals', value: '/login' }, { ...STATE, value: 'x' }],
      action: { type: 'mock', status: 423, headers: [], body: 'locked' },
    });
    expect(second.body.error).toMatchObject({ code: 'validation_error', parameter: '/conditions/1/value' });
    const bulk = await mg.api.put('/api/v2/endpoints/vstate-bulk/rules', {
      rules: [mockRule(STATE), mockRule({ ...STATE, operator: 'less_than', value: '' })],
    });
    expect(bulk.status).toBe(400);
    expect(bulk.body.error).toMatchObject({ code: 'validation_error', parameter: '/rules/1/conditions/0/value' });
  });

  it('a refused rule changes nothing', async () => {
    const before = await mg.api.get('/api/v2/endpoints/vstate/rules');
    expect((await postRule({ ...STATE, value: 'NaN' })).status).toBe(400);
    const after = await mg.api.get('/api/v2/endpoints/vstate/rules');
    expect(after.body).toEqual(before.body);
  });

  it('PATCH of a stored state rule is checked the same way', async () => {
    const created = await postRule(STATE);
    const id = created.body.id as string;
    const patched = await mg.api.patch(`/api/v2/endpoints/vstate/rules/${id}`, { conditions: [{ ...STATE, value: 'lots' }] });
    expect(patched.status).toBe(400);
    expect(patched.body.error).toMatchObject({ code: 'validation_error', parameter: '/conditions/0/value' });
  });
});
