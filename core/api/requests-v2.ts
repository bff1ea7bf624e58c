// The v2 request history API: list with filters and cursor, count, live stream, one entry, deletes, multipart download.
import { Router, type Request, type Response } from 'express';
import { MockgateError, notFound } from '../errors.js';
import type { Journal } from '../journal/journal.js';
import { countMatching, decodeCursor, findPage, matchingSeqs, pageSize, v2Query } from '../journal/journal-query.js';
import { v2Compact, v2Verbose } from '../journal/journal-views.js';
import type { JournalStore } from '../store/store.js';
import { endpointParam } from './params.js';

const HEARTBEAT_MS = 15_000;

export function requestsV2Router(journal: Journal, store: JournalStore): Router {
  const router = Router();
  const base = '/api/v2/endpoints/:endpoint/requests';
  const query = (req: Request) => req.query as Record<string, unknown>;

  router.get(base, async (req, res) => {
    const name = endpointParam(req);
    const q = v2Query(query(req), journal.now);
    const limit = pageSize(query(req), 'validation_error', 'limit', 100);
    const before = decodeCursor(query(req));
    const mode = query(req)['mode'];
    if (mode !== undefined && mode !== 'verbose') throw new MockgateError('validation_error', 'mode: must be "verbose"', 'mode');
    await journal.flush();
    const page = findPage(store, name, q, before, limit);
    res.json({ data: page.rows.map(mode === 'verbose' ? v2Verbose : v2Compact), pagination: { cursor: page.cursor, hasMore: page.hasMore, limit } });
  });

  router.get(`${base}/count`, async (req, res) => {
    const name = endpointParam(req);
    const q = v2Query(query(req), journal.now);
    await journal.flush();
    res.json({ count: countMatching(store, name, q) });
  });

  router.get(`${base}/stream`, (req, res) => {
    const name = endpointParam(req);
    streamEntries(res, journal, name);
  });

  router.delete(base, async (req, res) => {
    const name = endpointParam(req);
    const q = v2Query(query(req), journal.now);
    await journal.flush();
    const count = await journal.remove(name, matchingSeqs(store, name, q));
    if (q.column.id !== undefined) res.json({ id: q.column.id, deleted: count > 0 });
    else res.json({ deleted: true, count });
  });

  router.get(`${base}/:requestId`, async (req, res) => {
    const name = endpointParam(req);
    await journal.flush();
    const row = store.get(name, String(req.params['requestId']));
    if (!row) throw notFound(`request "${req.params['requestId']}" is not in the journal of endpoint "${name}"`);
    res.json(v2Verbose(row));
  });

  router.delete(`${base}/:requestId`, async (req, res) => {
    const name = endpointParam(req);
    await journal.flush();
    const id = String(req.params['requestId']);
    const row = store.get(name, id);
    if (!row) throw notFound(`request "${id}" is not in the journal of endpoint "${name}"`);
    await journal.remove(name, [row.seq]);
    res.json({ id, deleted: true });
  });

  router.get(`${base}/:requestId/multipart/download`, async (req, res) => {
    const name = endpointParam(req);
    const { fieldName, component } = query(req);
    if (typeof fieldName !== 'string' || fieldName === '') throw new MockgateError('validation_error', 'fieldName: is required', 'fieldName');
    if (component !== 'Request' && component !== 'CalloutRequest') {
      throw new MockgateError('validation_error', 'component: must be Request or CalloutRequest', 'component');
    }
    await journal.flush();
    const id = String(req.params['requestId']);
    if (!store.get(name, id)) throw notFound(`request "${id}" is not in the journal of endpoint "${name}"`);
    const file = store.file(name, id, component, fieldName);
    if (!file) throw notFound(`request "${id}" has no file in field "${fieldName}" (${component})`);
    res.writeHead(200, {
      'content-type': file.contentType || 'application/octet-stream',
      'content-disposition': `attachment; filename*=UTF-8''${rfc5987(file.fileName)}`,
      'content-length': file.bytes.length,
    });
    res.end(file.bytes);
  });

  return router;
}

/** An RFC 5987 / 8187 ext-value: encodeURIComponent leaves ' ( ) * unescaped, which attr-char does not allow. */
function rfc5987(text: string): string {
  return encodeURIComponent(text).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Server-Sent Events: one `request` event per new entry of the endpoint, a comment every 15 s to keep proxies from closing it. */
function streamEntries(res: Response, journal: Journal, endpoint: string): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  res.write(': connected\n\n');
  const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
  const stop = (): void => {
    clearInterval(heartbeat);
    unsubscribe();
  };
  const unsubscribe = journal.subscribe(endpoint, {
    entry: (entry) => res.write(`event: request\nid: ${entry.id}\ndata: ${JSON.stringify(entry)}\n\n`),
    end: () => {
      stop();
      res.end();
    },
  });
  res.on('close', stop);
}
