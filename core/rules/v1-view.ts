// Rules v1 (`match.operator`, `send`, `sendRandom`) as a view over the stored v2 rules: v1 → v2 on the way in, back on the way out.
import { MockgateError, isMockgateError } from '../errors.js';
import type { Registry } from '../plugins/registry.js';
import { assertValid, compileSchema } from '../validation.js';
import { validateRule } from './compile-rules.js';
import { RULE_METHODS, type RuleBody, type StoredRule } from './rule-model.js';

export const V1_STYLE = { code: 'bad_request', legacyWording: true } as const;

export type V1Operator = 'SW' | 'CO' | 'EM' | 'REGEX' | 'B_CO' | 'B_REGEX' | 'H_REGEX';

interface V1Send {
  status: number;
  body: string;
  headers?: Record<string, string>;
  templated?: boolean;
}

export interface V1Rule {
  id?: string;
  enabled?: boolean;
  mock?: boolean;
  delay?: number;
  description?: string;
  match: { method?: string; operator: V1Operator; value?: string; header?: { key: string; value: string } };
  sendType?: 'send' | 'sendRandom' | '';
  send?: V1Send;
  sendRandom?: Array<{ weight: number; name?: string; delay?: number; send: V1Send }>;
}

const sendSchema = {
  type: 'object',
  required: ['status', 'body'],
  additionalProperties: false,
  properties: {
    status: { type: 'integer', minimum: 100, maximum: 599 },
    body: { type: 'string' },
    headers: {
      type: 'object',
      maxProperties: 100,
      // the limits of the v2 headers schema, so a too-long name or value is refused at its v1 pointer
      propertyNames: { maxLength: 256, pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$" },
      additionalProperties: { type: 'string', maxLength: 8192, pattern: '^[\\t\\x20-\\x7e\\x80-\\xff]*$' },
    },
    templated: { type: 'boolean' },
  },
};

const validateV1 = compileSchema({
  type: 'object',
  required: ['match'],
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    enabled: { type: 'boolean' },
    mock: { type: 'boolean' },
    delay: { type: 'number', minimum: 0, maximum: 600000 },
    description: { type: 'string', maxLength: 1024 },
    match: {
      type: 'object',
      required: ['operator'],
      additionalProperties: false,
      properties: {
        method: { enum: [...new Set([...RULE_METHODS, ...RULE_METHODS.map((m) => m.toLowerCase())])] },
        operator: { enum: ['SW', 'CO', 'EM', 'REGEX', 'B_CO', 'B_REGEX', 'H_REGEX'] },
        value: { type: 'string', maxLength: 4096 },
        header: {
          type: 'object',
          required: ['key', 'value'],
          additionalProperties: false,
          properties: { key: { type: 'string', minLength: 1, maxLength: 256 }, value: { type: 'string', maxLength: 4096 } },
        },
      },
      // without an operator only "required operator" is reported, not a missing header
      if: { type: 'object', required: ['operator'], properties: { operator: { const: 'H_REGEX' } } },
      then: { required: ['header'] },
      else: { required: ['value'] },
    },
    sendType: { enum: ['send', 'sendRandom', ''] },
    send: sendSchema,
    sendRandom: {
      type: 'array',
      minItems: 1,
      maxItems: 100,
      items: {
        type: 'object',
        required: ['weight', 'send'],
        additionalProperties: false,
        properties: {
          weight: { type: 'number', minimum: 0, maximum: 100 },
          name: { type: 'string', maxLength: 256 },
          delay: { type: 'number', minimum: 0, maximum: 600000 },
          send: sendSchema,
        },
      },
    },
  },
  if: { type: 'object', properties: { sendType: { const: 'sendRandom' } }, required: ['sendType'] },
  then: { required: ['sendRandom'] },
  else: { required: ['send'] },
});

const CONDITION_OF: Record<V1Operator, { type: string; operator: string }> = {
  SW: { type: 'path', operator: 'starts_with' },
  CO: { type: 'path', operator: 'contains' },
  EM: { type: 'path', operator: 'equals' },
  REGEX: { type: 'path', operator: 'regex' },
  B_CO: { type: 'body', operator: 'contains' },
  B_REGEX: { type: 'body', operator: 'regex' },
  H_REGEX: { type: 'header', operator: 'regex' },
};

const headerArray = (headers: Record<string, string> = {}) => Object.entries(headers).map(([key, value]) => ({ key, value }));

/** v1 headers are an object; names differing only in case would be two headers the v1 view could not show back. */
function assertUniqueHeaders(headers: Record<string, string> | undefined, pointer: string): void {
  const seen = new Map<string, string>();
  for (const key of Object.keys(headers ?? {})) {
    const first = seen.get(key.toLowerCase());
    if (first !== undefined) {
      const at = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      throw new MockgateError('bad_request', `${at}: should not repeat header "${first}" (header names are case-insensitive)`, at);
    }
    seen.set(key.toLowerCase(), key);
  }
}

/** Validates a v1 rule and translates it to a v2 rule body; errors are `bad_request` with v1 pointers. */
export function fromV1(input: unknown, registry: Registry): { body: RuleBody; operator: V1Operator } {
  assertValid(validateV1, input, V1_STYLE);
  const v1 = input as V1Rule;
  if (v1.sendType === 'sendRandom') v1.sendRandom!.forEach((r, i) => assertUniqueHeaders(r.send.headers, `/sendRandom/${i}/send/headers`));
  else assertUniqueHeaders(v1.send!.headers, '/send/headers');
  const { type, operator } = CONDITION_OF[v1.match.operator];
  const condition = v1.match.operator === 'H_REGEX'
    ? { type, operator, key: v1.match.header!.key, value: v1.match.header!.value }
    : { type, operator, value: v1.match.value ?? '' };
  const ruleDelay = v1.delay ?? 0;
  const action = v1.sendType === 'sendRandom'
    ? {
      type: 'weighted',
      // v2 has one delay per response: v1's rule delay is added to each
      responses: v1.sendRandom!.map((r, i) => ({
        name: r.name ?? `Response ${i + 1}`, weight: r.weight, delay: ruleDelay + (r.delay ?? 0), status: r.send.status,
        headers: headerArray(r.send.headers), body: r.send.body, templated: r.send.templated ?? false,
      })),
    }
    : {
      type: 'mock', delay: ruleDelay, status: v1.send!.status, headers: headerArray(v1.send!.headers),
      body: v1.send!.body, templated: v1.send!.templated ?? false,
    };
  const v2: Record<string, unknown> = {
    enabled: v1.enabled ?? true,
    method: (v1.match.method ?? '*').toUpperCase(),
    conditions: [condition],
    action,
  };
  if (v1.description !== undefined) v2['description'] = v1.description;
  if (v1.mock === false) v2['mock'] = false;
  try {
    return { body: validateRule(v2, registry, V1_STYLE), operator: v1.match.operator };
  } catch (err) {
    throw toV1Error(err, v1.match.operator);
  }
}

/** A compile-time error (bad regex, weights) raised on the v2 form, re-pointed at the v1 field. */
export function toV1Error(err: unknown, operator?: V1Operator): unknown {
  if (!isMockgateError(err) || err.parameter === undefined) return err;
  const pointer = v1Pointer(err.parameter, operator);
  const message = err.message.startsWith(`${err.parameter}:`) ? `${pointer}:${err.message.slice(err.parameter.length + 1)}` : err.message;
  const code = err.code === 'validation_error' ? 'bad_request' : err.code;
  return new MockgateError(code, message.replace(/: must\b/, ': should'), pointer);
}

function v1Pointer(v2: string, operator?: V1Operator): string {
  const condition = /^\/conditions\/\d+(\/.*)?$/.exec(v2);
  if (condition) {
    const field = condition[1] ?? '';
    if (operator === 'H_REGEX') return field === '/key' ? '/match/header/key' : field === '/value' ? '/match/header/value' : '/match';
    return field === '/value' ? '/match/value' : '/match';
  }
  const response = /^\/action\/responses(?:\/(\d+)(\/.*)?)?$/.exec(v2);
  if (response) {
    if (response[1] === undefined) return '/sendRandom';
    const field = response[2] ?? '';
    return field === '/delay' ? `/sendRandom/${response[1]}/delay` : `/sendRandom/${response[1]}/send${field}`;
  }
  if (v2 === '/action/delay') return '/delay';
  if (v2.startsWith('/action')) return `/send${v2.slice('/action'.length)}`;
  return v2;
}

const OPERATOR_OF: Record<string, V1Operator> = {
  'path:starts_with': 'SW', 'path:contains': 'CO', 'path:equals': 'EM', 'path:regex': 'REGEX',
  'body:contains': 'B_CO', 'body:regex': 'B_REGEX', 'header:regex': 'H_REGEX',
};

interface HeaderItem { key: string; value: string; templated?: boolean }

/** v1 headers are an object of plain values: repeated names and templated header values have no v1 form. */
function headerObject(headers: readonly HeaderItem[]): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const { key, value, templated } of headers) {
    if (templated === true) return undefined;
    if (Object.keys(out).some((k) => k.toLowerCase() === key.toLowerCase())) return undefined;
    out[key] = value;
  }
  return out;
}

function toSend(r: { status: number; headers: HeaderItem[]; body?: string; templated?: boolean }): V1Send | undefined {
  const headers = headerObject(r.headers);
  if (headers === undefined || r.body === undefined) return undefined;
  return { status: r.status, body: r.body, headers, templated: r.templated ?? false };
}

/** The v1 form of a rule, or undefined when v1 cannot express it (several conditions, other types, duplicate headers…). */
export function toV1(rule: StoredRule): V1Rule | undefined {
  if (rule.conditions.length !== 1) return undefined;
  const c = rule.conditions[0] as { type: string; operator?: string; key?: string; value?: string };
  const operator = OPERATOR_OF[`${c.type}:${c.operator}`];
  if (operator === undefined) return undefined;
  const match: V1Rule['match'] = operator === 'H_REGEX'
    ? { method: rule.method, operator, value: '', header: { key: c.key ?? '', value: c.value ?? '' } }
    : { method: rule.method, operator, value: c.value ?? '' };
  const out: V1Rule = { enabled: rule.enabled, mock: rule.mock !== false, delay: 0, match };
  if (rule.action.type === 'mock') {
    const a = rule.action as unknown as { status: number; headers: HeaderItem[]; body?: string; templated?: boolean; delay?: number };
    const send = toSend(a);
    if (send === undefined) return undefined;
    out.delay = a.delay ?? 0;
    out.send = send;
  } else if (rule.action.type === 'weighted') {
    const a = rule.action as unknown as { responses: Array<{ name: string; weight: number; delay?: number; status: number; headers: HeaderItem[]; body: string; templated?: boolean }> };
    const sendRandom: NonNullable<V1Rule['sendRandom']> = [];
    for (const r of a.responses) {
      const send = toSend(r);
      if (send === undefined) return undefined;
      sendRandom.push({ weight: r.weight, name: r.name, delay: r.delay ?? 0, send });
    }
    out.sendType = 'sendRandom';
    out.sendRandom = sendRandom;
  } else {
    return undefined;
  }
  out.id = rule.id;
  if (rule.description !== undefined) out.description = rule.description;
  return out;
}
