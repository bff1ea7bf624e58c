// A large real schema: GitHub's public GraphQL SDL (about 1.4 MB) uploads as a spec in seconds and answers queries
// across its connections, unions and interfaces.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

// the package exports only its JS entry: the SDL is read from its folder
const sdlPath = fileURLToPath(new URL('../../../node_modules/@octokit/graphql-schema/schema.graphql', import.meta.url));

let mg: RunningMockgate;
let importMs: number;
beforeAll(async () => {
  mg = await startMockgate();
  const form = new FormData();
  form.set('file', new Blob([readFileSync(sdlPath)]), 'github.graphql');
  const started = performance.now();
  const accepted = await fetch(`${mg.url}/api/v2/endpoints/gh/specs`, { method: 'POST', body: form });
  const { jobId } = await accepted.json() as { jobId: string };
  let job: any;
  do {
    await new Promise((r) => setTimeout(r, 50));
    job = (await mg.api.get(`/api/v2/endpoints/gh/jobs/${jobId}`)).body;
  } while (job.status === 'QUEUED' || job.status === 'PROCESSING');
  importMs = performance.now() - started;
  expect(job.status, job.message).toBe('COMPLETED');
}, 60_000);
afterAll(() => mg.close());

const ask = async (query: string, variables?: object) => {
  const res = await fetch(`${mg.url}/e/gh/graphql`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: await res.json() as { data?: any; errors?: Array<{ message: string }> } };
};

describe("GitHub's GraphQL schema", () => {
  it('imports in seconds and lists its root fields as operations', async () => {
    expect(importMs).toBeLessThan(30_000);
    const spec = (await mg.api.get('/api/v2/endpoints/gh/specs')).body.data;
    expect(spec.type).toBe('graphql');
    expect(spec.operations).toEqual(expect.arrayContaining(['query viewer', 'query repository', 'mutation createIssue']));
  });

  it('answers a query through connections, interfaces and unions with values of the requested types', async () => {
    const started = performance.now();
    const { status, body } = await ask(`query Repo($owner: String!, $name: String!) {
      viewer { login repositories(first: 3) { totalCount nodes { name stargazerCount isPrivate owner { __typename login } } } }
      repository(owner: $owner, name: $name) {
        issues(first: 2, states: OPEN) { nodes { number title state author { login } labels(first: 2) { nodes { name color } } } }
        object(expression: "main") { __typename ... on Commit { oid messageHeadline } }
      }
    }`, { owner: 'octo', name: 'hello' });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const { viewer, repository } = body.data;
    expect(typeof viewer.login).toBe('string');
    expect(Number.isInteger(viewer.repositories.totalCount)).toBe(true);
    for (const repo of viewer.repositories.nodes) {
      expect(typeof repo.name).toBe('string');
      expect(typeof repo.isPrivate).toBe('boolean');
      expect(['User', 'Organization']).toContain(repo.owner.__typename);
    }
    for (const issue of repository.issues.nodes) expect(['OPEN', 'CLOSED']).toContain(issue.state);
    if (repository.object !== null) expect(['Commit', 'Tree', 'Blob', 'Tag']).toContain(repository.object.__typename);
  });

  it('refuses a field GitHub does not have, in GraphQL\'s error format', async () => {
    const { body } = await ask('{ viewer { login favouriteColour } }');
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.message).toMatch(/Cannot query field "favouriteColour" on type "User"/);
  });
});
