// The graphql plugin's template helpers through a real server: graphqlOperation, graphqlVariable and graphqlQuery in a
// rule's templated body and header, for each request form, and for requests that are not GraphQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
let counter = 0;

beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(() => mg.close());

/** A fresh endpoint whose one rule (any request) answers the templated `body`. */
async function endpointRendering(body: string, conditions: Array<Record<string, unknown>> = [{ type: 'path', operator: 'starts_with', value: '/' }],
  headers: Array<{ key: string; value: string; templated?: boolean }> = []): Promise<string> {
  const name = `h${++counter}`;
  const res = await mg.api.post(`/api/v2/endpoints/${name}/rules`, {
    enabled: true, method: '*', conditions, action: { type: 'mock', status: 200, headers, body, templated: true },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return name;
}

async function render(endpoint: string, path: string, init: RequestInit = {}): Promise<string> {
  const res = await fetch(`${mg.url}/e/${endpoint}${path}`, init);
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return text;
}

const postJson = (value: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });

const TEMPLATE = "op={{graphqlOperation}} id={{graphqlVariable 'id'}} city={{graphqlVariable 'input.address.city' 'nowhere'}} "
  + "first={{graphqlVariable 'input.tags.0'}} q={{{graphqlQuery}}}";
const QUERY = 'query GetUser($id: ID!) { user(id: $id) { email } }';

describe('graphql helpers', () => {
  let e: string;
  beforeAll(async () => {
    e = await endpointRendering(TEMPLATE);
  });

  it('POST JSON: operation, variables by dotted path with defaults, query text', async () => {
    const variables = { id: '7', input: { address: { city: 'Paris' }, tags: ['a', 'b'] } };
    expect(await render(e, '/graphql', postJson({ query: QUERY, variables })))
      .toBe(`op=GetUser id=7 city=Paris first=a q=${QUERY}`);
    expect(await render(e, '/graphql', postJson({ query: QUERY, variables: { id: 8 } })))
      .toBe(`op=GetUser id=8 city=nowhere first= q=${QUERY}`);
  });

  it('operationName picks the operation of a multi-operation document', async () => {
    const query = 'query A { a } mutation B { b }';
    expect(await render(e, '/graphql', postJson({ query, operationName: 'B' }))).toBe(`op=B id= city=nowhere first= q=${query}`);
    expect(await render(e, '/graphql', postJson({ query }))).toBe(`op= id= city=nowhere first= q=${query}`);
  });

  it('GET: query, operationName and variables from the query string', async () => {
    const params = new URLSearchParams({ query: QUERY, variables: '{"id":"9","input":{"address":{"city":"Oslo"}}}' });
    expect(await render(e, `/graphql?${params.toString()}`)).toBe(`op=GetUser id=9 city=Oslo first= q=${QUERY}`);
  });

  it('application/graphql: the body is the query', async () => {
    expect(await render(e, '/graphql?variables=%7B%22id%22%3A%221%22%7D', { method: 'POST', headers: { 'content-type': 'application/graphql' }, body: QUERY }))
      .toBe(`op=GetUser id=1 city=nowhere first= q=${QUERY}`);
  });

  it('an anonymous operation has no name', async () => {
    expect(await render(e, '/graphql', postJson({ query: '{ users { id } }' }))).toBe('op= id= city=nowhere first= q={ users { id } }');
  });

  it('a request that is not GraphQL renders empty values and defaults, without an error', async () => {
    const none = 'op= id= city=nowhere first= q=';
    expect(await render(e, '/graphql', postJson({ query: 'query {' }))).toBe(none);
    expect(await render(e, '/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'not json' })).toBe(none);
    expect(await render(e, '/graphql', { method: 'POST' })).toBe(none);
    expect(await render(e, '/graphql')).toBe(none);
  });

  it('escapes with {{ }} like every helper, and composes with built-ins', async () => {
    const x = await endpointRendering("{{graphqlVariable 'name'}}|{{{json (graphqlVariable 'input')}}}|{{uppercase (graphqlOperation)}}");
    expect(await render(x, '/', postJson({ query: 'query Q { x }', variables: { name: '<b>', input: { n: 1 } } })))
      .toBe('&lt;b&gt;|{"n":1}|Q');
  });

  it('in a rule with a graphql condition and a templated header', async () => {
    const x = await endpointRendering('{"data":{"user":{"id":"{{graphqlVariable \'id\'}}"}}}',
      [{ type: 'graphql', operator: 'equals', value: 'GetUser' }],
      [{ key: 'Content-Type', value: 'application/json' }, { key: 'X-Operation', value: '{{graphqlOperation}}', templated: true }]);
    const res = await fetch(`${mg.url}/e/${x}/graphql`, postJson({ query: QUERY, variables: { id: 'u1' } }));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-operation')).toBe('GetUser');
    expect(await res.json()).toEqual({ data: { user: { id: 'u1' } } });
  });

  it('an unknown helper beside them is still refused when written', async () => {
    const res = await mg.api.post('/api/v2/endpoints/hbad/rules', {
      enabled: true, method: '*', conditions: [{ type: 'path', operator: 'starts_with', value: '/' }],
      action: { type: 'mock', status: 200, headers: [], body: "{{graphqlOperation}}{{graphqlNope 'x'}}", templated: true },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_error', parameter: '/action/body' });
  });
});
