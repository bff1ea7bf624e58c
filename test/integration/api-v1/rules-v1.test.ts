// The rules v1 management API (seed 004): every seed request accepted, the seed's shapes field by field, every error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(async () => {
  await mg.close();
});

const rulesOf = (endpoint: string): string => `/api/v1/endpoints/${endpoint}/rules`;
const ID = expect.stringMatching(/^\S+$/);

// ---- the request bodies of the seed, verbatim ----
const SEED_CREATE_SW = {
  enabled: true,
  mock: true,
  delay: 0,
  match: { method: 'GET', value: '/my-api-path', operator: 'SW' },
  send: {
    status: 200,
    body: '{ "status": "Awesome!"}',
    headers: { 'Content-Type': 'application/json', 'my-custom-header': 'some-data' },
    templated: false,
  },
};
const SEED_CREATE_HEADER = {
  match: {
    method: 'GET',
    operator: 'H_REGEX',
    header: { key: 'x-custom-header', value: '.+SOME_VALUE_IN_HEADER.+' },
    value: '',
  },
  delay: 0,
  send: {
    status: 299,
    body: '{ "status": "SOME_VALUE_IN_HEADER - Awesome!"}',
    headers: { 'Content-Type': 'application/json' },
    templated: false,
  },
  mock: true,
  enabled: true,
};
const SEED_CREATE_RANDOM = {
  match: { method: 'GET', operator: 'EM', value: '/random-responses' },
  delay: 0,
  mock: true,
  sendType: 'sendRandom',
  sendRandom: [
    {
      weight: 90,
      name: 'Success 200',
      delay: 0,
      send: {
        status: 200,
        body: '{ "status": "Success From Random Response!"}',
        headers: { 'Content-Type': 'application/json' },
        templated: false,
      },
    },
    {
      weight: 10,
      name: 'Failure 501',
      delay: 0,
      send: {
        status: 501,
        body: '{ "status": "Failure From Random Response!"}',
        headers: { 'Content-Type': 'application/json' },
        templated: false,
      },
    },
  ],
  enabled: true,
};
const SEED_UPDATE = {
  enabled: true,
  mock: true,
  delay: 31000,
  match: { method: 'POST', value: '/customers', operator: 'SW' },
  send: {
    status: 200,
    body: '{ }',
    headers: { 'Content-Type': 'application/json', 'my-custom-header': 'some-data' },
    templated: false,
  },
};
// the three rules of the seed's "Get All Rules" answer, without their ids
const SEED_LISTED = [
  {
    enabled: true,
    mock: false,
    delay: 10,
    match: { method: 'GET', operator: 'SW', value: '/abc' },
    send: { status: 200, body: '{ "status": "Awesome!"}', headers: { 'Content-Type': 'application/json', a: '200' }, templated: false },
    description: 'some description of this rule',
  },
  {
    enabled: true,
    mock: true,
    delay: 10,
    match: { method: 'PATCH', operator: 'EM', value: '/xyz' },
    send: { status: 200, body: '{ "status": "Awesome!"}', headers: { 'Content-Type': 'application/json', method: 'put' }, templated: false },
  },
  {
    enabled: false,
    mock: false,
    delay: 10,
    match: { method: 'GET', operator: 'SW', value: '/omg' },
    send: { status: 200, body: '{ "status": "Awesome!"}', headers: { 'Content-Type': 'application/json', a: '200' }, templated: false },
    description: 'matching omg requests',
  },
];

const minimal = (value = '/x', extra: Record<string, unknown> = {}) => ({
  match: { operator: 'SW', value },
  send: { status: 200, body: 'ok' },
  ...extra,
});

async function create(endpoint: string, rule: unknown): Promise<Record<string, any>> {
  const res = await mg.api.post(rulesOf(endpoint), rule);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data;
}

async function listIds(endpoint: string): Promise<string[]> {
  const res = await mg.api.get(rulesOf(endpoint));
  expect(res.status).toBe(200);
  return res.body.data.map((r: { id: string }) => r.id);
}

describe('POST /api/v1/endpoints/{endpoint}/rules (create)', () => {
  it('accepts the seed SW example and answers 200 with {data: rule} exactly as the seed shows', async () => {
    const res = await mg.api.post(rulesOf('create-sw'), SEED_CREATE_SW);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toStrictEqual({
      data: {
        enabled: true,
        mock: true,
        delay: 0,
        match: { method: 'GET', operator: 'SW', value: '/my-api-path' },
        send: {
          status: 200,
          body: '{ "status": "Awesome!"}',
          headers: { 'Content-Type': 'application/json', 'my-custom-header': 'some-data' },
          templated: false,
        },
        id: ID,
      },
    });
    // the seed's field order
    expect(Object.keys(res.body.data)).toEqual(['enabled', 'mock', 'delay', 'match', 'send', 'id']);
    expect(Object.keys(res.body.data.match)).toEqual(['method', 'operator', 'value']);
    expect(Object.keys(res.body.data.send)).toEqual(['status', 'body', 'headers', 'templated']);
  });

  it('accepts the trailing-slash path the seed documents (POST …/rules/)', async () => {
    const res = await mg.api.post(`${rulesOf('create-slash')}/`, SEED_CREATE_SW);
    expect(res.status).toBe(200);
    expect(res.body.data.match.value).toBe('/my-api-path');
    expect(await listIds('create-slash')).toEqual([res.body.data.id]);
  });

  it('accepts the seed H_REGEX example: match.header {key, value} and match.value ""', async () => {
    const res = await mg.api.post(rulesOf('create-header'), SEED_CREATE_HEADER);
    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual({
      data: {
        enabled: true,
        mock: true,
        delay: 0,
        match: { method: 'GET', operator: 'H_REGEX', value: '', header: { key: 'x-custom-header', value: '.+SOME_VALUE_IN_HEADER.+' } },
        send: {
          status: 299,
          body: '{ "status": "SOME_VALUE_IN_HEADER - Awesome!"}',
          headers: { 'Content-Type': 'application/json' },
          templated: false,
        },
        id: ID,
      },
    });
  });

  it('accepts the seed sendRandom example and answers it with sendType and every weighted response', async () => {
    const res = await mg.api.post(rulesOf('create-random'), SEED_CREATE_RANDOM);
    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual({
      data: {
        enabled: true,
        mock: true,
        delay: 0,
        match: { method: 'GET', operator: 'EM', value: '/random-responses' },
        sendType: 'sendRandom',
        sendRandom: SEED_CREATE_RANDOM.sendRandom,
        id: ID,
      },
    });
  });

  it('creates the three rules of the seed list example and lists them exactly as the seed shows, in order', async () => {
    const ids: string[] = [];
    for (const rule of SEED_LISTED) ids.push((await create('seed-list', rule)).id);
    expect(new Set(ids).size).toBe(3);
    const res = await mg.api.get(rulesOf('seed-list'));
    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual({ data: SEED_LISTED.map((rule, i) => ({ ...rule, id: ids[i] })) });
  });

  it('fills the defaults: enabled true, mock true, delay 0, method *, headers {}, templated false', async () => {
    const data = await create('create-defaults', minimal('/d'));
    expect(data).toStrictEqual({
      enabled: true,
      mock: true,
      delay: 0,
      match: { method: '*', operator: 'SW', value: '/d' },
      send: { status: 200, body: 'ok', headers: {}, templated: false },
      id: ID,
    });
  });

  it('accepts a lowercase method and answers it upper-case', async () => {
    const data = await create('create-lower', { ...minimal('/l'), match: { method: 'post', operator: 'CO', value: '/l' } });
    expect(data.match).toEqual({ method: 'POST', operator: 'CO', value: '/l' });
  });

  it('accepts every operator and answers it back unchanged', async () => {
    for (const operator of ['SW', 'CO', 'EM', 'REGEX', 'B_CO', 'B_REGEX']) {
      const data = await create('create-ops', { ...minimal(), match: { method: 'PUT', operator, value: `v-${operator}` } });
      expect(data.match).toEqual({ method: 'PUT', operator, value: `v-${operator}` });
    }
    const listed = (await mg.api.get(rulesOf('create-ops'))).body.data;
    expect(listed.map((r: { match: { operator: string } }) => r.match.operator)).toEqual(['SW', 'CO', 'EM', 'REGEX', 'B_CO', 'B_REGEX']);
  });

  it('accepts sendType "send" and "" as a fixed response', async () => {
    for (const sendType of ['send', '']) {
      const data = await create('create-sendtype', minimal('/s', { sendType }));
      expect(data.send).toEqual({ status: 200, body: 'ok', headers: {}, templated: false });
      expect(data.sendRandom).toBeUndefined();
    }
  });

  it('keeps templated: true', async () => {
    const data = await create('create-templated', { ...minimal(), send: { status: 201, body: '{{x}}', templated: true } });
    expect(data.send).toEqual({ status: 201, body: '{{x}}', headers: {}, templated: true });
  });

  it('generates the id: an id given in the body is ignored, and each create gets a new one', async () => {
    const a = await create('create-id', { ...minimal(), id: 'chosen-by-client' });
    const b = await create('create-id', { ...minimal(), id: 'chosen-by-client' });
    expect(a.id).not.toBe('chosen-by-client');
    expect(b.id).not.toBe(a.id);
    expect(await listIds('create-id')).toEqual([a.id, b.id]);
  });

  it('appends each new rule at the end of the list', async () => {
    const a = await create('create-order', minimal('/a'));
    const b = await create('create-order', minimal('/b'));
    const c = await create('create-order', minimal('/c'));
    expect(await listIds('create-order')).toEqual([a.id, b.id, c.id]);
  });

  it('accepts a rule read back from GET as a create body (round trip) and stores an equal rule', async () => {
    const first = await create('create-again', SEED_CREATE_RANDOM);
    const again = await create('create-again', first);
    expect(again.id).not.toBe(first.id);
    expect({ ...again, id: 'x' }).toStrictEqual({ ...first, id: 'x' });
  });
});

describe('GET /api/v1/endpoints/{endpoint}/rules (list)', () => {
  it('answers {data: []} for an endpoint without rules, and for one that does not exist yet', async () => {
    await mg.api.post('/api/v2/endpoints', { name: 'list-empty' });
    for (const name of ['list-empty', 'list-never-created']) {
      const res = await mg.api.get(rulesOf(name));
      expect(res.status).toBe(200);
      expect(res.body).toStrictEqual({ data: [] });
    }
  });

  it('omits the rules v1 cannot express and keeps the order of the others', async () => {
    const e = 'list-mixed';
    const a = await create(e, minimal('/a'));
    const v2 = async (rule: unknown): Promise<string> => {
      const res = await mg.api.post(`/api/v2/endpoints/${e}/rules`, rule);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id;
    };
    await v2(mockRule({ type: 'path', operator: 'equals', value: '/x' }, {}, {
      conditions: [{ type: 'path', operator: 'equals', value: '/x' }, { type: 'header', key: 'k', operator: 'equals', value: 'v' }],
    }));
    await v2(mockRule({ type: 'path', operator: 'template', value: '/users/:id' }));
    await v2(mockRule({ type: 'header', key: 'k', operator: 'equals', value: 'v' }));
    await v2(mockRule({ type: 'header', key: 'k', operator: 'contains', value: 'v' }));
    await v2(mockRule({ type: 'body_param', key: 'a.b', operator: 'equals', value: '1' }));
    await v2(mockRule({ type: 'path', operator: 'equals', value: '/dup' }, { headers: [{ key: 'X-A', value: '1' }, { key: 'x-a', value: '2' }] }));
    const b = await create(e, minimal('/b'));
    const v2List = await mg.api.get(`/api/v2/endpoints/${e}/rules`);
    expect(v2List.body.data).toHaveLength(8);
    expect(await listIds(e)).toEqual([a.id, b.id]);
  });
});

describe('GET /api/v1/endpoints/{endpoint}/rules/{id} (one)', () => {
  it('answers {data: [rule]}: an array of one, the same rule the list shows (seed "Get One Rule")', async () => {
    const e = 'get-one';
    await create(e, SEED_LISTED[0]);
    const created = await create(e, SEED_LISTED[1]);
    const res = await mg.api.get(`${rulesOf(e)}/${created.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual({
      data: [
        {
          enabled: true,
          mock: true,
          delay: 10,
          match: { method: 'PATCH', operator: 'EM', value: '/xyz' },
          send: { status: 200, body: '{ "status": "Awesome!"}', headers: { 'Content-Type': 'application/json', method: 'put' }, templated: false },
          id: created.id,
        },
      ],
    });
    const listed = (await mg.api.get(rulesOf(e))).body.data;
    expect(listed[1]).toStrictEqual(res.body.data[0]);
  });

  it('answers 404 no_rule_found "Rule not found with given id" for an unknown id', async () => {
    const e = 'get-unknown';
    await create(e, minimal());
    for (const endpoint of [e, 'get-unknown-no-endpoint']) {
      const res = await mg.api.get(`${rulesOf(endpoint)}/nope123`);
      expect(res.status).toBe(404);
      expect(res.body).toStrictEqual({ error: { code: 'no_rule_found', message: 'Rule not found with given id' } });
    }
  });

  it('does not find a rule of another endpoint by its id', async () => {
    const { id } = await create('get-owner', minimal());
    const res = await mg.api.get(`${rulesOf('get-other')}/${id}`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('no_rule_found');
  });

  it('answers 400 bad_request for a v2 rule the v1 format cannot express', async () => {
    const e = 'get-v2only';
    const created = await mg.api.post(`/api/v2/endpoints/${e}/rules`, mockRule({ type: 'path', operator: 'template', value: '/u/:id' }));
    expect(created.status).toBe(201);
    const res = await mg.api.get(`${rulesOf(e)}/${created.body.id}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
    expect(res.body.error.message).toContain(created.body.id);
  });
});

describe('PUT /api/v1/endpoints/{endpoint}/rules/{id} (update)', () => {
  it('accepts the seed update example and answers {data: rule} with the id of the URL', async () => {
    const e = 'put-seed';
    const { id } = await create(e, SEED_CREATE_SW);
    const res = await mg.api.put(`${rulesOf(e)}/${id}`, SEED_UPDATE);
    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual({
      data: {
        enabled: true,
        mock: true,
        delay: 31000,
        match: { method: 'POST', operator: 'SW', value: '/customers' },
        send: {
          status: 200,
          body: '{ }',
          headers: { 'Content-Type': 'application/json', 'my-custom-header': 'some-data' },
          templated: false,
        },
        id,
      },
    });
    const one = await mg.api.get(`${rulesOf(e)}/${id}`);
    expect(one.body.data).toStrictEqual([res.body.data]);
  });

  it('keeps the id and the position of the rule among the others', async () => {
    const e = 'put-position';
    const a = await create(e, minimal('/a'));
    const b = await create(e, minimal('/b'));
    const c = await create(e, minimal('/c'));
    const res = await mg.api.put(`${rulesOf(e)}/${b.id}`, { ...SEED_CREATE_HEADER, description: 'now a header rule' });
    expect(res.status).toBe(200);
    expect(res.body.data.id).toBe(b.id);
    const listed = (await mg.api.get(rulesOf(e))).body.data;
    expect(listed.map((r: { id: string }) => r.id)).toEqual([a.id, b.id, c.id]);
    expect(listed[1]).toMatchObject({ id: b.id, description: 'now a header rule', match: { operator: 'H_REGEX' } });
    expect(listed[0]).toStrictEqual(a);
    expect(listed[2]).toStrictEqual(c);
  });

  it('replaces the whole rule: fields left out fall back to their defaults', async () => {
    const e = 'put-replace';
    const { id } = await create(e, { ...SEED_LISTED[0] });
    const res = await mg.api.put(`${rulesOf(e)}/${id}`, minimal('/new'));
    expect(res.body.data).toStrictEqual({
      enabled: true,
      mock: true,
      delay: 0,
      match: { method: '*', operator: 'SW', value: '/new' },
      send: { status: 200, body: 'ok', headers: {}, templated: false },
      id,
    });
  });

  it('turns a fixed response into a sendRandom one and back', async () => {
    const e = 'put-random';
    const { id } = await create(e, minimal('/r'));
    const random = await mg.api.put(`${rulesOf(e)}/${id}`, SEED_CREATE_RANDOM);
    expect(random.body.data).toMatchObject({ id, sendType: 'sendRandom', sendRandom: SEED_CREATE_RANDOM.sendRandom });
    expect(random.body.data.send).toBeUndefined();
    const fixed = await mg.api.put(`${rulesOf(e)}/${id}`, minimal('/r'));
    expect(fixed.body.data.sendType).toBeUndefined();
    expect(fixed.body.data.sendRandom).toBeUndefined();
    expect(fixed.body.data.send).toEqual({ status: 200, body: 'ok', headers: {}, templated: false });
  });

  it('ignores an id in the body: the id of the URL is kept', async () => {
    const e = 'put-body-id';
    const { id } = await create(e, minimal());
    const res = await mg.api.put(`${rulesOf(e)}/${id}`, { ...minimal('/y'), id: 'another' });
    expect(res.body.data.id).toBe(id);
    expect(await listIds(e)).toEqual([id]);
  });

  it('answers 404 no_rule_found for an unknown id and creates nothing', async () => {
    const e = 'put-unknown';
    await create(e, minimal());
    const res = await mg.api.put(`${rulesOf(e)}/nope123`, minimal('/z'));
    expect(res.status).toBe(404);
    expect(res.body).toStrictEqual({ error: { code: 'no_rule_found', message: 'Rule not found with given id' } });
    expect(await listIds(e)).toHaveLength(1);
  });

  it('answers the seed error for a missing send.body and leaves the rule unchanged', async () => {
    const e = 'put-no-body';
    const created = await create(e, SEED_CREATE_SW);
    const res = await mg.api.put(`${rulesOf(e)}/${created.id}`, { ...SEED_UPDATE, send: { status: 200, headers: {} } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'bad_request',
      message: "/send: should have required property 'body'",
      parameter: '/send',
    });
    expect((await mg.api.get(`${rulesOf(e)}/${created.id}`)).body.data).toStrictEqual([created]);
  });

  it('answers bad_request with v1 pointers for compile errors on update, and leaves the rule unchanged', async () => {
    const e = 'put-compile';
    const created = await create(e, SEED_CREATE_RANDOM);
    const badRegex = await mg.api.put(`${rulesOf(e)}/${created.id}`, { ...minimal(), match: { operator: 'REGEX', value: '(a)\\1' } });
    expect(badRegex.status).toBe(400);
    expect(badRegex.body.error).toMatchObject({ code: 'bad_request', parameter: '/match/value' });
    const badHeader = await mg.api.put(`${rulesOf(e)}/${created.id}`, { ...SEED_CREATE_HEADER, match: { ...SEED_CREATE_HEADER.match, header: { key: 'k', value: '(?!x)' } } });
    expect(badHeader.status).toBe(400);
    expect(badHeader.body.error).toMatchObject({ code: 'bad_request', parameter: '/match/header/value' });
    const weights = structuredClone(SEED_CREATE_RANDOM);
    weights.sendRandom[0]!.weight = 95;
    const badWeights = await mg.api.put(`${rulesOf(e)}/${created.id}`, weights);
    expect(badWeights.status).toBe(400);
    expect(badWeights.body.error).toMatchObject({ code: 'bad_request', parameter: '/sendRandom', message: '/sendRandom: weights must sum to 100, got 105' });
    const dupHeaders = await mg.api.put(`${rulesOf(e)}/${created.id}`, { ...minimal(), send: { status: 200, body: '', headers: { a: '1', A: '2' } } });
    expect(dupHeaders.status).toBe(400);
    expect(dupHeaders.body.error).toMatchObject({ code: 'bad_request', parameter: '/send/headers/A' });
    expect((await mg.api.get(`${rulesOf(e)}/${created.id}`)).body.data).toStrictEqual([created]);
  });

  it('answers invalid_json_body for malformed JSON', async () => {
    const e = 'put-bad-json';
    const { id } = await create(e, minimal());
    const res = await mg.api.send('PUT', `${rulesOf(e)}/${id}`, '{"match": ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_json_body');
    expect(res.body.error.message).toMatch(/JSON in request body/);
  });
});

describe('DELETE /api/v1/endpoints/{endpoint}/rules[/{id}]', () => {
  it('deletes one rule: {data: {rulesDeleted: 1}}; the others keep their order', async () => {
    const e = 'delete-one';
    const a = await create(e, minimal('/a'));
    const b = await create(e, minimal('/b'));
    const c = await create(e, minimal('/c'));
    const res = await mg.api.delete(`${rulesOf(e)}/${b.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual({ data: { rulesDeleted: 1 } });
    expect(await listIds(e)).toEqual([a.id, c.id]);
    const gone = await mg.api.get(`${rulesOf(e)}/${b.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('no_rule_found');
  });

  it('answers 404 no_rule_found when deleting an unknown id, and deletes nothing', async () => {
    const e = 'delete-unknown';
    await create(e, minimal());
    const res = await mg.api.delete(`${rulesOf(e)}/nope123`);
    expect(res.status).toBe(404);
    expect(res.body).toStrictEqual({ error: { code: 'no_rule_found', message: 'Rule not found with given id' } });
    expect(await listIds(e)).toHaveLength(1);
  });

  it('answers 404 no_rule_found when the same rule is deleted twice', async () => {
    const e = 'delete-twice';
    const { id } = await create(e, minimal());
    expect((await mg.api.delete(`${rulesOf(e)}/${id}`)).status).toBe(200);
    const again = await mg.api.delete(`${rulesOf(e)}/${id}`);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('no_rule_found');
  });

  it('deletes every rule, v2-only ones included, and counts them all', async () => {
    const e = 'delete-all';
    await create(e, minimal('/a'));
    await create(e, SEED_CREATE_RANDOM);
    const v2 = await mg.api.post(`/api/v2/endpoints/${e}/rules`, mockRule({ type: 'path', operator: 'template', value: '/u/:id' }));
    expect(v2.status).toBe(201);
    const res = await mg.api.delete(rulesOf(e));
    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual({ data: { rulesDeleted: 3 } });
    expect((await mg.api.get(rulesOf(e))).body).toStrictEqual({ data: [] });
    expect((await mg.api.get(`/api/v2/endpoints/${e}/rules`)).body.data).toEqual([]);
  });

  it('answers rulesDeleted 0 when there is nothing to delete', async () => {
    const res = await mg.api.delete(rulesOf('delete-nothing'));
    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual({ data: { rulesDeleted: 0 } });
  });
});

describe('validation errors: 400 bad_request with the v1 pointer and "should" wording', () => {
  const e = 'errors';

  async function expectBadRequest(body: unknown, parameter: string, message?: string | RegExp): Promise<Record<string, any>> {
    const res = await mg.api.post(rulesOf(e), body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
    expect(res.body.error.parameter).toBe(parameter);
    if (typeof message === 'string') expect(res.body.error.message).toBe(message);
    else if (message) expect(res.body.error.message).toMatch(message);
    expect(res.body.error.message.startsWith(`${parameter}: `)).toBe(true);
    expect(res.body.error.message).not.toMatch(/: must\b/);
    return res.body.error;
  }

  it('answers the seed error for a negative delay', async () => {
    const error = await expectBadRequest({ ...SEED_CREATE_SW, delay: -1 }, '/delay', '/delay: should be >= 0');
    expect(error).toMatchObject({ code: 'bad_request', message: '/delay: should be >= 0', parameter: '/delay' });
  });

  it('refuses a delay above 600000 ms', async () => {
    await expectBadRequest({ ...SEED_CREATE_SW, delay: 600001 }, '/delay', '/delay: should be <= 600000');
  });

  it('answers the seed error for a missing send.body on create too', async () => {
    await expectBadRequest({ ...SEED_CREATE_SW, send: { status: 200 } }, '/send', "/send: should have required property 'body'");
  });

  it('refuses a rule without match', async () => {
    await expectBadRequest({ send: { status: 200, body: 'x' } }, '/', "/: should have required property 'match'");
  });

  it('refuses a rule without send (and without sendRandom when sendType says so)', async () => {
    await expectBadRequest({ match: { operator: 'SW', value: '/' } }, '/', /should have required property 'send'/);
    await expectBadRequest({ match: { operator: 'SW', value: '/' }, sendType: 'sendRandom' }, '/', /should have required property 'sendRandom'/);
  });

  it('refuses an unknown operator, listing the known ones', async () => {
    const error = await expectBadRequest({ ...minimal(), match: { operator: 'NOPE', value: '/' } }, '/match/operator');
    expect(error.message).toContain('should be one of: SW, CO, EM, REGEX, B_CO, B_REGEX, H_REGEX');
  });

  it('refuses a missing operator', async () => {
    await expectBadRequest({ ...minimal(), match: { value: '/' } }, '/match', "/match: should have required property 'operator'");
  });

  it('refuses a match with neither operator nor value, naming the operator', async () => {
    const res = await mg.api.post(rulesOf(e), { ...minimal(), match: {} });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
    expect(res.body.error.parameter).toBe('/match');
    expect(res.body.error.details).toEqual(expect.arrayContaining([
      { path: '/match', message: "should have required property 'operator'" },
    ]));
    expect(JSON.stringify(res.body.error)).not.toContain("'header'");
  });

  it('refuses a path/body operator without match.value', async () => {
    for (const operator of ['SW', 'CO', 'EM', 'REGEX', 'B_CO', 'B_REGEX']) {
      await expectBadRequest({ ...minimal(), match: { operator } }, '/match', "/match: should have required property 'value'");
    }
  });

  it('refuses H_REGEX without match.header, and a header without key', async () => {
    await expectBadRequest({ ...minimal(), match: { operator: 'H_REGEX', value: '' } }, '/match', "/match: should have required property 'header'");
    await expectBadRequest({ ...minimal(), match: { operator: 'H_REGEX', value: '', header: { value: 'x' } } }, '/match/header',
      "/match/header: should have required property 'key'");
    await expectBadRequest({ ...minimal(), match: { operator: 'H_REGEX', value: '', header: { key: '', value: 'x' } } }, '/match/header/key');
  });

  it('refuses an unknown method', async () => {
    await expectBadRequest({ ...minimal(), match: { method: 'FETCH', operator: 'SW', value: '/' } }, '/match/method', /should be one of/);
  });

  it('refuses a status outside 100–599 and a non-integer status', async () => {
    await expectBadRequest({ ...minimal(), send: { status: 99, body: '' } }, '/send/status', '/send/status: should be >= 100');
    await expectBadRequest({ ...minimal(), send: { status: 600, body: '' } }, '/send/status', '/send/status: should be <= 599');
    await expectBadRequest({ ...minimal(), send: { status: '200', body: '' } }, '/send/status', '/send/status: should be integer');
  });

  it('refuses wrongly typed fields', async () => {
    await expectBadRequest({ ...minimal(), enabled: 'yes' }, '/enabled', '/enabled: should be boolean');
    await expectBadRequest({ ...minimal(), mock: 1 }, '/mock', '/mock: should be boolean');
    await expectBadRequest({ ...minimal(), delay: '10' }, '/delay', '/delay: should be number');
    await expectBadRequest({ ...minimal(), send: { status: 200, body: {} } }, '/send/body', '/send/body: should be string');
    await expectBadRequest({ ...minimal(), send: { status: 200, body: '', headers: { a: 1 } } }, '/send/headers/a', '/send/headers/a: should be string');
  });

  it('refuses unknown properties, naming them', async () => {
    await expectBadRequest({ ...minimal(), foo: 1 }, '/foo', '/foo: is not a known property');
    await expectBadRequest({ ...minimal(), match: { operator: 'SW', value: '/', path: '/' } }, '/match/path');
  });

  it('refuses a header name or value node could not send', async () => {
    await expectBadRequest({ ...minimal(), send: { status: 200, body: '', headers: { 'bad name': 'x' } } }, '/send/headers');
    await expectBadRequest({ ...minimal(), send: { status: 200, body: '', headers: { ok: 'line\nbreak' } } }, '/send/headers/ok');
  });

  it('refuses two headers whose names differ only in case, and stores nothing', async () => {
    const before = await listIds(e);
    await expectBadRequest({ ...minimal(), send: { status: 200, body: '', headers: { 'X-A': '1', 'x-a': '2' } } }, '/send/headers/x-a');
    expect(await listIds(e)).toEqual(before);
  });

  it('refuses duplicate header names inside a sendRandom response, at that response', async () => {
    const body = structuredClone(SEED_CREATE_RANDOM) as { sendRandom: Array<{ send: { headers: Record<string, string> } }> };
    body.sendRandom[1]!.send.headers = { 'Content-Type': 'a', 'content-type': 'b' };
    await expectBadRequest(body, '/sendRandom/1/send/headers/content-type');
  });

  it('refuses a path value longer than a path condition holds, at /match/value', async () => {
    await expectBadRequest({ ...minimal(), match: { operator: 'SW', value: `/${'a'.repeat(2048)}` } }, '/match/value',
      '/match/value: should NOT have more than 2048 characters');
  });

  it('refuses a header name or value longer than the limits with a v1 pointer', async () => {
    await expectBadRequest({ ...minimal(), send: { status: 200, body: '', headers: { ['h'.repeat(257)]: 'x' } } }, '/send/headers');
    await expectBadRequest({ ...minimal(), send: { status: 200, body: '', headers: { big: 'v'.repeat(8193) } } }, '/send/headers/big');
  });

  it('refuses a regex the linear-time engine cannot run, at /match/value (REGEX, B_REGEX)', async () => {
    for (const operator of ['REGEX', 'B_REGEX']) {
      const error = await expectBadRequest({ ...minimal(), match: { operator, value: '(a)\\1' } }, '/match/value');
      expect(error.message).toMatch(/regular expression/);
    }
    await expectBadRequest({ ...minimal(), match: { operator: 'REGEX', value: '[' } }, '/match/value');
  });

  it('refuses an H_REGEX header regex the engine cannot run, at /match/header/value', async () => {
    const error = await expectBadRequest({ ...SEED_CREATE_HEADER, match: { operator: 'H_REGEX', value: '', header: { key: 'x', value: '(?=a)' } } },
      '/match/header/value');
    expect(error.message).toMatch(/regular expression/);
  });

  it('refuses sendRandom weights that do not sum to 100, at /sendRandom', async () => {
    const body = structuredClone(SEED_CREATE_RANDOM);
    body.sendRandom[1]!.weight = 0;
    const error = await expectBadRequest(body, '/sendRandom');
    expect(error.message).toBe('/sendRandom: weights must sum to 100, got 90');
  });

  it('points into sendRandom entries', async () => {
    const negative = structuredClone(SEED_CREATE_RANDOM);
    negative.sendRandom[1]!.weight = -10;
    await expectBadRequest(negative, '/sendRandom/1/weight', '/sendRandom/1/weight: should be >= 0');
    const noBody = structuredClone(SEED_CREATE_RANDOM) as { sendRandom: Array<{ send: Record<string, unknown> }> };
    delete noBody.sendRandom[0]!.send['body'];
    await expectBadRequest(noBody, '/sendRandom/0/send', "/sendRandom/0/send: should have required property 'body'");
    await expectBadRequest({ ...SEED_CREATE_RANDOM, sendRandom: [] }, '/sendRandom', '/sendRandom: should NOT have fewer than 1 items');
    const badDelay = structuredClone(SEED_CREATE_RANDOM);
    badDelay.sendRandom[0]!.delay = -5;
    await expectBadRequest(badDelay, '/sendRandom/0/delay', '/sendRandom/0/delay: should be >= 0');
  });

  it('refuses a rule delay plus a response delay above 600000 ms, at that response', async () => {
    const body = structuredClone(SEED_CREATE_RANDOM);
    body.delay = 400000;
    body.sendRandom[1]!.delay = 300000;
    await expectBadRequest(body, '/sendRandom/1/delay');
  });

  it('lists the details of every failing field', async () => {
    const error = await expectBadRequest({ ...SEED_CREATE_SW, delay: -1, enabled: 'no' }, '/enabled');
    expect(error.details).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: '/delay', message: 'should be >= 0' }),
      expect.objectContaining({ path: '/enabled', message: 'should be boolean' }),
    ]));
  });

  it('answers invalid_json_body for malformed JSON, whatever the content type', async () => {
    for (const contentType of ['application/json', 'text/plain']) {
      const res = await mg.api.send('POST', rulesOf(e), '{"match": {', { 'content-type': contentType });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_json_body');
      expect(res.body.error.message).toMatch(/JSON in request body/);
    }
  });

  it('answers bad_request for a body that is not a JSON object', async () => {
    const res = await mg.api.send('POST', rulesOf(e), '[]');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'bad_request', parameter: '/', message: '/: should be object' });
  });

  it('stores nothing when a create fails', async () => {
    const before = await listIds(e);
    await mg.api.post(rulesOf(e), { ...SEED_CREATE_SW, delay: -1 });
    await mg.api.post(rulesOf(e), { ...minimal(), match: { operator: 'REGEX', value: '(a)\\1' } });
    await mg.api.send('POST', rulesOf(e), '{');
    expect(await listIds(e)).toEqual(before);
    expect((await mg.api.get(`/api/v2/endpoints/${e}/rules`)).body.data).toHaveLength(before.length);
  });
});

describe('limits', () => {
  it('refuses a 501st rule with bad_request and stores nothing', async () => {
    const e = 'limit-rules';
    const rules = Array.from({ length: 500 }, (_, i) => mockRule({ type: 'path', operator: 'equals', value: `/r${i}` }));
    const bulk = await mg.api.put(`/api/v2/endpoints/${e}/rules`, { rules });
    expect(bulk.status, JSON.stringify(bulk.body).slice(0, 300)).toBe(200);
    const res = await mg.api.post(rulesOf(e), minimal());
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
    expect(res.body.error.message).toContain('500');
    expect(await listIds(e)).toHaveLength(500);
  });
});

describe('endpoint names', () => {
  it('answers 400 bad_request for an invalid endpoint name on every v1 rules route', async () => {
    const base = rulesOf('Bad_Name');
    const calls = [
      mg.api.get(base),
      mg.api.post(base, SEED_CREATE_SW),
      mg.api.delete(base),
      mg.api.get(`${base}/abc`),
      mg.api.put(`${base}/abc`, SEED_UPDATE),
      mg.api.delete(`${base}/abc`),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('bad_request');
      expect(res.body.error.message).toContain('Bad_Name');
    }
    const v2 = await mg.api.get('/api/v2/endpoints');
    expect(JSON.stringify(v2.body)).not.toContain('Bad_Name');
  });

  it('creates the endpoint on the first v1 create', async () => {
    await create('auto-created', minimal());
    const res = await mg.api.get('/api/v2/endpoints');
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toContain('"auto-created"');
  });
});
