// Documents that are not valid specs fail their job with the parser's or validator's message and location, and the
// spec the endpoint served before keeps answering; spec bombs end fast, cyclic schemas import.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSpec, settleJob, uploadSpec } from '../../helpers/openapi.js';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;

beforeAll(async () => {
  mg = await startMockgate();
  await importSpec(mg, 'shop', 'petstore-v2.json');
  await mg.api.patch('/api/v2/endpoints/shop/settings', { specs: { validateRequests: false } });
}, 60_000);
afterAll(() => mg?.close());

/** A 3.0 document with these paths (YAML, indented under `paths:`) and components. */
const doc = (paths: string, components = '') =>
  `openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n${paths}${components === '' ? '' : `components:\n  schemas:\n${components}`}`;
const answering = (ref: string) =>
  `  /x:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '${ref}'\n`;

async function importFails(name: string, text: string): Promise<any> {
  const { jobId } = await uploadSpec(mg, 'shop', name, text);
  const job = await settleJob(mg, 'shop', jobId);
  expect(job.status).toBe('FAILED');
  expect(Date.parse(job.failedAt)).not.toBeNaN();
  // what the endpoint served before still answers
  expect((await fetch(`${mg.url}/e/shop/v2/pet/7`)).status).toBe(200);
  return job;
}

describe('documents that fail to import', () => {
  it('a $ref to nothing: names the reference, where it is, and what is missing', async () => {
    const job = await importFails('broken.yaml', doc(answering('#/components/schemas/Nope'), '    Pet:\n      type: object\n'));
    expect(job.message).toBe('$ref "#/components/schemas/Nope" at /paths/~1x/get/responses/200/content/application~1json/schema ' +
      'does not resolve: #/components/schemas has no "Nope"');
  });

  it('an invalid OpenAPI document: the validator\'s message, with the JSON pointer of the problem', async () => {
    const job = await importFails('invalid.yaml', doc('  /pets:\n    get:\n      summary: no responses\n'));
    expect(job.message).toContain('invalid.yaml is not a valid OpenAPI document: Swagger schema validation failed: ');
    expect(job.message).toContain("#/paths/~1pets/get must have required property 'responses'");
    const swagger = await importFails('swagger.json', '{"swagger": "2.0", "paths": {}}');
    expect(swagger.message).toContain("#/ must have required property 'info'");
    const version = await importFails('future.yaml', "openapi: 4.0.0\ninfo:\n  title: t\n  version: '1'\npaths: {}\n");
    expect(version.message).toContain('Unsupported OpenAPI version: 4.0.0');
  });

  it('YAML and JSON that do not parse: the line and column', async () => {
    expect((await importFails('bad.yaml', "openapi: 3.0.3\ninfo:\n  title: t\n   version: '1'\n")).message)
      .toMatch(/^bad\.yaml: the YAML does not parse at line 3, column \d+: /);
    expect((await importFails('bad.json', '{"openapi": "3.0.3",\n "info": {"title": "t",}}')).message)
      .toMatch(/^bad\.json: the JSON does not parse: .*line 2, column \d+/);
  });

  it('an external $ref: refused, nothing read from disk or network', async () => {
    const job = await importFails('external.yaml', doc(answering('./pet.yaml#/Pet')));
    expect(job.message).toContain('$ref "./pet.yaml#/Pet" at /paths/~1x/get/responses/200/content/application~1json/schema points outside the document');
  });

  it('something that is not a spec of any known kind: no type, FAILED', async () => {
    const { jobId, type } = await uploadSpec(mg, 'shop', 'notes.txt', 'just some notes');
    expect(type).toBeUndefined();
    expect((await settleJob(mg, 'shop', jobId)).message).toMatch(/^"notes\.txt" is not a specification of a known kind \(.*openapi.*\)$/);
  });
});

describe('spec bombs and cycles', () => {
  it('a $ref bomb (each schema twice the one below, 40 deep) fails fast', async () => {
    let schemas = '    L0:\n      type: string\n';
    for (let i = 1; i <= 40; i++) {
      schemas += `    L${i}:\n      type: object\n      properties:\n        a:\n          $ref: '#/components/schemas/L${i - 1}'\n        b:\n          $ref: '#/components/schemas/L${i - 1}'\n`;
    }
    const started = Date.now();
    const job = await importFails('bomb.yaml', doc(answering('#/components/schemas/L40'), schemas));
    expect(job.message).toMatch(/^the document's \$refs expand to more than 20,000,000 values \(a \$ref bomb\?\)/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a schema whose smallest value is too large to generate fails at import, naming the operation', async () => {
    let schemas = '    L0:\n      type: integer\n';
    for (let i = 1; i <= 6; i++) schemas += `    L${i}:\n      type: array\n      minItems: 10\n      items:\n        $ref: '#/components/schemas/L${i - 1}'\n`;
    const job = await importFails('wide.yaml', doc(answering('#/components/schemas/L6'), schemas));
    expect(job.message).toBe('wide.yaml: GET /x: generating the value took more than 50,000 steps: the schema expands too far');
  });

  it('schemas that require each other in a cycle import, and answer', async () => {
    const schemas = '    A:\n      type: object\n      required: [b]\n      properties:\n        b:\n          $ref: \'#/components/schemas/B\'\n' +
      '    B:\n      type: object\n      required: [a]\n      properties:\n        a:\n          $ref: \'#/components/schemas/A\'\n';
    const { jobId } = await uploadSpec(mg, 'cycle', 'cycle.yaml', doc(answering('#/components/schemas/A'), schemas));
    expect((await settleJob(mg, 'cycle', jobId)).status).toBe('COMPLETED');
    const res = await fetch(`${mg.url}/e/cycle/x`);
    expect(res.status).toBe(200);
    expect(JSON.stringify(await res.json())).toMatch(/^\{"b":\{"a":\{"b":/);
  });
});
