// mockgate's own endpoint API (list, create, delete) and the health check.
import { Router } from 'express';
import type { Endpoint, Endpoints } from '../endpoints/endpoints.js';
import { MockgateError, notFound } from '../errors.js';
import type { Journal } from '../journal/journal.js';
import { endpointParam } from './params.js';

function summary(e: Endpoint): object {
  return { name: e.name, createdAt: new Date(e.createdAt).toISOString(), rules: e.rules.length };
}

export function endpointsRouter(endpoints: Endpoints, journal: Journal, info: { version: string; startedAt: number }): Router {
  const router = Router();

  router.get('/api/health', (_req, res) => {
    res.json({ status: 'ok', version: info.version, uptimeSeconds: Math.round((Date.now() - info.startedAt) / 1000) });
  });

  router.get('/api/v2/endpoints', (_req, res) => {
    res.json({ data: endpoints.list().map(summary) });
  });

  router.post('/api/v2/endpoints', (req, res) => {
    const body = req.body as { name?: unknown } | undefined;
    if (typeof body?.name !== 'string') throw new MockgateError('validation_error', '/name: must be a string', '/name');
    res.status(201).json(summary(endpoints.create(body.name)));
  });

  router.get('/api/v2/endpoints/:endpoint', (req, res) => {
    const name = endpointParam(req);
    const endpoint = endpoints.get(name);
    if (!endpoint) throw notFound(`endpoint "${name}" does not exist`);
    res.json(summary(endpoint));
  });

  router.delete('/api/v2/endpoints/:endpoint', async (req, res) => {
    const name = endpointParam(req);
    await journal.flush(); // what is queued goes with the endpoint, and cannot come back if it is created again
    if (!endpoints.delete(name)) throw notFound(`endpoint "${name}" does not exist`);
    await journal.forget(name);
    res.json({ name, deleted: true });
  });

  return router;
}
