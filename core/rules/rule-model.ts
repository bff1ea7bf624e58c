// The canonical rule (v2 `Rule` of the OpenAPI document) as stored, and its core JSON schema.

export const RULE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', '*'] as const;
export type RuleMethod = (typeof RULE_METHODS)[number];

export const MAX_RULES = 500;
export const MAX_CONDITIONS = 5;

export interface RuleBody {
  enabled: boolean;
  method: RuleMethod;
  description?: string;
  conditions: Array<{ type: string; [field: string]: unknown }>;
  action: { type: string; [field: string]: unknown };
  /** v1's `mock: false`: the rule matches and waits its delay, then the fallback chain answers. Omitted when true. */
  mock?: false;
}

export interface StoredRule extends RuleBody {
  id: string;
}

const ruleProperties = {
  // accepted so a rule read back from GET can be sent again; ids are always generated (never taken from input)
  id: { type: 'string' },
  enabled: { type: 'boolean' },
  method: { enum: RULE_METHODS },
  description: { type: 'string', maxLength: 1024 },
  conditions: {
    type: 'array',
    minItems: 1,
    maxItems: MAX_CONDITIONS,
    items: { type: 'object', required: ['type'], properties: { type: { type: 'string' } } },
  },
  action: { type: 'object', required: ['type'], properties: { type: { type: 'string' } } },
  mock: { type: 'boolean' },
} as const;

/** The envelope of a rule; each condition and the action are then checked by the schema of the plugin that owns its type. */
export const ruleSchema = {
  type: 'object',
  required: ['enabled', 'conditions', 'action'],
  additionalProperties: false,
  properties: ruleProperties,
} as const;

/** PATCH: any subset of the top-level fields. */
export const rulePatchSchema = {
  type: 'object',
  additionalProperties: false,
  properties: ruleProperties,
} as const;
