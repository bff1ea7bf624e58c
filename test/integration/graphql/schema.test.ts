// The schema-driven GraphQL mock: an SDL uploaded to an endpoint answers every GraphQL request no rule answers, with
// validation errors in GraphQL's format and data of the requested shape.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

const SDL = `
type Query { user(id: ID!): User, users(first: Int): [User!]!, search(term: String!): [SearchResult!]! }
type Mutation { createUser(name: String!): User! }
type User { id: ID!, email: String!, name: String, age: Int, role: Role!, friends: [User!]! }
type Post { id: ID!, title: String! }
enum Role { ADMIN USER }
union SearchResult = User | Post
`;

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
  const res = await mg.api.send('PUT', '/api/v2/endpoints/gql/graphql/schema', SDL, { 'content-type': 'application/graphql' });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
});
afterAll(() => mg.close());

const ask = async (query: string, variables?: object, endpoint = 'gql') => {
  const res = await fetch(`${mg.url}/e/${endpoint}/graphql`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }),
  });
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return { status: res.status, body: await res.json() as { data?: any; errors?: Array<{ message: string }> } };
};

describe('GraphQL schema mock', () => {
  it('answers every requested field with a value of its type, aliases and fragments included', async () => {
    const { status, body } = await ask(`query Q($id: ID!) { me: user(id: $id) { id email role ...F friends { id } } }
      fragment F on User { name age }`, { id: '7' });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const me = body.data.me;
    expect(Object.keys(me).sort()).toEqual(['age', 'email', 'friends', 'id', 'name', 'role']);
    expect(typeof me.id).toBe('string');
    expect(me.email).toMatch(/@/);
    expect(['ADMIN', 'USER']).toContain(me.role);
    expect(Number.isInteger(me.age)).toBe(true);
    expect(me.friends.length).toBeGreaterThanOrEqual(1);
    expect(me.friends.length).toBeLessThanOrEqual(5);
  });

  it('resolves unions with __typename and answers mutations', async () => {
    const { body } = await ask('{ search(term: "x") { __typename ... on Post { title } ... on User { email } } }');
    for (const item of body.data.search) {
      expect(['User', 'Post']).toContain(item.__typename);
      expect(Object.keys(item)).toEqual(item.__typename === 'Post' ? ['__typename', 'title'] : ['__typename', 'email']);
    }
    expect((await ask('mutation { createUser(name: "Ada") { id } }')).body.data.createUser.id).toEqual(expect.any(String));
  });

  it('answers a query the schema does not allow with GraphQL errors and no data', async () => {
    const { status, body } = await ask('{ user(id: "1") { password } }');
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors![0]!.message).toMatch(/password/);
  });

  it('reads GET ?query= too, leaves rules first, and journals behavior graphql', async () => {
    const res = await fetch(`${mg.url}/e/gql/graphql?query=${encodeURIComponent('{ users(first: 2) { id } }')}`);
    expect(Array.isArray(((await res.json()) as { data: { users: unknown } }).data.users)).toBe(true);
    await mg.api.post('/api/v2/endpoints/gql/rules', {
      enabled: true, method: 'POST', conditions: [{ type: 'graphql', operator: 'equals', value: 'Pinned' }],
      action: { type: 'mock', status: 200, headers: [{ key: 'content-type', value: 'application/json' }], body: '{"data":{"pinned":true}}' },
    });
    expect((await ask('query Pinned { users { id } }')).body).toEqual({ data: { pinned: true } });
    let entries: Array<{ behavior?: string }> = [];
    for (let i = 0; i < 50 && !entries.some((e) => JSON.stringify(e).includes('"graphql"')); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      entries = (await mg.api.get('/api/v2/endpoints/gql/requests?behavior=graphql')).body.data;
    }
    expect(entries.length).toBeGreaterThan(0);
  });

  it('leaves requests that are not GraphQL to the default answer', async () => {
    const res = await fetch(`${mg.url}/e/gql/graphql`, { method: 'POST', body: 'not graphql' });
    expect(await res.text()).toMatch(/^mockgate: no rule/);
  });

  it('refuses an SDL that does not build, with the line and column, and keeps the schema it had', async () => {
    const res = await mg.api.send('PUT', '/api/v2/endpoints/gql/graphql/schema', 'type Query {\n  broken: \n}', { 'content-type': 'text/plain' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_error', message: expect.stringMatching(/line 3, column 1/) });
    expect((await ask('{ users { id } }')).body.data.users).toEqual(expect.any(Array));
  });

  it('stops answering once the schema is deleted', async () => {
    await mg.api.send('PUT', '/api/v2/endpoints/gql2/graphql/schema', SDL, { 'content-type': 'application/graphql' });
    expect((await ask('{ users { id } }', undefined, 'gql2')).body.data.users).toEqual(expect.any(Array));
    expect((await mg.api.delete('/api/v2/endpoints/gql2/graphql/schema')).status).toBe(200);
    const res = await fetch(`${mg.url}/e/gql2/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ users { id } }"}' });
    expect(await res.text()).toMatch(/^mockgate: no rule/);
  });
});
