// The rule and settings examples of Beeceptor's OpenAPI document (a copy in test/fixtures) are accepted as written and
// read back unchanged: our schemas are written from that document, and this keeps them honest.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../helpers/start-mockgate.js';

type Json = Record<string, any>;
const doc = parse(readFileSync(new URL('../fixtures/beeceptor-openapi-v2.yaml', import.meta.url), 'utf8')) as Json;
const example = (path: string, method: string, status: string): Json =>
  doc.paths[path][method].responses[status].content['application/json'].example;

/** Every rule example the document gives, from the list, create, read and update operations. */
const ruleExamples: Json[] = [
  ...example('/v2/endpoints/{endpoint}/rules', 'get', '200').data,
  example('/v2/endpoints/{endpoint}/rules', 'post', '201'),
  example('/v2/endpoints/{endpoint}/rules/{ruleId}', 'get', '200'),
  example('/v2/endpoints/{endpoint}/rules/{ruleId}', 'put', '200'),
  example('/v2/endpoints/{endpoint}/rules/{ruleId}', 'patch', '200'),
];

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(() => mg.close());

describe("the OpenAPI document's examples", () => {
  it.each(ruleExamples.map((r, i) => [i, r] as const))('rule example %i is accepted and read back as written', async (i, { id: _id, ...rule }) => {
    const created = await mg.api.post(`/api/v2/endpoints/doc${i}/rules`, rule);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { id, ...stored } = created.body;
    expect(stored).toEqual(rule);
    expect((await mg.api.get(`/api/v2/endpoints/doc${i}/rules/${id}`)).body).toEqual(created.body);
  });

  it('the settings example is accepted and read back', async () => {
    const settings = example('/v2/endpoints/{endpoint}/settings', 'get', '200');
    const res = await mg.api.patch('/api/v2/endpoints/docsettings/settings', settings);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject(settings);
  });

  it('the conditions and actions the document defines are each registered by a plugin', async () => {
    const conditionTypes = Object.keys(doc.components.schemas.Condition.discriminator.mapping);
    const actionTypes = Object.keys(doc.components.schemas.Action.discriminator.mapping);
    const { registry } = mg.mockgate;
    for (const t of conditionTypes) expect(registry.conditionTypes, t).toContain(t);
    for (const t of actionTypes) expect(registry.actionTypes, t).toContain(t);
  });
});
