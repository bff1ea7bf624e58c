// Rule JSON → validated RuleBody → CompiledRule (closures). Runs when a rule is written, never per request.
import type { IndexHint, Logger, Matcher, MockRequest, MatchContext, Responder } from '../contract.js';
import { validationError } from '../errors.js';
import type { Registry } from '../plugins/registry.js';
import { assertValid, compileSchema, type ErrorStyle } from '../validation.js';
import { createCompileContext, type BlobLookup } from './compile-context.js';
import { ruleSchema, type RuleBody, type StoredRule } from './rule-model.js';

export interface CompiledRule {
  readonly id: string;
  readonly enabled: boolean;
  /** Upper-case method or '*'. */
  readonly method: string;
  readonly needsBody: boolean;
  readonly hint: IndexHint;
  readonly matches: Matcher;
  readonly respond: Responder;
  /** v1 `mock: false`: the action runs (its delay, its choices) but the fallback chain answers. */
  readonly passThrough: boolean;
  /** Paths of the endpoint's blobs it serves (through `cx.blob`). */
  readonly blobs: readonly string[];
}

const validateEnvelope = compileSchema(ruleSchema);

/**
 * Checks a whole rule: the envelope, then each condition and the action against the schema of the plugin owning
 * its type. Pointers are prefixed with `prefix` (e.g. `/rules/3`). Returns the normalised body (no id).
 */
export function validateRule(input: unknown, registry: Registry, style: ErrorStyle): RuleBody {
  const prefix = style.prefix ?? '';
  assertValid(validateEnvelope, input, style);
  const rule = input as RuleBody & { id?: string };
  rule.conditions.forEach((condition, i) => {
    const registered = registry.condition(condition.type);
    if (!registered) {
      throw validationError(`${prefix}/conditions/${i}/type`,
        `unknown condition type "${condition.type}"; known: ${registry.conditionTypes.join(', ')}`);
    }
    assertValid(registered.validate, condition, { ...style, prefix: `${prefix}/conditions/${i}` });
  });
  const action = registry.action(rule.action.type);
  if (!action) {
    throw validationError(`${prefix}/action/type`, `unknown action type "${rule.action.type}"; known: ${registry.actionTypes.join(', ')}`);
  }
  assertValid(action.validate, rule.action, { ...style, prefix: `${prefix}/action` });
  const body: RuleBody = { enabled: rule.enabled, method: rule.method ?? '*', conditions: rule.conditions, action: rule.action };
  if (rule.description !== undefined) body.description = rule.description;
  if (rule.mock === false) body.mock = false;
  return body;
}

/**
 * Compiles a validated rule. Compile-time failures (bad regex, weights, unknown blob, …) are validation errors under
 * `prefix`. `findBlob` looks the endpoint's blobs up; without it the rule may use none.
 */
export function compileRule(rule: StoredRule, registry: Registry, log: Logger, prefix = '', findBlob?: BlobLookup): CompiledRule {
  const used = new Set<string>();
  const blobs: BlobLookup | undefined = findBlob && ((path) => {
    const ref = findBlob(path);
    if (ref !== undefined) used.add(ref.path);
    return ref;
  });
  const context = (pointer: string) => createCompileContext(pointer, log, registry.templates, blobs);
  const matchers: Matcher[] = [];
  let needsBody = false;
  const hint: { exactPath?: string; segments?: readonly string[] } = {};
  rule.conditions.forEach((condition, i) => {
    const { type } = registry.condition(condition.type) ?? unknownType(`${prefix}/conditions/${i}/type`, condition.type);
    matchers.push(type.compile(condition, context(`${prefix}/conditions/${i}`)));
    needsBody ||= type.needs?.includes('body') === true;
    const h = type.hint?.(condition);
    if (h?.exactPath !== undefined) hint.exactPath ??= h.exactPath;
    // of several segment hints, the longest says the most (they all hold, since every condition must match)
    if (h?.segments !== undefined && h.segments.length > (hint.segments?.length ?? 0)) hint.segments = h.segments;
  });
  const action = registry.action(rule.action.type) ?? unknownType(`${prefix}/action/type`, rule.action.type);
  const respond = action.type.compile(rule.action, context(`${prefix}/action`));
  return {
    id: rule.id,
    enabled: rule.enabled,
    method: rule.method,
    needsBody,
    hint,
    matches: allOf(matchers),
    respond,
    passThrough: rule.mock === false,
    blobs: [...used],
  };
}

function unknownType(pointer: string, type: string): never {
  throw validationError(pointer, `type "${type}" is not provided by any loaded plugin`);
}

function allOf(matchers: readonly Matcher[]): Matcher {
  const [a, b] = matchers;
  if (matchers.length === 1) return a!;
  if (matchers.length === 2) return (req, ctx) => a!(req, ctx) && b!(req, ctx);
  return (req: MockRequest, ctx: MatchContext) => {
    for (const m of matchers) if (!m(req, ctx)) return false;
    return true;
  };
}
