// The graphql condition reads (and parses) a request at most once, however many graphql conditions look at it.
import { describe, expect, it } from 'vitest';
import type { CompileContext, MatchContext, MockRequest } from '../../../core/contract.js';
import graphqlPlugin from '../../../plugins/graphql/index.js';

const condition = graphqlPlugin.conditions!.find((c) => c.type === 'graphql')!;
const cx = {
  pointer: '/conditions/0',
  regex: () => ({ source: '', groupNames: [], test: () => true, groups: () => undefined }),
  fail: (message: string) => { throw new Error(message); },
} as unknown as CompileContext;
const ctx: MatchContext = { captures: undefined, state: { get: () => undefined } };

function request(body: string): { req: MockRequest; reads: () => number } {
  let reads = 0;
  const buffer = Buffer.from(body);
  const req: MockRequest = {
    method: 'POST', path: '/graphql', url: '/graphql', mountPath: '', query: new URLSearchParams(), transport: 'http',
    headers: { 'content-type': 'application/json' },
    rawBody: () => buffer,
    text: () => { reads++; return body; },
    json: () => JSON.parse(body) as unknown,
    form: () => undefined,
  };
  return { req, reads: () => reads };
}

describe('parse once', () => {
  it('many conditions, one read', () => {
    expect(condition.needs).toEqual(['body']);
    expect(condition.hint).toBeUndefined();
    const matchers = ['GetUser', 'Other', 'GetUser'].map((value) => condition.compile({ type: 'graphql', operator: 'equals', value } as never, cx));
    const regex = condition.compile({ type: 'graphql', operator: 'regex', value: 'x' } as never, cx);
    const { req, reads } = request(JSON.stringify({ query: 'query GetUser { user { id } }' }));
    expect([...matchers, regex].map((m) => m(req, ctx))).toEqual([true, false, true, true]);
    expect(reads()).toBe(1);
  });

  it('an invalid request is remembered as invalid, and never throws', () => {
    const matcher = condition.compile({ type: 'graphql', operator: 'contains', value: '' } as never, cx);
    const { req, reads } = request('{"query": ');
    expect([matcher(req, ctx), matcher(req, ctx)]).toEqual([false, false]);
    expect(reads()).toBe(1);
  });
});
