// Sync callouts end to end: what the target receives (method, headers, templated and forwarded bodies), what the client
// gets back (forward relays the target's answer, custom answers with the rule's), the delay range, and the journal.
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import { calloutRule, startUpstream, type Upstream } from './upstream.js';
import { endpointWithRules } from '../../helpers/rule-endpoints.js';

const BINARY = randomBytes(4096);

let mg: RunningMockgate;
let up: Upstream;
beforeAll(async () => {
  mg = await startMockgate();
  up = await startUpstream((req, res) => {
    if (req.url === '/binary') return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(BINARY);
    if (req.url === '/missing') return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no such order"}');
    if (req.url === '/gzip') {
      return void res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' }).end(gzipSync('unzipped by the callout'));
    }
    if (req.url === '/empty') return void res.writeHead(204, { 'x-empty': 'yes' }).end();
    res.writeHead(201, { 'content-type': 'application/json', 'x-upstream': 'one', 'set-cookie': ['a=1', 'b=2'], 'keep-alive': 'timeout=77' });
    res.end(JSON.stringify({ method: req.method, url: req.url }));
  });
});
afterAll(async () => {
  await mg.close();
  await up.close();
});

const endpointWith = async (rule: object): Promise<string> => `${mg.url}/e/${await endpointWithRules(mg, 'sync', rule)}`;

describe('sync callout, transform forward', () => {
  it("relays the target's status, headers and body; hop-by-hop headers are dropped", async () => {
    const base = await endpointWith(calloutRule('/orders', { behavior: 'sync', callout: { url: `${up.url}/api/orders?src=mg`, method: 'POST', transform: 'forward' } }));
    const res = await fetch(`${base}/orders`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(201);
    expect(await res.text()).toBe('{"method":"POST","url":"/api/orders?src=mg"}');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-upstream')).toBe('one');
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(res.headers.get('content-length')).toBe('44');
    expect(res.headers.get('transfer-encoding')).toBeNull();
    // mockgate's own keep-alive header, not the target's
    expect(res.headers.get('keep-alive')).not.toBe('timeout=77');
  });

  it('relays a binary body byte for byte', async () => {
    const base = await endpointWith(calloutRule('/file', { behavior: 'sync', callout: { url: `${up.url}/binary`, method: 'GET' } }));
    const res = await fetch(`${base}/file`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await res.arrayBuffer()).equals(BINARY)).toBe(true);
  });

  it("relays the target's 404 as is", async () => {
    const base = await endpointWith(calloutRule('/order', { behavior: 'sync', callout: { url: `${up.url}/missing`, method: 'GET' } }));
    const res = await fetch(`${base}/order`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'no such order' });
  });

  it('relays a compressed answer decoded, without its content-encoding, re-framed', async () => {
    const base = await endpointWith(calloutRule('/z', { behavior: 'sync', callout: { url: `${up.url}/gzip`, method: 'GET' } }));
    const res = await fetch(`${base}/z`, { headers: { 'accept-encoding': 'identity' } });
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(res.headers.get('content-length')).toBe('23');
    expect(await res.text()).toBe('unzipped by the callout');
  });

  it('relays a 204 with its headers and no body', async () => {
    const base = await endpointWith(calloutRule('/e', { behavior: 'sync', callout: { url: `${up.url}/empty`, method: 'DELETE' } }));
    const res = await fetch(`${base}/e`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(res.headers.get('x-empty')).toBe('yes');
    expect(await res.text()).toBe('');
  });
});

describe('what the target receives', () => {
  it('the configured method, headers and templated body, rendered with the request', async () => {
    const base = await endpointWith(calloutRule('/orders/:id', {
      behavior: 'sync',
      callout: {
        url: `${up.url}/hook`, method: 'PUT', templated: true,
        headers: [
          { key: 'X-Static', value: 'plain {{not rendered}}' },
          { key: 'X-Order', value: "order-{{pathParam 'id'}}", templated: true },
          { key: 'Content-Type', value: 'application/json' },
          { key: 'Content-Length', value: '999' },
        ],
        body: "{\"ref\": \"{{body 'id'}}\", \"order\": \"{{pathParam 'id'}}\", \"q\": \"{{queryParam 'q'}}\"}",
      },
    }));
    const before = up.received.length;
    const res = await fetch(`${base}/orders/42?q=fast`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-client': 'not sent' }, body: '{"id":"abc-7"}' });
    expect(res.status).toBe(201);
    expect(up.received).toHaveLength(before + 1);
    const got = up.received.at(-1)!;
    expect(got.method).toBe('PUT');
    expect(got.url).toBe('/hook');
    expect(got.headers['x-static']).toBe('plain {{not rendered}}');
    expect(got.headers['x-order']).toBe('order-42');
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['x-client']).toBeUndefined();
    expect(got.body.toString()).toBe('{"ref": "abc-7", "order": "42", "q": "fast"}');
    expect(got.headers['content-length']).toBe(String(got.body.length));
  });

  it("'*' sends the incoming method, and without a body the incoming body with its content type", async () => {
    const base = await endpointWith(calloutRule('/any', { behavior: 'sync', callout: { url: `${up.url}/relay`, method: '*' } }));
    const before = up.received.length;
    await (await fetch(`${base}/any`, { method: 'PATCH', headers: { 'content-type': 'text/csv' }, body: 'a,b\n1,2\n' })).text();
    await (await fetch(`${base}/any`)).text();
    const [patch, get] = up.received.slice(before);
    expect(patch).toMatchObject({ method: 'PATCH', url: '/relay' });
    expect(patch!.headers['content-type']).toBe('text/csv');
    expect(patch!.body.toString()).toBe('a,b\n1,2\n');
    expect(get).toMatchObject({ method: 'GET', url: '/relay' });
    expect(get!.body.length).toBe(0);
  });

  it('an explicit empty body sends none, not the incoming one', async () => {
    const base = await endpointWith(calloutRule('/ping', { behavior: 'sync', callout: { url: `${up.url}/ping`, method: 'POST', body: '' } }));
    const before = up.received.length;
    await (await fetch(`${base}/ping`, { method: 'POST', body: 'incoming' })).text();
    expect(up.received[before]!.body.toString()).toBe('');
  });
});

describe('sync callout, transform custom', () => {
  it("calls the target, then answers with the rule's own (templated) response", async () => {
    const base = await endpointWith(calloutRule('/pay/:id', {
      behavior: 'sync',
      callout: { url: `${up.url}/notify`, method: 'POST', transform: 'custom' },
      status: 202,
      headers: [{ key: 'Content-Type', value: 'application/json' }, { key: 'X-Pay', value: "{{pathParam 'id'}}", templated: true }],
      body: "{\"accepted\": \"{{pathParam 'id'}}\"}",
      templated: true,
    }));
    const before = up.received.length;
    const res = await fetch(`${base}/pay/p-9`, { method: 'POST', body: 'card=1' });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-pay')).toBe('p-9');
    expect(res.headers.get('x-upstream')).toBeNull();
    expect(await res.text()).toBe('{"accepted": "p-9"}');
    expect(up.received.slice(before).map((r) => [r.method, r.url, r.body.toString()])).toEqual([['POST', '/notify', 'card=1']]);
  });

  it('without a status, headers or body of its own answers 200 with an empty body', async () => {
    const base = await endpointWith(calloutRule('/bare', { behavior: 'sync', callout: { url: `${up.url}/x`, transform: 'custom' } }));
    const res = await fetch(`${base}/bare`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });
});

describe('callout delay', () => {
  it('waits a random time within [min, max] before calling the target', async () => {
    const base = await endpointWith(calloutRule('/slow', { behavior: 'sync', callout: { url: `${up.url}/d`, method: 'GET', delay: { min: 150, max: 250 } } }));
    await (await fetch(`${base}/slow`)).text(); // connection warm
    const waits = await Promise.all([1, 2, 3, 4, 5].map(async () => {
      const started = performance.now();
      await (await fetch(`${base}/slow`)).text();
      return performance.now() - started;
    }));
    for (const ms of waits) {
      expect(ms).toBeGreaterThanOrEqual(148);
      expect(ms).toBeLessThan(600);
    }
  });
});

describe('the journal', () => {
  it('shows the callout: url, method, behavior, delay, the request sent and the answer received', async () => {
    const base = await endpointWith(calloutRule('/j/:id', {
      behavior: 'sync',
      callout: { url: `${up.url}/journal?k=1`, method: 'POST', headers: [{ key: 'X-Id', value: "{{pathParam 'id'}}", templated: true }], body: 'hello', delay: { min: 5, max: 5 } },
    }));
    const res = await fetch(`${base}/j/7`, { method: 'POST', body: 'in' });
    expect(res.status).toBe(201);
    const name = base.split('/').at(-1)!;
    const list = await mg.api.get(`/api/v2/endpoints/${name}/requests`);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).toMatchObject({ behavior: 'callout', rule: { matched: true }, status: 201 });
    const entry = (await mg.api.get(`/api/v2/endpoints/${name}/requests/${list.body.data[0].id}`)).body;
    expect(entry.callout).toEqual({
      url: `${up.url}/journal?k=1`,
      method: 'POST',
      behavior: 'sync',
      delay: 5,
      timeTaken: expect.any(Number),
      targetRequest: { method: 'POST', url: `${up.url}/journal?k=1`, headers: { 'x-id': '7' }, body: 'hello', size: 5, truncated: false },
      targetResponse: {
        status: 201,
        headers: expect.objectContaining({ 'content-type': 'application/json', 'x-upstream': 'one', 'set-cookie': 'a=1, b=2' }),
        body: '{"method":"POST","url":"/journal?k=1"}',
        size: 38,
        truncated: false,
      },
    });
    expect(entry.response.body).toBe('{"method":"POST","url":"/journal?k=1"}');
  });

  it('keeps a binary target answer base64-encoded', async () => {
    const base = await endpointWith(calloutRule('/bin', { behavior: 'sync', callout: { url: `${up.url}/binary`, method: 'GET' } }));
    await (await fetch(`${base}/bin`)).arrayBuffer();
    const name = base.split('/').at(-1)!;
    const [compact] = (await mg.api.get(`/api/v2/endpoints/${name}/requests`)).body.data;
    const entry = (await mg.api.get(`/api/v2/endpoints/${name}/requests/${compact.id}`)).body;
    expect(entry.callout.targetResponse).toMatchObject({ status: 200, bodyEncoding: 'base64', size: 4096, truncated: false });
    expect(Buffer.from(entry.callout.targetResponse.body, 'base64').equals(BINARY)).toBe(true);
  });
});
