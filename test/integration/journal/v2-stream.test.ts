// v2 history live stream (GET /requests/stream, Server-Sent Events): exactly the endpoint's own new entries, in order,
// in compact form identical to the list's; several watchers; the stream ends when the server closes.
import { request, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

interface SseEvent {
  event?: string;
  id?: string;
  data?: string;
}

/** An open SSE connection: the response head, the events so far, and a way to wait for more. */
interface Stream {
  res: IncomingMessage;
  events: SseEvent[];
  comments: string[];
  ended: Promise<void>;
  waitFor(n: number, timeoutMs?: number): Promise<SseEvent[]>;
  close(): void;
}

function openStream(baseUrl: string, endpoint: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}/api/v2/endpoints/${endpoint}/requests/stream`, { headers: { accept: 'text/event-stream' } }, (res) => {
      const events: SseEvent[] = [];
      const comments: string[] = [];
      const waiters: Array<() => void> = [];
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const ev: SseEvent = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else {
              const colon = line.indexOf(':');
              const field = line.slice(0, colon) as keyof SseEvent;
              ev[field] = (ev[field] === undefined ? '' : `${ev[field]}\n`) + line.slice(colon + 1).replace(/^ /, '');
            }
          }
          if (Object.keys(ev).length > 0) events.push(ev);
          for (const w of waiters.splice(0)) w();
        }
      });
      const ended = new Promise<void>((done) => {
        res.on('end', done);
        res.on('close', done);
      });
      resolve({
        res, events, comments, ended,
        close: () => req.destroy(),
        async waitFor(n, timeoutMs = 5000) {
          const deadline = Date.now() + timeoutMs;
          while (events.length < n) {
            if (Date.now() > deadline) throw new Error(`stream: ${events.length} of ${n} events after ${timeoutMs} ms`);
            await new Promise<void>((wake) => {
              waiters.push(wake);
              setTimeout(wake, 50);
            });
          }
          return events;
        },
      });
    });
    req.on('error', reject);
    req.end();
  });
}

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
  await mg.api.post('/api/v2/endpoints/sse-a/rules', mockRule({ type: 'path', operator: 'starts_with', value: '/rule' }, { status: 201, body: 'r' }));
});
afterAll(() => mg.close());

const hit = async (endpoint: string, path: string, init: RequestInit = {}) => (await fetch(`${mg.url}/e/${endpoint}${path}`, init)).text();

describe('live stream', () => {
  it('answers text/event-stream and a first comment', async () => {
    const s = await openStream(mg.url, 'sse-head');
    try {
      expect(s.res.statusCode).toBe(200);
      expect(s.res.headers['content-type']).toBe('text/event-stream');
      expect(s.res.headers['cache-control']).toBe('no-cache');
      await new Promise((r) => setTimeout(r, 50));
      expect(s.comments).toContain('connected');
      expect(s.events).toEqual([]);
    } finally {
      s.close();
    }
  });

  it('gets exactly its endpoint’s entries, in order, as `request` events carrying the compact entry', async () => {
    const s = await openStream(mg.url, 'sse-a');
    try {
      const sent: string[] = [];
      for (let i = 0; i < 5; i++) {
        await hit('sse-b', `/other/${i}`);
        const path = i % 2 === 0 ? `/rule/${i}` : `/none/${i}?q=${i}`;
        await hit('sse-a', path, { method: i === 3 ? 'POST' : 'GET', body: i === 3 ? 'x' : undefined });
        sent.push(path);
      }
      // the last sse-a event arrives after every sse-b one was recorded: anything foreign would be here by now
      const events = await s.waitFor(5);
      await hit('sse-b', '/after');
      await new Promise((r) => setTimeout(r, 150));
      expect(events).toHaveLength(5);
      const entries = events.map((e) => JSON.parse(e.data!));
      expect(entries.map((e) => e.path)).toEqual(sent);
      expect(events.every((e) => e.event === 'request')).toBe(true);
      expect(events.map((e) => e.id)).toEqual(entries.map((e) => e.id));

      // the same compact entries the list answers (newest first there)
      const listed = (await mg.api.get('/api/v2/endpoints/sse-a/requests')).body.data;
      expect(entries).toEqual([...listed].reverse());
      for (const e of entries) {
        expect(Object.keys(e).sort()).toEqual(['behavior', 'date', 'id', 'method', 'path', 'rule', 'status', 'timeTaken']);
      }
      expect(entries[0]).toMatchObject({ status: 201, behavior: 'mock-rule', rule: { matched: true } });
      expect(entries[1]).toMatchObject({ status: 200, behavior: 'default', rule: { matched: false } });
      expect(entries[3].method).toBe('POST');
    } finally {
      s.close();
    }
  });

  it('several watchers each get every entry; one leaving does not disturb the other', async () => {
    const one = await openStream(mg.url, 'sse-multi');
    const two = await openStream(mg.url, 'sse-multi');
    try {
      await hit('sse-multi', '/1');
      await one.waitFor(1);
      await two.waitFor(1);
      one.close();
      await one.ended;
      await hit('sse-multi', '/2');
      await hit('sse-multi', '/3');
      const events = await two.waitFor(3);
      expect(events.map((e) => JSON.parse(e.data!).path)).toEqual(['/1', '/2', '/3']);
      expect(one.events).toHaveLength(1);
    } finally {
      one.close();
      two.close();
    }
  });

  it('starts with new entries only: nothing from before it was opened', async () => {
    await hit('sse-late', '/before');
    await mg.api.get('/api/v2/endpoints/sse-late/requests');
    const s = await openStream(mg.url, 'sse-late');
    try {
      await hit('sse-late', '/after');
      const events = await s.waitFor(1);
      await new Promise((r) => setTimeout(r, 150));
      expect(events.map((e) => JSON.parse(e.data!).path)).toEqual(['/after']);
    } finally {
      s.close();
    }
  });

  it('an invalid endpoint name is a 400, not a stream', async () => {
    const res = await mg.api.get('/api/v2/endpoints/Not_Valid!/requests/stream');
    expect(res.status).toBe(400);
  });
});

describe('server close', () => {
  it('ends open streams, and close() does not wait on them', async () => {
    const other = await startMockgate();
    const s = await openStream(other.url, 'bye');
    await (await fetch(`${other.url}/e/bye/x`)).text();
    await s.waitFor(1);
    const started = Date.now();
    await other.close();
    await s.ended;
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
