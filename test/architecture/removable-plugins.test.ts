// A protocol or feature plugin can be removed by deleting its folder and its line in builtin-plugins.ts: the rest of
// mockgate loads and serves without it, and its rule types are then refused by name.
import { describe, expect, it } from 'vitest';
import { BUILTIN_PLUGINS } from '../../core/plugins/builtin-plugins.js';
import { createRegistry } from '../../core/plugins/registry.js';
import { startMockgate } from '../helpers/start-mockgate.js';

const OPTIONAL = ['openapi', 'graphql', 'soap', 'grpc', 'callout', 'proxy', 'chaos'];

describe('optional built-in plugins', () => {
  it.each(OPTIONAL)('the others load without %s', async (name) => {
    const registry = await createRegistry(BUILTIN_PLUGINS.filter((p) => p.name !== name));
    expect(registry.plugins.map((p) => p.name)).not.toContain(name);
    expect(registry.plugins.length).toBe(BUILTIN_PLUGINS.length - 1);
  });

  it('a server without all of them serves rules and templates, and refuses their rule types', async () => {
    const mg = await startMockgate({ plugins: BUILTIN_PLUGINS.filter((p) => !OPTIONAL.includes(p.name)) });
    try {
      const created = await mg.api.post('/api/v2/endpoints/lean/rules', {
        enabled: true, method: 'GET', conditions: [{ type: 'path', operator: 'template', value: '/users/:id' }],
        action: { type: 'mock', status: 200, headers: [], body: "user {{pathParam 'id'}}", templated: true },
      });
      expect(created.status).toBe(201);
      expect(await (await fetch(`${mg.url}/e/lean/users/7`)).text()).toBe('user 7');
      const refused = await mg.api.post('/api/v2/endpoints/lean/rules', {
        enabled: true, method: 'POST', conditions: [{ type: 'graphql', operator: 'equals', value: 'GetUser' }],
        action: { type: 'fault', fault: 'empty_reply' },
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error.parameter).toBe('/conditions/0/type');
      // no plugin left to import a spec: the upload is a job that failed, saying so
      const form = new FormData();
      form.set('file', new Blob(['openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths: {}\n']), 'api.yaml');
      const job = await (await fetch(`${mg.url}/api/v2/endpoints/lean/specs`, { method: 'POST', body: form })).json() as any;
      expect(job).toMatchObject({ status: 'FAILED', message: '"api.yaml" is not a specification of a known kind (no importer is loaded)' });
    } finally {
      await mg.close();
    }
  });
});
