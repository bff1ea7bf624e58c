// Schema-driven GraphQL answers: SDL errors, generated data shaped by the query (aliases, fragments, variables,
// directives, abstract types), validation and syntax errors, mutations, subscriptions, seeds, and a large schema.
import { describe, expect, it } from 'vitest';
import { answerFromSchema, buildMockSchema } from '../../../../plugins/graphql/schema-mock.js';

const SDL = `
type Query {
  user(id: ID!): User
  users(first: Int): [User!]!
  search(term: String!): [SearchResult!]!
  node(id: ID!): Node
  scores: [Float!]!
}
type User {
  id: ID!
  email: String!
  name: String
  age: Int
  friends: [User!]!
  role: Role!
}
enum Role { ADMIN USER }
union SearchResult = User | Post
interface Node { id: ID! }
type Post implements Node {
  id: ID!
  title: String!
  createdAt: String!
}
type Mutation { createUser(name: String!): User! }
type Subscription { userAdded: User! }
`;

const schema = buildMockSchema(SDL);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

type Obj = Record<string, unknown>;
function data(query: string, variables?: Record<string, unknown>, seed = 1): Obj {
  const response = answerFromSchema(schema, { query, variables }, { seed });
  expect(response.errors).toBeUndefined();
  return response.data as Obj;
}

function expectUser(user: Obj): void {
  expect(user.id).toMatch(UUID);
  expect(user.email).toMatch(/^\S+@\S+\.\S+$/);
  expect(typeof user.name).toBe('string');
  expect(Number.isInteger(user.age)).toBe(true);
  expect(user.age as number).toBeGreaterThanOrEqual(18);
  expect(user.age as number).toBeLessThanOrEqual(90);
  expect(['ADMIN', 'USER']).toContain(user.role);
}

describe('buildMockSchema', () => {
  it('builds a valid SDL', () => {
    expect(schema.getQueryType()?.name).toBe('Query');
    expect(schema.getMutationType()?.name).toBe('Mutation');
  });

  it('reports a syntax error with its line and column', () => {
    expect(() => buildMockSchema('type Query {\n  a: String\n  b: : Int\n}')).toThrow(/^line 3, column 6: Syntax Error: /);
  });

  it('reports an invalid schema', () => {
    expect(() => buildMockSchema('type Query { a: Missing }')).toThrow(/Unknown type "Missing"/);
    expect(() => buildMockSchema('type Query { a: String }\ntype T implements I { b: Int }\ninterface I { a: String }')).toThrow(
      /line \d+, column \d+: Interface field I\.a expected but T does not provide it/,
    );
  });
});

describe('answerFromSchema', () => {
  it('gives every requested field a value of the right type', () => {
    const d = data('{ user(id: "1") { id email name age role friends { id name } } users { id } }');
    const user = d.user as Obj;
    expectUser(user);
    expect(Object.keys(user)).toEqual(['id', 'email', 'name', 'age', 'role', 'friends']);
    const friends = user.friends as Obj[];
    expect(friends.length).toBeGreaterThanOrEqual(1);
    expect(friends.length).toBeLessThanOrEqual(5);
    for (const friend of friends) {
      expect(Object.keys(friend)).toEqual(['id', 'name']);
      expect(friend.id).toMatch(UUID);
    }
    expect(Array.isArray(d.users)).toBe(true);
  });

  it('makes lists 1 to 5 items long', () => {
    const lengths = new Set<number>();
    for (let seed = 0; seed < 60; seed++) {
      const d = data('{ users { id } scores }', undefined, seed);
      for (const list of [d.users, d.scores] as unknown[][]) {
        expect(list.length).toBeGreaterThanOrEqual(1);
        expect(list.length).toBeLessThanOrEqual(5);
        lengths.add(list.length);
      }
      for (const score of d.scores as number[]) expect(Math.round(score * 100) / 100).toBe(score);
    }
    expect(lengths.size).toBeGreaterThan(1);
  });

  it('honours aliases', () => {
    const d = data('{ me: user(id: "1") { userId: id mail: email } other: user(id: "2") { id } }');
    expect(Object.keys(d)).toEqual(['me', 'other']);
    expect(Object.keys(d.me as Obj)).toEqual(['userId', 'mail']);
    expect((d.me as Obj).userId).toMatch(UUID);
    expect((d.other as Obj).id).toMatch(UUID);
  });

  it('honours named and inline fragments', () => {
    const d = data(`
      query { user(id: "1") { ...Basics ... on User { role } } }
      fragment Basics on User { id email }`);
    expect(Object.keys(d.user as Obj)).toEqual(['id', 'email', 'role']);
  });

  it('honours variables and directives', () => {
    const query = `query Q($id: ID!, $withEmail: Boolean!, $skipName: Boolean!) {
      user(id: $id) { id email @include(if: $withEmail) name @skip(if: $skipName) age @include(if: false) role @skip(if: true) }
    }`;
    const off = data(query, { id: '7', withEmail: false, skipName: true }).user as Obj;
    expect(Object.keys(off)).toEqual(['id']);
    const on = data(query, { id: '7', withEmail: true, skipName: false }).user as Obj;
    expect(Object.keys(on)).toEqual(['id', 'email', 'name']);
  });

  it('reports a missing or ill-typed variable as an error', () => {
    const response = answerFromSchema(schema, { query: 'query Q($id: ID!) { user(id: $id) { id } }', variables: {} });
    expect(response.errors?.[0]?.message).toMatch(/\$id/);
    expect(response.data).toBeUndefined();
  });

  it('resolves unions and interfaces to one of their possible types', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 30; seed++) {
      const d = data(
        `{ search(term: "x") { __typename ... on User { email role } ... on Post { title createdAt } }
           node(id: "1") { __typename id ... on Post { title } } }`,
        undefined,
        seed,
      );
      for (const item of d.search as Obj[]) {
        seen.add(item.__typename as string);
        if (item.__typename === 'User') {
          expect(Object.keys(item)).toEqual(['__typename', 'email', 'role']);
          expect(['ADMIN', 'USER']).toContain(item.role);
        } else {
          expect(item.__typename).toBe('Post');
          expect(Object.keys(item)).toEqual(['__typename', 'title', 'createdAt']);
          expect(typeof item.title).toBe('string');
          expect(item.createdAt).toMatch(ISO);
        }
      }
      const node = d.node as Obj;
      expect(node.__typename).toBe('Post');
      expect(Object.keys(node)).toEqual(['__typename', 'id', 'title']);
    }
    expect([...seen].sort()).toEqual(['Post', 'User']);
  });

  it('answers an unknown field with a validation error and no data', () => {
    const response = answerFromSchema(schema, { query: '{ user(id: "1") { id nickname } }' });
    expect(response.data).toBeUndefined();
    expect(response.errors).toHaveLength(1);
    expect(response.errors?.[0]?.message).toContain('nickname');
    expect(response.errors?.[0]?.locations).toEqual([{ line: 1, column: 22 }]);
  });

  it('answers a syntax error with an errors array', () => {
    const response = answerFromSchema(schema, { query: '{ user(id: "1") { id ' });
    expect(response.data).toBeUndefined();
    expect(response.errors).toHaveLength(1);
    expect(response.errors?.[0]?.message).toMatch(/^Syntax Error/);
    expect(response.errors?.[0]?.locations).toEqual([{ line: 1, column: 22 }]);
  });

  it('answers a mutation', () => {
    const d = data('mutation { createUser(name: "Ann") { id email name age role } }');
    expectUser(d.createUser as Obj);
  });

  it('refuses subscriptions', () => {
    const response = answerFromSchema(schema, { query: 'subscription { userAdded { id } }' });
    expect(response.data).toBeUndefined();
    expect(response.errors?.[0]?.message).toBe('subscriptions are not supported');
  });

  it('picks the operation by operationName', () => {
    const query = 'query A { users { id } } query B { user(id: "1") { id } }';
    const response = answerFromSchema(schema, { query, operationName: 'B' });
    expect(Object.keys(response.data as Obj)).toEqual(['user']);
    expect(answerFromSchema(schema, { query }).errors?.[0]?.message).toMatch(/operation name/i);
  });

  it('gives the same answer for the same seed', () => {
    const query = '{ users { id email name age role friends { id } } search(term: "a") { __typename } }';
    const a = answerFromSchema(schema, { query }, { seed: 42 });
    const b = answerFromSchema(schema, { query }, { seed: 42 });
    const c = answerFromSchema(schema, { query }, { seed: 43 });
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('generates values by field name and scalar', () => {
    const s = buildMockSchema(`
      scalar DateTime
      scalar URI
      scalar JSON
      scalar Other
      type Query { profile: Profile! }
      type Profile {
        firstName: String! lastName: String! url: String! avatarUrl: String! phone: String!
        city: String! country: String! street: String! description: String! updatedAt: String!
        count: Int! price: Float! active: Boolean! born: DateTime! site: URI! meta: JSON! misc: Other
      }`);
    const profile = (answerFromSchema(s, { query: '{ profile { firstName lastName url avatarUrl phone city country street description updatedAt count price active born site meta misc } }' }, { seed: 3 }).data as Obj)
      .profile as Obj;
    for (const key of ['firstName', 'lastName', 'phone', 'city', 'country', 'street', 'misc']) expect(typeof profile[key]).toBe('string');
    expect(profile.url).toMatch(/^https?:\/\//);
    expect(profile.avatarUrl).toMatch(/^https?:\/\//);
    expect(profile.site).toMatch(/^https?:\/\//);
    expect((profile.description as string).split(' ').length).toBeGreaterThan(1);
    expect(profile.updatedAt).toMatch(ISO);
    expect(profile.born).toMatch(ISO);
    expect(profile.count as number).toBeGreaterThanOrEqual(0);
    expect(profile.count as number).toBeLessThanOrEqual(100);
    expect(typeof profile.price).toBe('number');
    expect(typeof profile.active).toBe('boolean');
    expect(profile.meta).toEqual({});
  });

  it('answers introspection', () => {
    const d = data('{ __schema { queryType { name } } __type(name: "Role") { enumValues { name } } }');
    expect(d).toEqual({ __schema: { queryType: { name: 'Query' } }, __type: { enumValues: [{ name: 'ADMIN' }, { name: 'USER' }] } });
  });

  it('never throws, whatever the request', () => {
    const bad: unknown[] = [{}, { query: 42 }, { query: '' }, null, { query: '{ user(id: "1") { id } }', variables: 'x' }];
    for (const request of bad) {
      const response = answerFromSchema(schema, request as never);
      expect(response.errors?.length).toBeGreaterThan(0);
    }
    const deep = `{ user(id: "1") ${'{ friends '.repeat(12)}{ id }${' }'.repeat(12)} }`;
    const response = answerFromSchema(schema, { query: deep }, { seed: 5 });
    expect(response.errors).toBeUndefined();
  });

  it('builds a large schema quickly and answers it', () => {
    const types: string[] = [];
    const TYPES = 2000;
    for (let t = 0; t < TYPES; t++) {
      const fields: string[] = [];
      for (let f = 0; f < 20; f++) {
        const next = `T${(t + f + 1) % TYPES}`;
        const type = f % 5 === 0 ? `[${next}!]!` : f % 5 === 1 ? next : f % 5 === 2 ? 'String' : f % 5 === 3 ? 'Int!' : 'ID!';
        fields.push(`  f${f}(first: Int): ${type}`);
      }
      types.push(`"""Type ${t}"""\ntype T${t} {\n${fields.join('\n')}\n}`);
    }
    const sdl = `type Query { root: T0! }\n${types.join('\n')}`;
    expect(sdl.split('\n').length).toBeGreaterThan(40_000);
    const started = performance.now();
    const big = buildMockSchema(sdl);
    expect(performance.now() - started).toBeLessThan(3000);
    const response = answerFromSchema(big, { query: '{ root { f2 f3 f4 f1 { f2 f0 { f4 } } } }' }, { seed: 9 });
    expect(response.errors).toBeUndefined();
    const root = (response.data as Obj).root as Obj;
    expect(typeof root.f2).toBe('string');
    expect(Number.isInteger(root.f3)).toBe(true);
    expect(root.f4).toMatch(UUID);
    expect(Array.isArray((root.f1 as Obj).f0)).toBe(true);
  });
});
