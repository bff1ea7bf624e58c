// The v1 request history API (history v1 seed): list with filters, one entry, purge.
import { Router, type Request } from 'express';
import { notFound } from '../errors.js';
import type { Journal } from '../journal/journal.js';
import { findPage, matchingSeqs, pageSize, v1Query } from '../journal/journal-query.js';
import { v1Compact, v1Full } from '../journal/journal-views.js';
import type { JournalStore } from '../store/store.js';
import { v1EndpointParam } from './params.js';

export function requestsV1Router(journal: Journal, store: JournalStore): Router {
  const router = Router();
  const base = '/api/v1/endpoints/:endpoint/requests';
  const query = (req: Request) => req.query as Record<string, unknown>;

  router.get(base, async (req, res) => {
    const name = v1EndpointParam(req);
    const q = v1Query(query(req), journal.now);
    const count = pageSize(query(req), 'bad_request', 'count', 500);
    await journal.flush();
    const { rows } = findPage(store, name, q, undefined, count);
    res.json({ data: rows.map(query(req)['mode'] === 'full' ? v1Full : v1Compact) });
  });

  router.get(`${base}/:id`, async (req, res) => {
    const name = v1EndpointParam(req);
    await journal.flush();
    const row = store.get(name, String(req.params['id']));
    if (!row) throw notFound(`request "${req.params['id']}" is not in the journal of endpoint "${name}"`);
    res.json({ data: [v1Full(row)] });
  });

  router.delete(base, async (req, res) => {
    const name = v1EndpointParam(req);
    await journal.flush();
    res.json({ data: { requestsPurged: await journal.remove(name, matchingSeqs(store, name, { column: {} })) } });
  });

  router.delete(`${base}/:id`, async (req, res) => {
    const name = v1EndpointParam(req);
    await journal.flush();
    const row = store.get(name, String(req.params['id']));
    res.json({ data: { requestsPurged: row ? await journal.remove(name, [row.seq]) : 0 } });
  });

  return router;
}
