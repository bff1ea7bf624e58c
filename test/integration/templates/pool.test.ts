// The template pool as a user meets it: timeouts that cost only their own request, errors as 500 JSON (journaled),
// write-time rejection, escaping, templated headers and weighted responses, and no pool work for static responses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_PLUGINS } from '../../../core/plugins/builtin-plugins.js';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import runaway from '../../fixtures/plugins/runaway-plugin.js';
import { freshEndpoint, render, writeTemplate } from './template-harness.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate({ plugins: [...BUILTIN_PLUGINS, runaway], config: { templateTimeoutMs: 500, templatePoolSize: 2 } });
  await render(mg, 'warm'); // start the workers before timing anything
});
afterAll(() => mg.close());

const rule = (path: string, action: Record<string, unknown>) => ({
  enabled: true, method: '*', conditions: [{ type: 'path', operator: 'equals', value: path }], action,
});

async function timed(url: string, init?: RequestInit): Promise<{ status: number; text: string; ms: number }> {
  const started = performance.now();
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - started };
}

describe('a template that runs too long', () => {
  it('is cut off with a 500 template_timeout while other endpoints keep answering, and the pool recovers', async () => {
    const stuck = freshEndpoint();
    const other = freshEndpoint();
    await mg.api.post(`/api/v2/endpoints/${stuck}/rules`, rule('/spin', { type: 'mock', status: 200, headers: [], body: '{{spinForever}}', templated: true }));
    await mg.api.post(`/api/v2/endpoints/${other}/rules`, rule('/static', { type: 'mock', status: 200, headers: [], body: 'still here' }));
    await mg.api.post(`/api/v2/endpoints/${other}/rules`, rule('/tpl', { type: 'mock', status: 200, headers: [], body: 'hi {{queryParam "n"}}', templated: true }));
    const timeoutsBefore = mg.mockgate.templates.stats.timeouts;

    const runaway = timed(`${mg.url}/e/${stuck}/spin`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (let i = 0; i < 5; i++) {
      const answer = await timed(`${mg.url}/e/${other}/static`);
      expect(answer).toMatchObject({ status: 200, text: 'still here' });
      // blocked behind the runaway it would take until the cut-off, ≥ 450 ms from here
      expect(answer.ms).toBeLessThan(300);
    }
    // the second worker renders for other endpoints meanwhile
    expect(await timed(`${mg.url}/e/${other}/tpl?n=1`)).toMatchObject({ status: 200, text: 'hi 1' });

    const cut = await runaway;
    expect(cut.status).toBe(500);
    expect(JSON.parse(cut.text)).toEqual({ error: { code: 'template_timeout', message: expect.stringContaining('500 ms') } });
    expect(cut.ms).toBeGreaterThanOrEqual(450);
    expect(cut.ms).toBeLessThan(3000);
    expect(mg.mockgate.templates.stats.timeouts).toBe(timeoutsBefore + 1);

    const after = await Promise.all([1, 2, 3, 4].map((n) => timed(`${mg.url}/e/${other}/tpl?n=${n}`)));
    expect(after.map((a) => a.text)).toEqual(['hi 1', 'hi 2', 'hi 3', 'hi 4']);
  });

  it('with a single worker, renders queued behind a runaway are answered once it is cut off', async () => {
    const single = await startMockgate({ plugins: [...BUILTIN_PLUGINS, runaway], config: { templateTimeoutMs: 300, templatePoolSize: 1 } });
    try {
      await render(single, 'warm');
      const stuck = render(single, '{{spinForever}}');
      await new Promise((resolve) => setTimeout(resolve, 50));
      const behind = await Promise.all([1, 2, 3].map((n) => render(single, `n={{queryParam 'n'}}`, { url: `/t?n=${n}` })));
      expect(behind.map((r) => [r.status, r.text])).toEqual([[200, 'n=1'], [200, 'n=2'], [200, 'n=3']]);
      expect((await stuck).status).toBe(500);
      expect(single.mockgate.templates.stats.timeouts).toBe(1);
    } finally {
      await single.close();
    }
  });

  it('cuts off nested repeats that would run for minutes', async () => {
    const res = await render(mg, '{{#repeat 1000}}{{#repeat 1000}}{{#repeat 1000}}x{{/repeat}}{{/repeat}}{{/repeat}}');
    expect(res.status).toBe(500);
    expect(JSON.parse(res.text).error.code).toMatch(/^template_(timeout|error)$/);
  });
});

describe('a template that fails while rendering', () => {
  it('answers 500 template_error with the reason, and the journal records it', async () => {
    const endpoint = freshEndpoint();
    const res = await render(mg, 'before {{explode}} after', {}, endpoint);
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(res.text)).toEqual({ error: { code: 'template_error', message: expect.stringContaining('boom from a helper') } });
    let entries: Array<{ id: string }> = [];
    for (let i = 0; i < 50 && entries.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      entries = (await mg.api.get(`/api/v2/endpoints/${endpoint}/requests`)).body.data;
    }
    expect(entries).toHaveLength(1);
    const entry = (await mg.api.get(`/api/v2/endpoints/${endpoint}/requests/${entries[0]!.id}`)).body;
    expect(JSON.stringify(entry)).toContain('boom from a helper');
    expect(JSON.stringify(entry)).toMatch(/"status":500/);
  });

  it('answers 500 when a state helper is refused (a counter below 0) and leaves the state as it was', async () => {
    const endpoint = freshEndpoint();
    const res = await render(mg, "{{step-counter 'dec' 'stock'}}", {}, endpoint);
    expect(res.status).toBe(500);
    expect(JSON.parse(res.text).error).toMatchObject({ code: 'template_error', message: expect.stringContaining('negative') });
    expect((await mg.api.get(`/api/v2/endpoints/${endpoint}/state/counter/stock`)).status).toBe(404);
  });
});

describe('templates are checked when the rule is written', () => {
  it.each([
    ['a syntax error', '{{#if}}', /syntax error.*line 1/],
    ['an unclosed block', '{{#each items}}x', /syntax error/],
    ['an unknown helper', '{{nope 1 2}}', /unknown template helper "nope".*line 1, column 1/],
    ['an unknown helper in a sub-expression', '{{#if (nope)}}x{{/if}}', /unknown template helper "nope"/],
    ['a partial', '{{> header}}', /partials are not supported/],
    ['a decorator', '{{* deco}}', /decorators are not supported/],
    ['an unknown state operation', "{{step-counter 'explode' 'c'}}", /step-counter: unknown operation "explode"/],
    ['an unknown list operation', "{{list 'shuffle' 'l'}}", /list: unknown operation "shuffle"/],
    ['nesting deeper than 64 levels', `${'{{#if a}}'.repeat(70)}x${'{{/if}}'.repeat(70)}`, /nest deeper than 64/],
  ])('refuses %s with a 400 at /action/body and stores nothing', async (_, template, message) => {
    const endpoint = freshEndpoint();
    const res = await writeTemplate(mg, template, endpoint);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_error', parameter: '/action/body', message: expect.stringMatching(message) });
    expect((await mg.api.get(`/api/v2/endpoints/${endpoint}/rules`)).body.data ?? []).toEqual([]);
  });

  it('points at the templated header value and at the weighted response that is wrong', async () => {
    const endpoint = freshEndpoint();
    const header = await mg.api.post(`/api/v2/endpoints/${endpoint}/rules`, rule('/h', {
      type: 'mock', status: 200, body: 'x', headers: [{ key: 'a', value: 'b' }, { key: 'X-Id', value: '{{#if}}', templated: true }],
    }));
    expect(header.status).toBe(400);
    expect(header.body.error.parameter).toBe('/action/headers/1/value');
    const weighted = await mg.api.post(`/api/v2/endpoints/${endpoint}/rules`, rule('/w', {
      type: 'weighted', responses: [
        { name: 'a', weight: 50, status: 200, headers: [], body: 'fine {{queryParam "x"}}', templated: true },
        { name: 'b', weight: 50, status: 200, headers: [], body: '{{nope 1}}', templated: true },
      ],
    }));
    expect(weighted.status).toBe(400);
    expect(weighted.body.error.parameter).toBe('/action/responses/1/body');
  });

  it('keeps a broken template that is not marked templated as plain text', async () => {
    const endpoint = freshEndpoint();
    const created = await mg.api.post(`/api/v2/endpoints/${endpoint}/rules`, rule('/t', { type: 'mock', status: 200, headers: [], body: '{{#if}}' }));
    expect(created.status).toBe(201);
    expect(await (await fetch(`${mg.url}/e/${endpoint}/t`)).text()).toBe('{{#if}}');
  });
});

describe('rendering', () => {
  it('HTML-escapes {{ }} and leaves {{{ }}} raw, as Beeceptor does', async () => {
    const value = `<a href='x'>&"=\``;
    const res = await render(mg, "{{queryParam 'q'}}|{{{queryParam 'q'}}}", { url: `/t?q=${encodeURIComponent(value)}` });
    expect(res.text).toBe(`&lt;a href&#x3D;&#x27;x&#x27;&gt;&amp;&quot;&#x3D;&#x60;|${value}`);
  });

  it('renders templated header values and frames a multi-byte body correctly', async () => {
    const endpoint = freshEndpoint();
    await mg.api.post(`/api/v2/endpoints/${endpoint}/rules`, rule('/h', {
      type: 'mock', status: 201, body: 'héllo {{queryParam "id"}} ✓', templated: true,
      headers: [{ key: 'X-Id', value: 'id-{{queryParam "id"}}', templated: true }, { key: 'X-Static', value: '{{not rendered}}' }],
    }));
    const res = await fetch(`${mg.url}/e/${endpoint}/h?id=42`);
    expect(res.status).toBe(201);
    expect(res.headers.get('x-id')).toBe('id-42');
    expect(res.headers.get('x-static')).toBe('{{not rendered}}');
    const body = 'héllo 42 ✓';
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(body)));
    expect(await res.text()).toBe(body);
  });

  it('renders only the templated responses of a weighted rule', async () => {
    const endpoint = freshEndpoint();
    await mg.api.post(`/api/v2/endpoints/${endpoint}/rules`, rule('/w', {
      type: 'weighted', responses: [{ name: 'only', weight: 100, status: 200, headers: [], body: 'n={{queryParam "n"}}', templated: true }],
    }));
    expect(await (await fetch(`${mg.url}/e/${endpoint}/w?n=7`)).text()).toBe('n=7');
  });

  it('waits the delay, then renders', async () => {
    const endpoint = freshEndpoint();
    await mg.api.post(`/api/v2/endpoints/${endpoint}/rules`, rule('/d', { type: 'mock', status: 200, headers: [], body: '{{method}}', templated: true, delay: 200 }));
    const answer = await timed(`${mg.url}/e/${endpoint}/d`);
    expect(answer.text).toBe('GET');
    expect(answer.ms).toBeGreaterThanOrEqual(190);
  });

  it('never sends a response that is not templated to the pool', async () => {
    const endpoint = freshEndpoint();
    await mg.api.post(`/api/v2/endpoints/${endpoint}/rules`, rule('/static', { type: 'mock', status: 200, headers: [{ key: 'a', value: '{{x}}' }], body: '{{x}}' }));
    await mg.api.post(`/api/v2/endpoints/${endpoint}/rules`, rule('/weighted', {
      type: 'weighted', responses: [{ name: 'a', weight: 100, status: 200, headers: [], body: '{{x}}' }],
    }));
    await mg.api.post(`/api/v2/endpoints/${endpoint}/rules`, rule('/slow', { type: 'mock', status: 200, headers: [], body: '{{x}}', delay: 1 }));
    await mg.api.post(`/api/v2/endpoints/${endpoint}/rules`, rule('/tpl', { type: 'mock', status: 200, headers: [], body: '{{path}}', templated: true }));
    const before = mg.mockgate.templates.stats.renders;
    for (const path of ['/static', '/weighted', '/slow', '/no-rule-matches']) {
      for (let i = 0; i < 10; i++) await (await fetch(`${mg.url}/e/${endpoint}${path}`)).text();
    }
    expect(mg.mockgate.templates.stats.renders).toBe(before);
    expect(await (await fetch(`${mg.url}/e/${endpoint}/tpl`)).text()).toBe('/tpl');
    expect(mg.mockgate.templates.stats.renders).toBe(before + 1);
  });
});

describe('restarts', () => {
  it('renders stored templated rules after a restart', async () => {
    const first = await startMockgate();
    await first.api.post('/api/v2/endpoints/keep/rules', rule('/t', { type: 'mock', status: 200, headers: [], body: "n={{step-counter 'inc' 'n'}}", templated: true }));
    expect(await (await fetch(`${first.url}/e/keep/t`)).text()).toBe('n=1');
    await first.close({ removeData: false });
    const second = await startMockgate({ dataDir: first.dataDir });
    try {
      expect(await (await fetch(`${second.url}/e/keep/t`)).text()).toBe('n=2');
    } finally {
      await second.close();
    }
  });
});

describe('what a render sends to the worker', () => {
  it('leaves out headers and body unless a helper of the template reads them', async () => {
    const endpoint = freshEndpoint();
    await mg.api.post(`/api/v2/endpoints/${endpoint}/rules`, rule('/u', { type: 'mock', status: 200, headers: [], body: "{{pathParam 'x'}} {{queryParam 'q'}}", templated: true }));
    await mg.api.post(`/api/v2/endpoints/${endpoint}/rules`, rule('/b', { type: 'mock', status: 200, headers: [], body: "{{body 'a'}}", templated: true }));
    const bulky = { method: 'POST', body: JSON.stringify({ a: 'x'.repeat(20_000) }), headers: { 'content-type': 'application/json', 'x-big': 'y'.repeat(4000) } };
    const sizeAfter = async (path: string): Promise<number> => {
      // sampled on the first render and every 1024th after it
      while ((mg.mockgate.templates.stats.renders & 1023) !== 0) await (await fetch(`${mg.url}/e/${endpoint}/u`)).text();
      await (await fetch(`${mg.url}/e/${endpoint}${path}?q=1`, bulky)).text();
      return mg.mockgate.templates.stats.taskBytes;
    };
    expect(await sizeAfter('/u')).toBeLessThan(300);
    expect(await sizeAfter('/b')).toBeGreaterThan(24_000);
  });
});
