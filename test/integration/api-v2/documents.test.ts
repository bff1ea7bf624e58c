// Documents a plugin lets an endpoint hold: uploaded raw, checked by the plugin, stored, read by its fallback step,
// kept across restarts, removed with the endpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_PLUGINS } from '../../../core/plugins/builtin-plugins.js';
import { createRegistry } from '../../../core/plugins/registry.js';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import notes from '../../fixtures/plugins/document-plugin.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate({ plugins: [...BUILTIN_PLUGINS, notes] });
});
afterAll(() => mg.close());

const url = (endpoint: string) => `/api/v2/endpoints/${endpoint}/notes/text`;
const put = (endpoint: string, text: string | Buffer, type = 'text/plain; charset=utf-8') =>
  mg.api.send('PUT', url(endpoint), text, { 'content-type': type });

describe('endpoint documents', () => {
  it('PUT stores the raw text (201, then 200 when replaced), GET reads it, the fallback step serves it', async () => {
    expect(await put('d1', 'hello\n{"not": "json"}')).toMatchObject({ status: 201, body: { path: 'notes/text', size: 21 } });
    const got = await fetch(`${mg.url}${url('d1')}`);
    expect(got.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await got.text()).toBe('hello\n{"not": "json"}');
    expect(await (await fetch(`${mg.url}/e/d1/anything`)).text()).toBe('note: hello\n{"not": "json"}');
    expect(await put('d1', 'second', 'text/markdown')).toMatchObject({ status: 200 });
    expect(await (await fetch(`${mg.url}/e/d1/x`)).text()).toBe('note: second');
  });

  it('refuses another content type, an empty document and what the plugin refuses — and keeps the old one', async () => {
    await put('d2', 'kept');
    const wrongType = await put('d2', 'x', 'application/json');
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error).toMatchObject({ code: 'validation_error', parameter: 'Content-Type' });
    expect((await put('d2', '   ')).status).toBe(400);
    const refused = await put('d2', 'this is FORBIDDEN');
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('may not say FORBIDDEN');
    expect(await (await fetch(`${mg.url}/e/d2/x`)).text()).toBe('note: kept');
  });

  it('refuses a document over 10 MB with 413', async () => {
    const res = await put('d3', Buffer.alloc(10 * 1024 * 1024 + 1, 'a'));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('DELETE removes it (then 404), and the fallback step stops answering', async () => {
    await put('d4', 'bye');
    expect(await mg.api.delete(url('d4'))).toMatchObject({ status: 200, body: { path: 'notes/text', deleted: true } });
    expect((await mg.api.delete(url('d4'))).status).toBe(404);
    expect((await mg.api.get(url('d4'))).status).toBe(404);
    expect(await (await fetch(`${mg.url}/e/d4/x`)).text()).toMatch(/^mockgate: no rule/);
  });

  it('survives a restart, and goes with its endpoint', async () => {
    const first = await startMockgate({ plugins: [...BUILTIN_PLUGINS, notes] });
    await first.api.send('PUT', url('keep'), 'persisted', { 'content-type': 'text/plain' });
    await first.api.send('PUT', url('gone'), 'removed', { 'content-type': 'text/plain' });
    await first.api.delete('/api/v2/endpoints/gone');
    await first.close({ removeData: false });
    const second = await startMockgate({ plugins: [...BUILTIN_PLUGINS, notes], dataDir: first.dataDir });
    try {
      expect(await (await fetch(`${second.url}/e/keep/x`)).text()).toBe('note: persisted');
      expect((await second.api.get(url('gone'))).status).toBe(404);
    } finally {
      await second.close();
    }
  });

  it('two plugins may not claim one document path', async () => {
    const copy = { ...notes, name: 'notes-copy', fallbacks: [] };
    await expect(createRegistry([...BUILTIN_PLUGINS, notes, copy])).rejects.toThrow(/document path "notes\/text" is already registered by plugin "notes"/);
  });
});
