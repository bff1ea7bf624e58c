// The benchmark scenarios: which rules mockgate holds, which URL the load hits, and the throughput goal vs. bare node:http.
// Every HTTP scenario answers 200 application/json; the body is BODY unless the scenario names its own (`body`), which
// the bare server then sends for that scenario's path (bareBodies), so one bare server is the baseline for all of them
// but those that name another baseline (a proxy, a spec's answer, a gRPC server).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { githubOpenapi } from './github-openapi.mjs';

export const BODY = '{"hello":"world"}';
const MAX_RULES = 500; // core/rules/rule-model.ts
export const PROTOS_DIR = fileURLToPath(new URL('../fixtures/protos/', import.meta.url));
const fixture = (path) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url));

const mockAction = (body = BODY) => ({
  type: 'mock',
  status: 200,
  headers: [{ key: 'content-type', value: 'application/json' }],
  body,
});
const rule = (method, conditions) => ({ enabled: true, method, conditions, action: mockAction() });
const path = (operator, value) => ({ type: 'path', operator, value });
const header = (key, operator, value) => ({ type: 'header', key, operator, value });

// The load of the 500-rule scenarios: GET /api/reports/summary. Rule 500 matches it; no rule before it may.
const TARGET_PATH = '/api/reports/summary';
// resource names of a typical REST API; "reports" is left out on purpose so that no template or prefix matches the target
const RESOURCES = ['users', 'orders', 'products', 'invoices', 'carts', 'payments', 'customers', 'shipments',
  'reviews', 'coupons', 'inventory', 'tickets', 'accounts', 'sessions'];
const OTHER_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Rule i (0-based, i < 499) of a realistic 500-rule endpoint. None matches GET /api/reports/summary. The mix is what a
 * mocked REST API looks like: many exact paths, prefixes and templates (some under /api like the target, so the
 * index cannot drop them), other methods on the target path, tenant overrides by header, header-only and regex rules.
 */
function realisticRule(i) {
  const res = RESOURCES[i % RESOURCES.length];
  switch (i % 20) {
    case 0: case 1: case 2: case 3: case 4: case 5:
      return rule('GET', [path('equals', `/api/${res}/${i}`)]);
    case 6: case 7:
      return rule('GET', [path('equals', `/v2/${res}/${i}`)]);
    case 8: case 9:
      return rule('GET', [path('starts_with', `/api/${res}/${i}/`)]);
    case 10:
      return rule('GET', [path('starts_with', `/internal/${res}/`)]);
    case 11: case 12:
      return rule('GET', [path('template', `/api/${res}/:id/items/:item${i}`)]);
    case 13:
      return rule('GET', [path('template', `/${res}/:id${i}`)]);
    case 14: case 15:
      return rule(OTHER_METHODS[i % OTHER_METHODS.length], [path('equals', i % 3 === 0 ? TARGET_PATH : `/api/${res}`)]);
    case 16:
      return rule('GET', [path('starts_with', '/api/'), header('x-tenant', 'equals', `tenant-${i}`)]);
    case 17:
      return rule('GET', [path('equals', `/api/${res}`), header('authorization', 'equals', `Bearer token-${i}`)]);
    case 18:
      return i % 40 === 18
        ? rule('GET', [header('x-mock-scenario', 'equals', `case-${i}`)])
        : rule('*', [path('template', `/api/${res}/:id${i}`), header('accept', 'contains', 'application/xml')]);
    default:
      return rule('GET', [path('regex', `^/api/${res}/[0-9]+/history(\\?.*)?$`)]);
  }
}

/** Rule i (i < 499) of the worst case: nothing the index can use (path contains / regex), and each one fails. */
function unindexableRule(i) {
  const res = RESOURCES[i % RESOURCES.length];
  return i % 2 === 0
    ? rule('GET', [path('contains', `/${res}/never-${i}`)])
    : rule('GET', [path('regex', `^/api/${res}/[0-9]+/never$`)]);
}

// The crud scenario: CRUD_RECORDS records with ids '1'…, in a data store made through the management API (the crud
// action's own POST would add them one request at a time through the data plane) that the rule names by dataStoreId.
const CRUD_RECORDS = 10_000;
const CRUD_TARGET_ID = '5000';
const CRUD_CONCURRENCY = 32; // the API has no bulk insert: records are POSTed one by one, this many in flight
const crudRecord = (n) => ({ id: `${n}`, name: `user ${n}`, email: `user${n}@example.com` });

/** Creates the data store and its records → { dataStoreId } for the rule. */
async function loadCrudStore(api) {
  const stores = '/api/v2/endpoints/benchcrud/data-stores';
  const { dataStore } = await api('POST', stores, { name: 'users', maxSizeMB: 16 });
  const records = `${stores}/${dataStore.id}/data`;
  let next = 1;
  const worker = async () => {
    while (next <= CRUD_RECORDS) {
      const n = next++;
      await api('POST', records, { key: `${n}`, data: crudRecord(n) });
    }
  };
  await Promise.all(Array.from({ length: CRUD_CONCURRENCY }, worker));
  const { dataStore: loaded } = await api('GET', `${stores}/${dataStore.id}`);
  if (loaded.records !== CRUD_RECORDS) throw new Error(`data store ${dataStore.id} holds ${loaded.records} records, expected ${CRUD_RECORDS}`);
  return { dataStoreId: dataStore.id };
}

// The templated scenario: a path parameter, a query parameter, one faker value and a counter increment per request.
// The counter is padded and the faker value is a UUID so that every response has the same length as the bare one.
const TEMPLATE = '{"id":"{{pathParam \'id\'}}","q":"{{queryParam \'q\'}}","token":"{{faker \'string.uuid\'}}",' +
  '"n":"{{padStart (step-counter \'inc\' \'hits\') 10 \'0\'}}"}';

const manyRules = (make, last) => [...Array.from({ length: MAX_RULES - 1 }, (_, i) => make(i)), last];

// The GraphQL scenarios: one query, POSTed as JSON. Its fields are an ID (a UUID when generated) and a date (ISO when
// generated), so that the answers generated from the schema all have the same length.
const GRAPHQL_REQUEST = {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  requestBody: JSON.stringify({ query: 'query GetUser($id: ID!) { user(id: $id) { id createdAt } }', operationName: 'GetUser', variables: { id: '7' } }),
};
const GRAPHQL_RULE_BODY = '{"data":{"user":{"id":"7","createdAt":"2025-01-01T00:00:00.000Z"}}}';
const GRAPHQL_SDL = 'type Query {\n  user(id: ID!): User\n}\n\ntype User {\n  id: ID!\n  name: String!\n  email: String!\n  createdAt: String!\n}\n';

// The OpenAPI scenario: a Pet of the Petstore 3 as generated from its schema.
const PET = new RegExp(String.raw`^\{"id":\d+,"name":"[^"]+","category":\{"id":\d+,"name":"[^"]+"\},"photoUrls":\["[^"]+"(,"[^"]+")*\],` +
  String.raw`"tags":\[\{"id":\d+,"name":"[^"]+"\}(,\{"id":\d+,"name":"[^"]+"\})*\],"status":"(available|pending|sold)"\}$`);

// The gRPC scenario: the greeter protos of the gRPC integration tests, and one unary method answering a fixed message.
const GREETER_PROTOS = ['greeter/greeter.proto', 'greeter/types.proto'];
const GRPC_REPLY = { message: 'hello world', count: 1, mood: 'HAPPY' };

// Scenarios run against mockgate with the journal off (the rule engine alone: the foundation's goals) unless
// `journal: true` (every request recorded: the journal's goal).
// Scenario fields: id, title, endpoint, path (endpoint-relative, also the bare server's path), goal (mockgate/bare
// req/s; none where the issue sets none), rules (an array, or a function of what `setup` returned), optional
// setup(api, { upstreamUrl, importSpec }) run against mockgate's management API before the rules are installed
// (`upstreamUrl` for a proxy baseline; `importSpec(fileName, bytes)` uploads a spec to the scenario's endpoint and waits
// for its job), optional body (default BODY), optional bodyPattern (the body varies per request: both servers' bodies
// must match it and have the length of `body`; with sizeVaries, of any length), optional contentType (default
// application/json), optional method, headers and requestBody of the request (default a bare GET), optional journal,
// optional baseline:
// - 'proxy': node:http + http-proxy to an upstream answering BODY stands in for the bare server; rules may then be
//   empty, the proxy step answering;
// - 'answer': no rule answers but a spec's fallback step; a bare server started for the scenario sends the answer
//   mockgate gave when it was verified (body and content type, and no rule-id header, as a spec's answer has none);
//   with sizeVaries, the one of 20 answers closest to their mean length, and the mean size of the responses measured
//   must be within 10% of its size.
// A scenario with `protocol: 'grpc'` is a gRPC unary call (`grpc`: proto, method, request, reply) measured with
// grpc-load.mjs against bare-grpc-server.mjs. A scenario with `kind: 'import'` measures no throughput: the seconds its
// `document()` (→ { name, bytes }) takes to import, from the upload to the end of its job.
export const SCENARIOS = [
  {
    id: 'static',
    title: 'static rule',
    endpoint: 'bench',
    path: '/hello',
    goal: 0.8,
    rules: [rule('GET', [path('equals', '/hello')])],
  },
  {
    id: 'graphql',
    title: 'GraphQL query, graphql rule',
    endpoint: 'benchgql',
    path: '/graphql',
    ...GRAPHQL_REQUEST,
    body: GRAPHQL_RULE_BODY,
    rules: [{
      enabled: true,
      method: 'POST',
      conditions: [{ type: 'graphql', operator: 'equals', value: 'GetUser' }],
      action: mockAction(GRAPHQL_RULE_BODY),
    }],
  },
  {
    id: 'graphql-schema',
    title: 'GraphQL query, answered from the schema',
    endpoint: 'benchgqls',
    path: '/graphql',
    ...GRAPHQL_REQUEST,
    baseline: 'answer',
    contentType: 'application/json; charset=utf-8',
    bodyPattern: /^\{"data":\{"user":\{"id":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","createdAt":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"\}\}\}$/,
    setup: (api, { importSpec }) => importSpec('schema.graphql', GRAPHQL_SDL),
    rules: [],
  },
  {
    id: '500',
    title: '500 rules, match on the last',
    endpoint: 'bench500',
    path: TARGET_PATH,
    goal: 0.7,
    rules: manyRules(realisticRule, rule('GET', [path('equals', TARGET_PATH)])),
  },
  {
    id: '500u',
    title: '500 unindexable rules, match on the last',
    endpoint: 'bench500u',
    path: TARGET_PATH,
    goal: 0.7,
    rules: manyRules(unindexableRule, rule('GET', [path('contains', '/reports/summary')])),
  },
  {
    id: 'state',
    title: 'state condition (counter) + path',
    endpoint: 'benchstate',
    path: '/hello',
    goal: 0.6,
    setup: (api) => api('PUT', '/api/v2/endpoints/benchstate/state', { items: [{ type: 'counter', key: 'mode', value: 1 }] }),
    rules: [rule('GET', [path('equals', '/hello'), { type: 'state', key: 'mode', stateType: 'counter', operator: 'equals', value: '1' }])],
  },
  {
    id: 'static-journal',
    title: 'static rule, journal on',
    endpoint: 'bench',
    path: '/hello',
    goal: 0.8,
    journal: true,
    rules: [rule('GET', [path('equals', '/hello')])],
  },
  {
    id: 'crud',
    title: 'CRUD GET /users/{id}, 10,000 records',
    endpoint: 'benchcrud',
    path: `/users/${CRUD_TARGET_ID}`,
    goal: 0.6,
    body: JSON.stringify(crudRecord(CRUD_TARGET_ID)),
    setup: loadCrudStore,
    rules: ({ dataStoreId } = {}) => [{
      enabled: true,
      method: '*',
      conditions: [path('starts_with', '/users')],
      action: { type: 'crud', idField: 'id', ...(dataStoreId === undefined ? {} : { dataStoreId }) },
    }],
  },
  {
    id: 'template',
    title: 'templated: path + query param, faker, counter',
    endpoint: 'benchtpl',
    path: '/users/42?q=bench',
    goal: 0.5,
    body: '{"id":"42","q":"bench","token":"00000000-0000-4000-8000-000000000000","n":"0000000001"}',
    bodyPattern: /^\{"id":"42","q":"bench","token":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","n":"\d{10}"\}$/,
    rules: [{
      enabled: true,
      method: 'GET',
      conditions: [path('template', '/users/:id')],
      action: { ...mockAction(), body: TEMPLATE, templated: true },
    }],
  },
  {
    id: 'proxy',
    title: 'proxy fallback to an upstream',
    endpoint: 'benchproxy',
    path: '/hello',
    goal: 0.8,
    // measured against node:http + http-proxy forwarding to the same upstream (proxy-server.mjs), not the bare server
    baseline: 'proxy',
    setup: (api, { upstreamUrl }) => api('PATCH', '/api/v2/endpoints/benchproxy/settings', { proxy: { targetUrl: upstreamUrl } }),
    rules: [],
  },
  {
    id: 'grpc',
    title: 'gRPC unary, grpc rule',
    protocol: 'grpc',
    endpoint: 'benchgrpc',
    goal: 0.7,
    grpc: { proto: GREETER_PROTOS[0], method: 'greeter.Greeter/SayHello', request: { name: 'bench' }, reply: GRPC_REPLY },
    setup: (api) => api('PUT', '/api/v2/endpoints/benchgrpc/protos', {
      files: Object.fromEntries(GREETER_PROTOS.map((file) => [file, fixture(`protos/${file}`).toString()])),
    }),
    rules: [{
      enabled: true,
      method: '*',
      conditions: [{ type: 'grpc_method', value: 'greeter.Greeter/SayHello' }],
      action: { type: 'grpc', callType: 'unary', responses: [{ body: JSON.stringify(GRPC_REPLY) }] },
    }],
  },
  {
    id: 'oas',
    title: 'OpenAPI answer, Petstore 3 GET /pet/{petId}',
    endpoint: 'benchoas',
    path: '/api/v3/pet/7',
    headers: { api_key: 'bench' }, // the operation's security: an API key must be there
    goal: 0.5,
    baseline: 'answer',
    // generated anew on every request (no seed, the default): 1–3 photo URLs and tags, names and numbers of any length
    bodyPattern: PET,
    sizeVaries: true,
    setup: (api, { importSpec }) => importSpec('petstore-v3.yaml', fixture('openapi/petstore-v3.yaml')),
    rules: [],
  },
  {
    id: 'oas-import',
    title: "import GitHub's REST API description",
    kind: 'import',
    endpoint: 'benchgithub',
    document: () => ({ name: 'api.github.com.json', bytes: readFileSync(githubOpenapi()) }),
  },
];

/** A scenario's rules, given what its setup returned (undefined when it was not run, e.g. in match-cost.mjs). */
export const rulesOf = (scenario, setupResult) => (typeof scenario.rules === 'function' ? scenario.rules(setupResult) : scenario.rules ?? []);

/** Whether the shared bare server is the scenario's baseline (not another baseline, not gRPC, not an import). */
export const usesBareServer = (scenario) => scenario.baseline !== 'answer' && scenario.protocol === undefined && scenario.kind === undefined;

/** The body a scenario's response must have. */
export const bodyOf = (scenario) => scenario.body ?? BODY;

/**
 * The bare server's bodies by path for those of the given scenarios it is the baseline of: each path whose scenario
 * answers other than BODY. Two scenarios that share a path must share its body, as the bare server has one answer per path.
 */
export function bareBodies(scenarios) {
  const bodies = {};
  const shared = scenarios.filter(usesBareServer);
  for (const s of shared) {
    const body = bodyOf(s);
    const other = shared.find((o) => o.path === s.path && bodyOf(o) !== body);
    if (other) throw new Error(`scenarios "${s.id}" and "${other.id}" share the path ${s.path} but not the body`);
    if (body !== BODY) bodies[s.path] = body;
  }
  return bodies;
}

/** Mockgate path of a scenario: the endpoint's path prefix, then the endpoint-relative path. */
export const mockgatePath = (scenario) => `/e/${scenario.endpoint}${scenario.path}`;
