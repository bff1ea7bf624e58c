// v1 and v2 are two views of the same stored rules: what one writes, the other reads, in its own form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(async () => {
  await mg.close();
});

const v1 = (e: string): string => `/api/v1/endpoints/${e}/rules`;
const v2 = (e: string): string => `/api/v2/endpoints/${e}/rules`;

async function createV1(e: string, rule: unknown): Promise<Record<string, any>> {
  const res = await mg.api.post(v1(e), rule);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data;
}

async function createV2(e: string, rule: unknown): Promise<Record<string, any>> {
  const res = await mg.api.post(v2(e), rule);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function getV2(e: string, id: string): Promise<Record<string, any>> {
  const res = await mg.api.get(`${v2(e)}/${id}`);
  expect(res.status).toBe(200);
  return res.body;
}

async function getV1(e: string, id: string): Promise<Record<string, any>> {
  const res = await mg.api.get(`${v1(e)}/${id}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.data).toHaveLength(1);
  return res.body.data[0];
}

const OPERATORS = [
  ['SW', { type: 'path', operator: 'starts_with' }],
  ['CO', { type: 'path', operator: 'contains' }],
  ['EM', { type: 'path', operator: 'equals' }],
  ['REGEX', { type: 'path', operator: 'regex' }],
  ['B_CO', { type: 'body', operator: 'contains' }],
  ['B_REGEX', { type: 'body', operator: 'regex' }],
] as const;

describe('a rule written through v1, read through v2', () => {
  it.each(OPERATORS)('%s becomes a %o condition', async (operator, condition) => {
    const e = `v1-to-v2-${operator.toLowerCase().replace('_', '-')}`;
    const created = await createV1(e, {
      description: `the ${operator} rule`,
      delay: 25,
      match: { method: 'put', operator, value: '/val' },
      send: { status: 202, body: 'b', headers: { 'Content-Type': 'text/plain', 'X-Two': '2' }, templated: true },
    });
    const expected = {
      id: created.id,
      enabled: true,
      method: 'PUT',
      conditions: [{ ...condition, value: '/val' }],
      action: {
        type: 'mock',
        delay: 25,
        status: 202,
        headers: [{ key: 'Content-Type', value: 'text/plain' }, { key: 'X-Two', value: '2' }],
        body: 'b',
        templated: true,
      },
      description: `the ${operator} rule`,
    };
    expect(await getV2(e, created.id)).toStrictEqual(expected);
    expect((await mg.api.get(v2(e))).body).toStrictEqual({ data: [expected] });
  });

  it('H_REGEX becomes a header regex condition with the header key', async () => {
    const e = 'v1-to-v2-hregex';
    const created = await createV1(e, {
      match: { method: 'GET', operator: 'H_REGEX', header: { key: 'x-custom-header', value: '.+SOME_VALUE_IN_HEADER.+' }, value: '' },
      send: { status: 299, body: 'h' },
    });
    expect(await getV2(e, created.id)).toStrictEqual({
      id: created.id,
      enabled: true,
      method: 'GET',
      conditions: [{ type: 'header', operator: 'regex', key: 'x-custom-header', value: '.+SOME_VALUE_IN_HEADER.+' }],
      action: { type: 'mock', delay: 0, status: 299, headers: [], body: 'h', templated: false },
    });
  });

  it('sendRandom becomes a weighted action; the rule delay is added to each response delay', async () => {
    const e = 'v1-to-v2-random';
    const created = await createV1(e, {
      delay: 100,
      match: { method: 'GET', operator: 'EM', value: '/random-responses' },
      sendType: 'sendRandom',
      sendRandom: [
        { weight: 90, name: 'Success 200', delay: 0, send: { status: 200, body: 'ok', headers: { 'Content-Type': 'application/json' }, templated: false } },
        { weight: 10, name: 'Failure 501', delay: 50, send: { status: 501, body: 'no' } },
      ],
    });
    expect(await getV2(e, created.id)).toStrictEqual({
      id: created.id,
      enabled: true,
      method: 'GET',
      conditions: [{ type: 'path', operator: 'equals', value: '/random-responses' }],
      action: {
        type: 'weighted',
        responses: [
          { name: 'Success 200', weight: 90, delay: 100, status: 200, headers: [{ key: 'Content-Type', value: 'application/json' }], body: 'ok', templated: false },
          { name: 'Failure 501', weight: 10, delay: 150, status: 501, headers: [], body: 'no', templated: false },
        ],
      },
    });
    // back in v1: the rule delay is 0 and each response carries the combined delay
    expect(created).toMatchObject({
      delay: 0,
      sendType: 'sendRandom',
      sendRandom: [{ name: 'Success 200', weight: 90, delay: 100 }, { name: 'Failure 501', weight: 10, delay: 150 }],
    });
  });

  it('names unnamed sendRandom responses for v2 ("Response 1", …) and shows the names back in v1', async () => {
    const e = 'v1-to-v2-unnamed';
    const created = await createV1(e, {
      match: { operator: 'SW', value: '/' },
      sendType: 'sendRandom',
      sendRandom: [{ weight: 50, send: { status: 200, body: 'a' } }, { weight: 50, send: { status: 201, body: 'b' } }],
    });
    const names = (await getV2(e, created.id)).action.responses.map((r: { name: string }) => r.name);
    expect(names).toEqual(['Response 1', 'Response 2']);
    expect(created.sendRandom.map((r: { name: string }) => r.name)).toEqual(names);
  });

  it('mock:false is stored as mock:false; mock:true and a missing mock are not stored', async () => {
    const e = 'v1-to-v2-mock';
    const off = await createV1(e, { mock: false, match: { operator: 'SW', value: '/' }, send: { status: 200, body: '' } });
    const on = await createV1(e, { mock: true, match: { operator: 'SW', value: '/' }, send: { status: 200, body: '' } });
    const unset = await createV1(e, { match: { operator: 'SW', value: '/' }, send: { status: 200, body: '' } });
    expect((await getV2(e, off.id)).mock).toBe(false);
    expect(await getV2(e, on.id)).not.toHaveProperty('mock');
    expect(await getV2(e, unset.id)).not.toHaveProperty('mock');
    expect([off.mock, on.mock, unset.mock]).toEqual([false, true, true]);
  });

  it('enabled:false is stored as enabled:false', async () => {
    const e = 'v1-to-v2-enabled';
    const off = await createV1(e, { enabled: false, match: { operator: 'SW', value: '/' }, send: { status: 200, body: '' } });
    expect((await getV2(e, off.id)).enabled).toBe(false);
  });
});

describe('a rule written through v2, read through v1', () => {
  const cases: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
    ['path starts_with', { type: 'path', operator: 'starts_with', value: '/a' }, { operator: 'SW', value: '/a' }],
    ['path contains', { type: 'path', operator: 'contains', value: 'a' }, { operator: 'CO', value: 'a' }],
    ['path equals', { type: 'path', operator: 'equals', value: '/a' }, { operator: 'EM', value: '/a' }],
    ['path regex', { type: 'path', operator: 'regex', value: '^/a$' }, { operator: 'REGEX', value: '^/a$' }],
    ['body contains', { type: 'body', operator: 'contains', value: 'x' }, { operator: 'B_CO', value: 'x' }],
    ['body regex', { type: 'body', operator: 'regex', value: 'x+' }, { operator: 'B_REGEX', value: 'x+' }],
    ['header regex', { type: 'header', key: 'X-Key', operator: 'regex', value: '^v' }, { operator: 'H_REGEX', value: '', header: { key: 'X-Key', value: '^v' } }],
  ];

  it.each(cases)('a %s condition is listed by v1 with its operator', async (_name, condition, match) => {
    const e = `v2-to-v1-${String(match['operator']).toLowerCase().replace('_', '-')}`;
    const created = await createV2(e, mockRule(condition, {
      status: 203, body: 'v2 body', headers: [{ key: 'Content-Type', value: 'text/plain' }, { key: 'X-Extra', value: 'e' }],
    }, { method: 'DELETE', description: 'from v2' }));
    const expected = {
      enabled: true,
      mock: true,
      delay: 0,
      match: { method: 'DELETE', ...match },
      send: { status: 203, body: 'v2 body', headers: { 'Content-Type': 'text/plain', 'X-Extra': 'e' }, templated: false },
      id: created.id,
      description: 'from v2',
    };
    expect(await getV1(e, created.id)).toStrictEqual(expected);
    expect((await mg.api.get(v1(e))).body).toStrictEqual({ data: [expected] });
  });

  it('a mock action delay becomes the v1 rule delay', async () => {
    const e = 'v2-to-v1-delay';
    const rule = mockRule({ type: 'path', operator: 'equals', value: '/d' });
    const created = await createV2(e, { ...rule, action: { ...rule.action, delay: 75 } });
    expect((await getV1(e, created.id)).delay).toBe(75);
  });

  it('a weighted action becomes sendRandom with v1 delay 0 and each response delay', async () => {
    const e = 'v2-to-v1-weighted';
    const created = await createV2(e, {
      enabled: false,
      conditions: [{ type: 'path', operator: 'equals', value: '/w' }],
      action: {
        type: 'weighted',
        responses: [
          { name: 'A', weight: 30, delay: 10, status: 200, headers: [{ key: 'k', value: 'v' }], body: 'a' },
          { name: 'B', weight: 70, status: 500, headers: [], body: 'b', templated: true },
        ],
      },
    });
    expect(await getV1(e, created.id)).toStrictEqual({
      enabled: false,
      mock: true,
      delay: 0,
      match: { method: '*', operator: 'EM', value: '/w' },
      sendType: 'sendRandom',
      sendRandom: [
        { weight: 30, name: 'A', delay: 10, send: { status: 200, body: 'a', headers: { k: 'v' }, templated: false } },
        { weight: 70, name: 'B', delay: 0, send: { status: 500, body: 'b', headers: {}, templated: true } },
      ],
      id: created.id,
    });
  });

  it('a v2 rule with mock:false is shown with mock:false', async () => {
    const e = 'v2-to-v1-mock';
    const created = await createV2(e, mockRule({ type: 'path', operator: 'equals', value: '/m' }, {}, { mock: false }));
    expect((await getV1(e, created.id)).mock).toBe(false);
  });

  it('a v2 reorder is the v1 order; a v2 PATCH is seen by v1; a v2 DELETE removes it from v1', async () => {
    const e = 'v2-changes';
    const a = await createV1(e, { match: { operator: 'SW', value: '/a' }, send: { status: 200, body: 'a' } });
    const b = await createV1(e, { match: { operator: 'SW', value: '/b' }, send: { status: 200, body: 'b' } });
    const reorder = await mg.api.post(`${v2(e)}/reorder`, { order: [b.id, a.id] });
    expect(reorder.status).toBe(200);
    expect((await mg.api.get(v1(e))).body.data.map((r: { id: string }) => r.id)).toEqual([b.id, a.id]);
    const patch = await mg.api.patch(`${v2(e)}/${a.id}`, { enabled: false, description: 'patched' });
    expect(patch.status).toBe(200);
    expect(await getV1(e, a.id)).toStrictEqual({ ...a, enabled: false, description: 'patched' });
    expect((await mg.api.delete(`${v2(e)}/${b.id}`)).status).toBe(200);
    expect((await mg.api.get(v1(e))).body.data.map((r: { id: string }) => r.id)).toEqual([a.id]);
  });

  it('a v2 PATCH mock:true on a v1 mock:false rule turns mocking on for v1', async () => {
    const e = 'v2-patch-mock';
    const rule = await createV1(e, { mock: false, match: { operator: 'SW', value: '/' }, send: { status: 200, body: '' } });
    const patch = await mg.api.patch(`${v2(e)}/${rule.id}`, { mock: true });
    expect(patch.status).toBe(200);
    expect((await getV1(e, rule.id)).mock).toBe(true);
  });
});

describe('round trips', () => {
  const RULES = [
    {
      enabled: false,
      mock: false,
      delay: 10,
      match: { method: 'GET', operator: 'SW', value: '/omg' },
      send: { status: 200, body: '{ "status": "Awesome!"}', headers: { 'Content-Type': 'application/json', a: '200' }, templated: false },
      description: 'matching omg requests',
    },
    {
      enabled: true,
      mock: true,
      delay: 0,
      match: { method: 'OPTIONS', operator: 'H_REGEX', value: '', header: { key: 'x-h', value: '^a' } },
      send: { status: 204, body: '', headers: {}, templated: true },
    },
    {
      enabled: true,
      mock: true,
      delay: 0,
      match: { method: '*', operator: 'B_REGEX', value: '^\\{' },
      sendType: 'sendRandom',
      sendRandom: [
        { weight: 33.3, name: 'one', delay: 5, send: { status: 200, body: '1', headers: { x: '1' }, templated: false } },
        { weight: 33.3, name: 'two', delay: 0, send: { status: 201, body: '2', headers: {}, templated: false } },
        { weight: 33.4, name: 'three', delay: 0, send: { status: 202, body: '3', headers: {}, templated: false } },
      ],
    },
  ];

  it('v1 → stored → v1 gives back exactly what was written (with an id)', async () => {
    const e = 'rt-v1';
    for (const rule of RULES) {
      const created = await createV1(e, rule);
      expect(created).toStrictEqual({ ...rule, id: created.id });
      expect(await getV1(e, created.id)).toStrictEqual(created);
    }
  });

  it('a v1 rule PUT back unchanged through v1 stays identical, in v1 and in v2', async () => {
    const e = 'rt-v1-put';
    for (const rule of RULES) {
      const created = await createV1(e, rule);
      const v2Before = await getV2(e, created.id);
      const put = await mg.api.put(`${v1(e)}/${created.id}`, created);
      expect(put.status).toBe(200);
      expect(put.body.data).toStrictEqual(created);
      expect(await getV2(e, created.id)).toStrictEqual(v2Before);
    }
  });

  it('a v1 rule PUT back unchanged through v2 stays identical in v1', async () => {
    const e = 'rt-v2-put';
    for (const rule of RULES) {
      const created = await createV1(e, rule);
      const asV2 = await getV2(e, created.id);
      const put = await mg.api.put(`${v2(e)}/${created.id}`, asV2);
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      expect(await getV1(e, created.id)).toStrictEqual(created);
    }
  });

  it('a v2 rule updated through v1 keeps its id and place and becomes the v1 rule', async () => {
    const e = 'rt-v2-then-v1';
    const first = await createV2(e, mockRule({ type: 'path', operator: 'template', value: '/u/:id' }));
    const second = await createV2(e, mockRule({ type: 'path', operator: 'equals', value: '/x' }));
    const put = await mg.api.put(`${v1(e)}/${first.id}`, RULES[0]);
    expect(put.status).toBe(200);
    expect(put.body.data).toStrictEqual({ ...RULES[0], id: first.id });
    const listed = (await mg.api.get(v2(e))).body.data;
    expect(listed.map((r: { id: string }) => r.id)).toEqual([first.id, second.id]);
    expect(listed[0].conditions).toEqual([{ type: 'path', operator: 'starts_with', value: '/omg' }]);
  });

  it('rules survive a restart in both views', async () => {
    const first = await startMockgate();
    const dataDir = first.dataDir;
    let created: Record<string, any>;
    try {
      const res = await first.api.post(v1('restart'), RULES[2]);
      expect(res.status).toBe(200);
      created = res.body.data;
    } finally {
      await first.close({ removeData: false });
    }
    const second = await startMockgate({ dataDir });
    try {
      const one = await second.api.get(`${v1('restart')}/${created.id}`);
      expect(one.body).toStrictEqual({ data: [created] });
      const answer = await fetch(`${second.url}/e/restart/anything`, { method: 'POST', body: '{"a":1}' });
      expect([200, 201, 202]).toContain(answer.status);
      expect(answer.headers.get('x-beeceptor-rule-id')).toBe(created.id);
    } finally {
      await second.close();
    }
  });
});
