// The graphql condition through a real server and real HTTP: every request form, every operator, anonymous and
// multi-operation documents, and requests that are not GraphQL (they never match, and the server keeps answering).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import { hitRule, endpointWithRules, hits as ruleHit, freshName } from '../../helpers/rule-endpoints.js';

let mg: RunningMockgate;

beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(() => mg.close());

/** A fresh endpoint holding one rule that answers 201 "hit"; everything else gets the default answer (200). */
const endpointWith = (condition: Record<string, unknown>): Promise<string> => endpointWithRules(mg, 'g', hitRule(condition));

const hits = (endpoint: string, path: string, init: RequestInit = {}): Promise<boolean> => ruleHit(mg, endpoint, path, init);

const postJson = (value: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });
const postGraphql = (query: string): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/graphql; charset=utf-8' }, body: query });
const getUrl = (params: Record<string, string>): string => `/graphql?${new URLSearchParams(params).toString()}`;

const GET_USER = 'query GetUser($id: ID!) { user(id: $id) { email } }';
const TWO_OPS = 'query ListUsers { users { id } } mutation AddUser($name: String!) { addUser(name: $name) { id } }';
const ANONYMOUS = '{ users { id name } }';

describe('request forms', () => {
  let e: string;
  beforeAll(async () => {
    e = await endpointWith({ type: 'graphql', operator: 'equals', value: 'GetUser' });
  });

  it('POST JSON without operationName: the name of the only operation', async () => {
    expect(await hits(e, '/graphql', postJson({ query: GET_USER, variables: { id: '7' } }))).toBe(true);
    expect(await hits(e, '/graphql', postJson({ query: 'query GetUsers { users { id } }' }))).toBe(false);
  });

  it('POST JSON with operationName: operationName wins', async () => {
    expect(await hits(e, '/graphql', postJson({ query: GET_USER, operationName: 'GetUser' }))).toBe(true);
    expect(await hits(e, '/graphql', postJson({ query: GET_USER, operationName: 'Other' }))).toBe(false);
    // null and '' mean "not given"
    expect(await hits(e, '/graphql', postJson({ query: GET_USER, operationName: null, variables: null }))).toBe(true);
    expect(await hits(e, '/graphql', postJson({ query: GET_USER, operationName: '' }))).toBe(true);
  });

  it('several operations: operationName picks one; without it there is no name', async () => {
    const add = await endpointWith({ type: 'graphql', operator: 'equals', value: 'AddUser' });
    expect(await hits(add, '/graphql', postJson({ query: TWO_OPS, operationName: 'AddUser', variables: { name: 'Ada' } }))).toBe(true);
    expect(await hits(add, '/graphql', postJson({ query: TWO_OPS, operationName: 'ListUsers' }))).toBe(false);
    expect(await hits(add, '/graphql', postJson({ query: TWO_OPS }))).toBe(false);
  });

  it('POST application/graphql: the body is the query', async () => {
    expect(await hits(e, '/graphql', postGraphql(GET_USER))).toBe(true);
    expect(await hits(e, '/graphql', postGraphql('query Other { x }'))).toBe(false);
    const add = await endpointWith({ type: 'graphql', operator: 'equals', value: 'AddUser' });
    expect(await hits(add, '/graphql?operationName=AddUser', postGraphql(TWO_OPS))).toBe(true);
  });

  it('GET with query, operationName and variables in the query string', async () => {
    expect(await hits(e, getUrl({ query: GET_USER, variables: '{"id":"7"}' }))).toBe(true);
    expect(await hits(e, getUrl({ query: GET_USER, operationName: 'GetUser' }))).toBe(true);
    expect(await hits(e, getUrl({ query: 'query Other { x }' }))).toBe(false);
    const add = await endpointWith({ type: 'graphql', operator: 'equals', value: 'AddUser' });
    expect(await hits(add, getUrl({ query: TWO_OPS, operationName: 'AddUser' }))).toBe(true);
    // GET reads the query string only, not a JSON body's worth of text in it
    expect(await hits(e, '/graphql')).toBe(false);
  });

  it('any path and method: the condition reads the request, not the route', async () => {
    expect(await hits(e, '/api/v1/whatever', postJson({ query: GET_USER }))).toBe(true);
    expect(await hits(e, '/graphql', { ...postJson({ query: GET_USER }), method: 'PUT' })).toBe(true);
  });
});

describe('operators', () => {
  it('equals is exact and case-sensitive', async () => {
    const e = await endpointWith({ type: 'graphql', operator: 'equals', value: 'GetUser' });
    expect(await hits(e, '/', postJson({ query: 'query getUser { x }' }))).toBe(false);
    expect(await hits(e, '/', postJson({ query: 'query GetUserEmail { x }' }))).toBe(false);
    expect(await hits(e, '/', postJson({ query: 'query GetUser { x }' }))).toBe(true);
  });

  it('contains looks at the operation name', async () => {
    const e = await endpointWith({ type: 'graphql', operator: 'contains', value: 'User' });
    expect(await hits(e, '/', postJson({ query: 'query GetUserEmail { x }' }))).toBe(true);
    expect(await hits(e, '/', postJson({ query: 'mutation AddUser { x }' }))).toBe(true);
    // the name is Orders, so a "User" inside the query text does not count
    expect(await hits(e, '/', postJson({ query: 'query Orders { user { id } User: me { id } }' }))).toBe(false);
  });

  it('regex looks at the operation name, on the safe engine', async () => {
    const e = await endpointWith({ type: 'graphql', operator: 'regex', value: '^(Get|List)[A-Z]\\w*$' });
    expect(await hits(e, '/', postJson({ query: 'query GetUser { x }' }))).toBe(true);
    expect(await hits(e, '/', postJson({ query: 'query ListOrders { x }' }))).toBe(true);
    expect(await hits(e, '/', postJson({ query: 'mutation AddUser { x }' }))).toBe(false);
    expect(await hits(e, '/', postJson({ query: 'query Getuser { x }' }))).toBe(false);
    expect(await hits(e, '/', postJson({ query: 'query Get { x }' }))).toBe(false);
  });

  it('a hostile regex answers quickly', async () => {
    const e = await endpointWith({ type: 'graphql', operator: 'regex', value: '(a+)+$' });
    const started = performance.now();
    expect(await hits(e, '/', postJson({ query: `query ${'a'.repeat(40)}_ { x }` }))).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('operations without a name', () => {
  it('contains and regex fall back to the query text', async () => {
    const co = await endpointWith({ type: 'graphql', operator: 'contains', value: 'users' });
    expect(await hits(co, '/', postJson({ query: ANONYMOUS }))).toBe(true);
    expect(await hits(co, '/', postJson({ query: 'query { orders { id } }' }))).toBe(false);
    expect(await hits(co, getUrl({ query: ANONYMOUS }))).toBe(true);
    const re = await endpointWith({ type: 'graphql', operator: 'regex', value: '\\{\\s*users\\s*\\{' });
    expect(await hits(re, '/', postGraphql(ANONYMOUS))).toBe(true);
    expect(await hits(re, '/', postGraphql('{ orders { id } }'))).toBe(false);
    // several operations and no operationName: no name either, so the text counts
    const text = await endpointWith({ type: 'graphql', operator: 'contains', value: 'addUser(' });
    expect(await hits(text, '/', postJson({ query: TWO_OPS }))).toBe(true);
    expect(await hits(text, '/', postJson({ query: TWO_OPS, operationName: 'AddUser' }))).toBe(false);
  });

  it('equals matches no name, except the empty name', async () => {
    const named = await endpointWith({ type: 'graphql', operator: 'equals', value: 'users' });
    expect(await hits(named, '/', postJson({ query: ANONYMOUS }))).toBe(false);
    const empty = await endpointWith({ type: 'graphql', operator: 'equals', value: '' });
    expect(await hits(empty, '/', postJson({ query: ANONYMOUS }))).toBe(true);
    expect(await hits(empty, '/', postJson({ query: 'query { x }' }))).toBe(true);
    expect(await hits(empty, '/', postJson({ query: GET_USER }))).toBe(false);
    expect(await hits(empty, '/', postJson({ query: '{ x' }))).toBe(false);
  });
});

describe('requests that are not GraphQL never match', () => {
  let contains: string;
  let empty: string;
  beforeAll(async () => {
    // `contains ''` matches every valid GraphQL request, so a miss means "not GraphQL"
    contains = await endpointWith({ type: 'graphql', operator: 'contains', value: '' });
    empty = await endpointWith({ type: 'graphql', operator: 'equals', value: '' });
  });

  it.each([
    ['a query that does not parse', postJson({ query: 'query GetUser { user(id: ) ' })],
    ['an empty query', postJson({ query: '   ' })],
    ['a JSON body without query', postJson({ operationName: 'GetUser' })],
    ['a query that is not a string', postJson({ query: 42 })],
    ['an operationName that is not a string', postJson({ query: GET_USER, operationName: 7 })],
    ['variables that are not an object', postJson({ query: GET_USER, variables: [1, 2] })],
    ['a JSON array (a batch)', postJson([{ query: GET_USER }])],
    ['a body that is not JSON', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": "query GetUser { x }"' }],
    ['an empty JSON body', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '' }],
    ['an empty application/graphql body', postGraphql('')],
    ['an application/graphql body that does not parse', postGraphql('mutation {')],
    ['a POST without a body', { method: 'POST' }],
  ] as Array<[string, RequestInit]>)('%s', async (_, init) => {
    expect(await hits(contains, '/graphql', init)).toBe(false);
    expect(await hits(empty, '/graphql', init)).toBe(false);
  });

  it('GET without query, with a bad query, or with variables that are not JSON', async () => {
    expect(await hits(contains, '/graphql')).toBe(false);
    expect(await hits(contains, getUrl({ query: '{ x' }))).toBe(false);
    expect(await hits(contains, getUrl({ query: GET_USER, variables: '{id:7}' }))).toBe(false);
    expect(await hits(contains, getUrl({ query: GET_USER, variables: '[1]' }))).toBe(false);
    expect(await hits(contains, getUrl({ query: GET_USER, variables: '{"id":"7"}' }))).toBe(true);
  });

  it('a deeply nested document is refused, not a crash', async () => {
    const deep = `query Deep ${'{ a '.repeat(20_000)}${'}'.repeat(20_000)}`;
    expect(await hits(contains, '/graphql', postJson({ query: deep }))).toBe(false);
    // the server keeps answering
    expect(await hits(contains, '/graphql', postJson({ query: GET_USER }))).toBe(true);
  });

  it('a later rule still answers when an earlier graphql rule did not match', async () => {
    const name = freshName('g');
    const first = await mg.api.post(`/api/v2/endpoints/${name}/rules`,
      mockRule({ type: 'graphql', operator: 'equals', value: 'GetUser' }, { status: 201, body: 'graphql' }));
    expect(first.status).toBe(201);
    const second = await mg.api.post(`/api/v2/endpoints/${name}/rules`,
      mockRule({ type: 'path', operator: 'equals', value: '/graphql' }, { status: 202, body: 'path' }));
    expect(second.status).toBe(201);
    const bad = await fetch(`${mg.url}/e/${name}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'nope' });
    expect([bad.status, await bad.text()]).toEqual([202, 'path']);
    const good = await fetch(`${mg.url}/e/${name}/graphql`, postJson({ query: GET_USER }));
    expect([good.status, await good.text()]).toEqual([201, 'graphql']);
  });
});

describe('write-time validation', () => {
  const write = (condition: Record<string, unknown>) => mg.api.post('/api/v2/endpoints/gbad/rules', mockRule(condition));

  it('refuses a bad operator, a missing value and extra fields with a pointer', async () => {
    const op = await write({ type: 'graphql', operator: 'starts_with', value: 'Get' });
    expect(op.status).toBe(400);
    expect(op.body.error).toMatchObject({ code: 'validation_error', parameter: '/conditions/0/operator' });
    const missing = await write({ type: 'graphql', operator: 'equals' });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'validation_error' });
    expect(missing.body.error.message).toMatch(/value/);
    const extra = await write({ type: 'graphql', operator: 'equals', value: 'GetUser', key: 'x' });
    expect(extra.status).toBe(400);
    expect(extra.body.error).toMatchObject({ code: 'validation_error' });
  });

  it('refuses a regex the safe engine cannot run, and one that does not parse', async () => {
    const backRef = await write({ type: 'graphql', operator: 'regex', value: '(Get)\\1' });
    expect(backRef.status).toBe(400);
    expect(backRef.body.error).toMatchObject({ code: 'validation_error', parameter: '/conditions/0/value' });
    expect(backRef.body.error.message).toMatch(/back-references/);
    const lookahead = await write({ type: 'graphql', operator: 'regex', value: '^(?=Get)' });
    expect(lookahead.status).toBe(400);
    expect(lookahead.body.error).toMatchObject({ code: 'validation_error', parameter: '/conditions/0/value' });
    const broken = await write({ type: 'graphql', operator: 'regex', value: '(' });
    expect(broken.status).toBe(400);
    expect(broken.body.error).toMatchObject({ code: 'validation_error', parameter: '/conditions/0/value' });
  });
});
