// What ListenerHost offers a protocol listener besides dispatch: its port and host, endpoint names from a host name,
// document changes, and a journal entry that waits for a streamed call to end.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ListenerHost } from '../../core/contract.js';
import rest from '../../plugins/rest/index.js';
import notes from '../fixtures/plugins/document-plugin.js';
import { hostProbe } from '../fixtures/plugins/host-probe-plugin.js';
import { mockRule, startMockgate, type RunningMockgate } from '../helpers/start-mockgate.js';

describe('ListenerHost', () => {
  let mg: RunningMockgate;
  let host: ListenerHost;
  beforeEach(async () => {
    const probe = hostProbe();
    mg = await startMockgate({ plugins: [rest, notes, probe.plugin], config: { grpcPort: 0, baseDomain: 'mock.test' } });
    host = await probe.host;
  });
  afterEach(() => mg.close());

  it('tells a listener its configured port and interface', () => {
    expect(host.port('grpc')).toBe(0);
    expect(host.port('nothing')).toBeUndefined();
    expect(host.bindHost).toBe('127.0.0.1');
  });

  it('names the endpoint a host name addresses, as the HTTP data plane does', async () => {
    expect(host.endpointFromHost('orders.mock.test')).toBe('orders');
    expect(host.endpointFromHost('orders.mock.test:50051')).toBe('orders');
    expect(host.endpointFromHost('mock.test')).toBeUndefined();
    expect(host.endpointFromHost('elsewhere.example')).toBeUndefined();
    expect((await mg.api.patch('/api/v2/endpoints/shop/settings', { customDomain: { enabled: true, domain: 'api.shop.example' } })).status).toBe(200);
    expect(host.endpointFromHost('api.shop.example')).toBe('shop');
  });

  it('reports the documents held, then each upload, replacement and removal, until unsubscribed', async () => {
    const put = (endpoint: string, text: string) =>
      mg.api.send('PUT', `/api/v2/endpoints/${endpoint}/notes/text`, text, { 'content-type': 'text/plain' });
    expect((await put('a', 'first')).status).toBe(201);
    const seen: Array<[string, string | undefined]> = [];
    const stop = host.watchDocuments('notes/text', (endpoint, text) => seen.push([endpoint, text]));
    expect(seen).toEqual([['a', 'first']]);
    await put('b', 'second');
    await put('a', 'third');
    expect((await put('a', 'FORBIDDEN')).status).toBe(400); // refused: not reported
    await mg.api.delete('/api/v2/endpoints/b/notes/text');
    await mg.api.delete('/api/v2/endpoints/a');
    expect(seen).toEqual([['a', 'first'], ['b', 'second'], ['a', 'third'], ['b', undefined], ['a', undefined]]);
    stop();
    await put('c', 'unseen');
    expect(seen).toHaveLength(5);
  });

  it('journals a streamed call when its completion settles, with its messages each way', async () => {
    await mg.api.post('/api/v2/endpoints/calls/rules', mockRule({ type: 'path', operator: 'equals', value: '/svc/Do' }, { body: '{"ok":true}' }));
    let finish!: (value: import('../../core/contract.js').CallRecord) => void;
    const completion = new Promise<import('../../core/contract.js').CallRecord>((resolve) => (finish = resolve));
    const answer = await host.dispatch('calls', { method: 'POST', url: '/svc/Do', body: '{"n":1}', transport: 'probe', completion });
    expect(answer.status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    expect((await mg.api.get('/api/v2/endpoints/calls/requests')).body.data).toHaveLength(0);

    const at = new Date().toISOString();
    finish({
      requestMessages: [{ body: { n: 1 }, timestamp: at }, { body: { n: 2 }, timestamp: at }],
      responseMessages: [{ body: { ok: true }, timestamp: at }],
      trailers: { 'grpc-status': '0' },
    });
    let list = await mg.api.get('/api/v2/endpoints/calls/requests');
    for (let i = 0; i < 50 && list.body.data.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      list = await mg.api.get('/api/v2/endpoints/calls/requests');
    }
    const entry = (await mg.api.get(`/api/v2/endpoints/calls/requests/${list.body.data[0].id}`)).body;
    expect(entry.request.messages).toEqual([{ body: { n: 1 }, timestamp: at }, { body: { n: 2 }, timestamp: at }]);
    expect(entry.response.messages).toEqual([{ body: { ok: true }, timestamp: at }]);
    expect(entry.response.messagesTruncated).toBe(false);
    expect(entry.response.headers['grpc-status']).toBe('0');
    expect(JSON.parse(entry.response.body)).toEqual({ ok: true });
  });

  it('aborts the exchange signal when the caller goes away: a delayed answer ends early', async () => {
    await mg.api.post('/api/v2/endpoints/slow/rules', { ...mockRule({ type: 'path', operator: 'equals', value: '/wait' }), action: { type: 'mock', status: 200, headers: [], body: 'late', delay: 5000 } });
    const caller = new AbortController();
    const started = Date.now();
    const answer = host.dispatch('slow', { method: 'GET', url: '/wait', transport: 'probe', signal: caller.signal });
    setTimeout(() => caller.abort(), 50);
    await answer;
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
