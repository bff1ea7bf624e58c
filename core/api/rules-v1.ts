// The v1 rules API (rules v1 seed): /api/v1/endpoints/{endpoint}/rules… over the same stored rules as v2.
import { Router } from 'express';
import type { Endpoints } from '../endpoints/endpoints.js';
import { MockgateError } from '../errors.js';
import { newId } from '../ids.js';
import type { Registry } from '../plugins/registry.js';
import { MAX_RULES, type StoredRule } from '../rules/rule-model.js';
import { fromV1, toV1, toV1Error, type V1Operator } from '../rules/v1-view.js';
import { v1EndpointParam } from './params.js';

const noRule = (): MockgateError => new MockgateError('no_rule_found', 'Rule not found with given id');

export function rulesV1Router(endpoints: Endpoints, registry: Registry): Router {
  const router = Router();
  const base = '/api/v1/endpoints/:endpoint/rules';
  const rulesOf = (name: string): readonly StoredRule[] => endpoints.get(name)?.rules ?? [];

  const store = (name: string, rules: readonly StoredRule[], operator: V1Operator): void => {
    try {
      endpoints.setRules(name, rules);
    } catch (err) {
      throw toV1Error(err, operator);
    }
  };

  const v1Of = (rule: StoredRule) => {
    const v1 = toV1(rule);
    if (v1 === undefined) {
      throw new MockgateError('bad_request', `rule "${rule.id}" uses features the v1 format cannot express; read it with /api/v2`);
    }
    return v1;
  };

  router.get(base, (req, res) => {
    res.json({ data: rulesOf(v1EndpointParam(req)).map(toV1).filter((r) => r !== undefined) });
  });

  router.post([base, `${base}/`], (req, res) => {
    const name = v1EndpointParam(req);
    const { body, operator } = fromV1(req.body, registry);
    const rule: StoredRule = { id: newId(), ...body };
    const rules = rulesOf(name);
    if (rules.length >= MAX_RULES) throw new MockgateError('bad_request', `an endpoint holds at most ${MAX_RULES} rules`);
    const view = v1Of(rule); // before storing: a rule v1 could not show back is refused, not stored
    store(name, [...rules, rule], operator);
    res.json({ data: view });
  });

  router.delete(base, (req, res) => {
    const name = v1EndpointParam(req);
    const count = rulesOf(name).length;
    if (endpoints.get(name)) endpoints.setRules(name, []);
    res.json({ data: { rulesDeleted: count } });
  });

  router.get(`${base}/:id`, (req, res) => {
    const rule = rulesOf(v1EndpointParam(req)).find((r) => r.id === req.params['id']);
    if (!rule) throw noRule();
    res.json({ data: [v1Of(rule)] });
  });

  router.put(`${base}/:id`, (req, res) => {
    const name = v1EndpointParam(req);
    const rules = [...rulesOf(name)];
    const index = rules.findIndex((r) => r.id === req.params['id']);
    if (index === -1) throw noRule();
    const { body, operator } = fromV1(req.body, registry);
    const rule: StoredRule = { id: rules[index]!.id, ...body };
    const view = v1Of(rule);
    rules[index] = rule;
    store(name, rules, operator);
    res.json({ data: view });
  });

  router.delete(`${base}/:id`, (req, res) => {
    const name = v1EndpointParam(req);
    const rules = rulesOf(name);
    if (!rules.some((r) => r.id === req.params['id'])) throw noRule();
    endpoints.setRules(name, rules.filter((r) => r.id !== req.params['id']));
    res.json({ data: { rulesDeleted: 1 } });
  });

  return router;
}
