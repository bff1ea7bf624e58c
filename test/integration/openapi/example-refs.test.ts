// Examples written as GitHub's REST description writes them — `value: {$ref: '#/components/examples/…'}` — answer
// with the referenced example's value, not with the `$ref` object itself.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { settleJob, uploadSpec } from '../../helpers/specs.js';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

const SPEC = JSON.stringify({
  openapi: '3.0.3',
  info: { title: 'issues', version: '1' },
  paths: {
    '/issues/{n}': {
      get: {
        parameters: [{ name: 'n', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: {
          200: {
            description: 'an issue',
            content: { 'application/json': {
              schema: { $ref: '#/components/schemas/issue' },
              examples: { default: { summary: 'Issue', value: { $ref: '#/components/examples/issue' } } },
            } },
          },
        },
      },
    },
  },
  components: {
    schemas: { issue: { type: 'object', properties: { id: { type: 'integer' }, title: { type: 'string' } } } },
    examples: { issue: { value: { id: 1347, title: 'Found a bug' } } },
  },
});

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
  const job = await settleJob(mg, 'gh', (await uploadSpec(mg, 'gh', 'issues.json', SPEC)).jobId);
  expect(job.status, job.message).toBe('COMPLETED');
});
afterAll(() => mg.close());

it('follows an example value that is only a $ref to the Example Object it names', async () => {
  const res = await fetch(`${mg.url}/e/gh/issues/1347`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ id: 1347, title: 'Found a bug' });
});
