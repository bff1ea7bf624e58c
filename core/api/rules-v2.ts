// The v2 rules API: /api/v2/endpoints/{endpoint}/rules… with the paths, bodies and shapes of the OpenAPI document.
import { Router } from 'express';
import type { Endpoints } from '../endpoints/endpoints.js';
import { MockgateError, notFound, validationError } from '../errors.js';
import { newId } from '../ids.js';
import type { Registry } from '../plugins/registry.js';
import { validateRule } from '../rules/compile-rules.js';
import { MAX_RULES, rulePatchSchema, type StoredRule } from '../rules/rule-model.js';
import { assertValid, compileSchema } from '../validation.js';
import { endpointParam } from './params.js';

const V2 = { code: 'validation_error' } as const;

const validateBulk = compileSchema({
  type: 'object',
  required: ['rules'],
  additionalProperties: false,
  properties: { rules: { type: 'array', maxItems: MAX_RULES } },
});
const validateReorder = compileSchema({
  type: 'object',
  required: ['order'],
  additionalProperties: false,
  properties: { order: { type: 'array', items: { type: 'string' }, uniqueItems: true, maxItems: MAX_RULES } },
});
const validatePatch = compileSchema(rulePatchSchema);

/** A rule as the API shows it: id first, then the body fields. */
export function ruleView(rule: StoredRule): StoredRule {
  const { id, ...body } = rule;
  return { id, ...body };
}

export function rulesV2Router(endpoints: Endpoints, registry: Registry): Router {
  const router = Router();
  const base = '/api/v2/endpoints/:endpoint/rules';

  const rulesOf = (name: string): readonly StoredRule[] => endpoints.get(name)?.rules ?? [];
  const indexOf = (rules: readonly StoredRule[], id: string): number => {
    const i = rules.findIndex((r) => r.id === id);
    if (i === -1) throw notFound(`rule "${id}" does not exist`);
    return i;
  };
  const replaceAt = (name: string, index: number, rule: StoredRule): void => {
    const rules = [...rulesOf(name)];
    rules[index] = rule;
    endpoints.setRules(name, rules, (i) => (i === index ? '' : `/rules/${i}`));
  };

  router.get(base, (req, res) => {
    res.json({ data: rulesOf(endpointParam(req)).map(ruleView) });
  });

  router.post(base, (req, res) => {
    const name = endpointParam(req);
    const rule: StoredRule = { id: newId(), ...validateRule(req.body, registry, V2) };
    const rules = rulesOf(name);
    if (rules.length >= MAX_RULES) throw validationError('/', `an endpoint holds at most ${MAX_RULES} rules`);
    endpoints.setRules(name, [...rules, rule], (i) => (i === rules.length ? '' : `/rules/${i}`));
    res.status(201).json(ruleView(rule));
  });

  router.put(base, (req, res) => {
    const name = endpointParam(req);
    assertValid(validateBulk, req.body, V2);
    const input = (req.body as { rules: unknown[] }).rules;
    const rules = input.map((r, i): StoredRule => ({ id: newId(), ...validateRule(r, registry, { ...V2, prefix: `/rules/${i}` }) }));
    endpoints.setRules(name, rules, (i) => `/rules/${i}`);
    res.json({ replaced: rules.length });
  });

  router.delete(base, (req, res) => {
    const name = endpointParam(req);
    const count = rulesOf(name).length;
    if (endpoints.get(name)) endpoints.setRules(name, []);
    res.json({ deleted: true, count });
  });

  router.post(`${base}/reorder`, (req, res) => {
    const name = endpointParam(req);
    assertValid(validateReorder, req.body, V2);
    const order = (req.body as { order: string[] }).order;
    const rules = rulesOf(name);
    const byId = new Map(rules.map((r) => [r.id, r]));
    const unknown = order.find((id) => !byId.has(id));
    if (unknown !== undefined) throw new MockgateError('not_found', `rule "${unknown}" does not exist; nothing was reordered`, '/order');
    // listed rules move to the top in the given order; the others keep their relative order after them
    const listed = new Set(order);
    const reordered = [...order.map((id) => byId.get(id)!), ...rules.filter((r) => !listed.has(r.id))];
    if (order.length > 0) endpoints.setRules(name, reordered);
    res.json({ data: { reordered: order.length } });
  });

  router.get(`${base}/:ruleId`, (req, res) => {
    const rules = rulesOf(endpointParam(req));
    res.json(ruleView(rules[indexOf(rules, String(req.params['ruleId']))]!));
  });

  router.put(`${base}/:ruleId`, (req, res) => {
    const name = endpointParam(req);
    const id = String(req.params['ruleId']);
    const index = indexOf(rulesOf(name), id);
    const rule: StoredRule = { id, ...validateRule(req.body, registry, V2) };
    replaceAt(name, index, rule);
    res.json(ruleView(rule));
  });

  router.patch(`${base}/:ruleId`, (req, res) => {
    const name = endpointParam(req);
    const id = String(req.params['ruleId']);
    const rules = rulesOf(name);
    const index = indexOf(rules, id);
    assertValid(validatePatch, req.body, V2);
    // top-level fields replace; conditions and action are replaced whole, never merged
    const merged: Record<string, unknown> = { ...rules[index]!, ...(req.body as object) };
    if ((req.body as { mock?: boolean }).mock === true) delete merged['mock'];
    const rule: StoredRule = { id, ...validateRule(merged, registry, V2) };
    replaceAt(name, index, rule);
    res.json(ruleView(rule));
  });

  router.delete(`${base}/:ruleId`, (req, res) => {
    const name = endpointParam(req);
    const id = String(req.params['ruleId']);
    const rules = rulesOf(name);
    const index = indexOf(rules, id);
    endpoints.setRules(name, rules.filter((_, i) => i !== index));
    res.json({ id, deleted: true });
  });

  return router;
}
