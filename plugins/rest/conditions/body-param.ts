// `body_param` condition: a field of a JSON body (dotted path, `items.0.id`) or of a url-encoded form.
import { defineCondition, type Matcher, type MockRequest } from '../../../core/contract.js';

type Operator = 'equals' | 'not_equals' | 'contains' | 'not_contains' | 'is_null' | 'is_not_null';

interface BodyParamCondition {
  type: 'body_param';
  key: string;
  operator: Operator;
  value?: string;
}

export const bodyParamCondition = defineCondition<BodyParamCondition>({
  type: 'body_param',
  needs: ['body'],
  schema: {
    type: 'object',
    required: ['type', 'key', 'operator'],
    additionalProperties: false,
    properties: {
      type: { const: 'body_param' },
      key: { type: 'string', minLength: 1, maxLength: 512 },
      operator: { enum: ['equals', 'not_equals', 'contains', 'not_contains', 'is_null', 'is_not_null'] },
      value: { type: 'string', maxLength: 4096 },
    },
    // value is meaningless for is_null / is_not_null (DECISIONS.md), required otherwise
    if: { type: 'object', properties: { operator: { enum: ['equals', 'not_equals', 'contains', 'not_contains'] } } },
    then: { required: ['value'] },
  },

  compile({ key, operator, value = '' }): Matcher {
    const path = key.split('.');
    const read = (req: MockRequest): unknown => fieldOf(req, key, path);
    switch (operator) {
      case 'equals':
        return (req) => equals(read(req), value);
      case 'not_equals':
        return (req) => !equals(read(req), value);
      case 'contains':
        return (req) => contains(read(req), value);
      case 'not_contains':
        return (req) => !contains(read(req), value);
      case 'is_null':
        return (req) => read(req) == null;
      case 'is_not_null':
        return (req) => read(req) != null;
    }
  },
});

function fieldOf(req: MockRequest, key: string, path: readonly string[]): unknown {
  const form = req.form();
  if (form !== undefined) return form.get(key) ?? undefined;
  let node = req.json();
  for (const step of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[step];
  }
  return node;
}

function asText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function equals(v: unknown, expected: string): boolean {
  return v != null && asText(v) === expected;
}

/** Arrays contain an element equal to the value; anything else contains it as a substring of its text. */
function contains(v: unknown, expected: string): boolean {
  if (v == null) return false;
  if (Array.isArray(v)) return v.some((item) => item != null && asText(item) === expected);
  return asText(v).includes(expected);
}
