// Tests of conditions and actions: a fresh endpoint per case holding the rules under test, and whether a request hit
// a rule that answers 201 "hit" rather than the default answer.
import { expect } from 'vitest';
import { mockRule, type RunningMockgate } from './start-mockgate.js';

let created = 0;

/** A name no endpoint of this test file has had: `<prefix><n>`. */
export const freshName = (prefix: string): string => `${prefix}${++created}`;

/** A fresh endpoint holding these rules: each write must answer 201. */
export async function endpointWithRules(mg: RunningMockgate, prefix: string, ...rules: object[]): Promise<string> {
  const name = freshName(prefix);
  for (const rule of rules) {
    const res = await mg.api.post(`/api/v2/endpoints/${name}/rules`, rule);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  return name;
}

/** A rule with one condition, answering 201 "hit". */
export const hitRule = (condition: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  mockRule(condition, { status: 201, body: 'hit' }, extra);

/** True when the request got the rule's 201 "hit", false when it got the default answer (200, "mockgate: no rule…"). */
export async function hits(mg: RunningMockgate, endpoint: string, path: string, init: RequestInit = {}): Promise<boolean> {
  const res = await fetch(`${mg.url}/e/${endpoint}${path}`, init);
  const body = await res.text();
  if (res.status === 201) {
    expect(body).toBe('hit');
    return true;
  }
  expect(res.status).toBe(200);
  expect(body).toMatch(/^mockgate: no rule/);
  return false;
}
