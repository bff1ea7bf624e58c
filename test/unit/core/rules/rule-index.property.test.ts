// The rule index never changes which rule wins: indexed first match == plain top-to-bottom scan, over random rule sets.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../../core/logger.js';
import { createRegistry, type Registry } from '../../../../core/plugins/registry.js';
import { compileRule, type CompiledRule } from '../../../../core/rules/compile-rules.js';
import type { RuleMethod, StoredRule } from '../../../../core/rules/rule-model.js';
import { RuleSet, firstMatch } from '../../../../core/rules/rule-set.js';
import { RequestView } from '../../../../core/request/mock-request.js';
import rest from '../../../../plugins/rest/index.js';

const SEGMENTS = ['users', 'orders', 'a', 'Users', '', 'api', '7'];
const PATHS = ['/', '/users', '/users/', '/users/7', '/users/7/items', '/orders', '/orders/1', '/a', '/a/b', '/Users/7', '/users?x=1',
  '/api', '/api/', '/api/users', '/api/users/7', '/api/users/7/items', '/api/orders/1', '/api/usersx/1'];

const segment = fc.constantFrom(...SEGMENTS);
const path = fc.oneof(
  fc.constantFrom(...PATHS),
  fc.tuple(segment, segment).map(([a, b]) => `/${a}/${b}`),
  fc.tuple(segment, segment, segment).map(([a, b, c]) => `/${a}/${b}/${c}`),
);

const condition = fc.oneof(
  fc.record({ type: fc.constant('path'), operator: fc.constantFrom('equals', 'starts_with', 'contains'), value: path }),
  fc.record({ type: fc.constant('path'), operator: fc.constant('template'), value: fc.constantFrom('/users/:id', '/orders/:id', '/:any', '/users/:id/items', '/a{/:b}', '/api/users/:id', '/api/:r/:id', '/api/users', '/api') }),
  fc.record({ type: fc.constant('path'), operator: fc.constant('regex'), value: fc.constantFrom('^/users/\\d+$', 'orders', '^/$', 'x=1', '^/api/users/', '^/api/users', '^/api/(users|orders)/', '^/a/|^/users/') }),
  fc.record({ type: fc.constant('path'), operator: fc.constant('starts_with'), value: fc.constantFrom('/api/', '/api/users/', '/api/users', '/users/7/', '/api?') }),
  fc.record({ type: fc.constant('header'), key: fc.constant('x-t'), operator: fc.constant('equals'), value: fc.constantFrom('1', '2') }),
);

const rule = fc.record({
  enabled: fc.constantFrom(true, true, true, false),
  method: fc.constantFrom<RuleMethod>('GET', 'POST', '*', 'DELETE'),
  conditions: fc.array(condition, { minLength: 1, maxLength: 3 }),
});

const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'HEAD', 'DELETE'),
  url: path,
  tenant: fc.constantFrom(undefined, '1', '2'),
});

let registry: Registry;
const NO_STATE = { get: () => undefined };
const log = createLogger('silent');

beforeAll(async () => {
  registry = await createRegistry([rest]);
});

function compile(rules: Array<Omit<StoredRule, 'id' | 'action'>>): CompiledRule[] {
  return rules.map((r, i) => compileRule({ ...r, id: `r${i}`, action: { type: 'mock', status: 200, headers: [], body: '' } }, registry, log));
}

/** The reference: every rule, in order, method then conditions. */
function linearScan(rules: readonly CompiledRule[], req: RequestView): string | undefined {
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  return rules.find((r) => r.enabled && (r.method === '*' || r.method === method) && r.matches(req, { captures: undefined, state: NO_STATE }))?.id;
}

describe('rule index', () => {
  it('picks the same rule as a linear scan for random rule sets and requests', () => {
    fc.assert(
      fc.property(fc.array(rule, { minLength: 0, maxLength: 40 }), fc.array(request, { minLength: 1, maxLength: 30 }), (rules, requests) => {
        const compiled = compile(rules);
        const set = new RuleSet(compiled);
        for (const r of requests) {
          const view = new RequestView(r.method, r.url, r.tenant ? { 'x-t': r.tenant } : {}, 'http');
          const indexed = firstMatch(set.candidates(view.method, view.path), view, { captures: undefined, state: NO_STATE })?.id;
          expect(indexed).toBe(linearScan(compiled, view));
        }
      }),
      { numRuns: 600 },
    );
  });

  it('skips rules whose exact path or first segment cannot match', () => {
    const compiled = compile([
      { enabled: true, method: 'GET', conditions: [{ type: 'path', operator: 'equals', value: '/a' }] },
      { enabled: true, method: 'GET', conditions: [{ type: 'path', operator: 'starts_with', value: '/users/' }] },
      { enabled: true, method: 'GET', conditions: [{ type: 'path', operator: 'template', value: '/orders/:id' }] },
      { enabled: true, method: 'GET', conditions: [{ type: 'path', operator: 'contains', value: 'x' }] },
      { enabled: true, method: 'POST', conditions: [{ type: 'path', operator: 'equals', value: '/a' }] },
    ]);
    const set = new RuleSet(compiled);
    expect(set.candidates('GET', '/a').rules.map((r) => r.id)).toEqual(['r0', 'r3']);
    expect(set.candidates('GET', '/users/9').rules.map((r) => r.id)).toEqual(['r1', 'r3']);
    expect(set.candidates('GET', '/orders/9').rules.map((r) => r.id)).toEqual(['r2', 'r3']);
    expect(set.candidates('GET', '/other').rules.map((r) => r.id)).toEqual(['r3']);
    expect(set.candidates('PUT', '/a').rules.map((r) => r.id)).toEqual([]);
  });

  it('narrows by every literal segment a rule requires, not only the first', () => {
    const compiled = compile([
      { enabled: true, method: 'GET', conditions: [{ type: 'path', operator: 'template', value: '/api/users/:id' }] },
      { enabled: true, method: 'GET', conditions: [{ type: 'path', operator: 'starts_with', value: '/api/orders/' }] },
      { enabled: true, method: 'GET', conditions: [{ type: 'path', operator: 'regex', value: '^/api/reports/[0-9]+$' }] },
      { enabled: true, method: 'GET', conditions: [{ type: 'path', operator: 'starts_with', value: '/api/' }] },
      { enabled: true, method: 'GET', conditions: [{ type: 'path', operator: 'regex', value: '^/api/a|^/b/' }] },
    ]);
    const set = new RuleSet(compiled);
    expect(set.candidates('GET', '/api/users/7').rules.map((r) => r.id)).toEqual(['r0', 'r3', 'r4']);
    expect(set.candidates('GET', '/api/orders/7').rules.map((r) => r.id)).toEqual(['r1', 'r3', 'r4']);
    expect(set.candidates('GET', '/api/reports/7').rules.map((r) => r.id)).toEqual(['r2', 'r3', 'r4']);
    expect(set.candidates('GET', '/api/other').rules.map((r) => r.id)).toEqual(['r3', 'r4']);
    expect(set.candidates('GET', '/b/1').rules.map((r) => r.id)).toEqual(['r4']);
  });

  it('reads the body only when a candidate rule needs it', () => {
    const compiled = compile([
      { enabled: true, method: 'POST', conditions: [{ type: 'path', operator: 'equals', value: '/login' }, { type: 'body', operator: 'contains', value: 'alex' }] },
      { enabled: true, method: 'GET', conditions: [{ type: 'path', operator: 'equals', value: '/login' }] },
    ]);
    const set = new RuleSet(compiled);
    expect(set.candidates('POST', '/login').needsBody).toBe(true);
    expect(set.candidates('GET', '/login').needsBody).toBe(false);
    expect(set.candidates('POST', '/other').needsBody).toBe(false);
  });
});
