// The control plane: the management API (Express) on every request that addresses no endpoint.
import express, { type ErrorRequestHandler, type Express } from 'express';
import { requireApiKey } from '../api/auth.js';
import { blobsRouter } from '../api/blobs.js';
import { dataStoresRouter } from '../api/data-stores.js';
import { documentsRouter } from '../api/documents.js';
import { endpointsRouter } from '../api/endpoints.js';
import { recordingsRouter } from '../api/recordings.js';
import { requestsV1Router } from '../api/requests-v1.js';
import { requestsV2Router } from '../api/requests-v2.js';
import { rulesV1Router } from '../api/rules-v1.js';
import { rulesV2Router } from '../api/rules-v2.js';
import { settingsRouter } from '../api/settings.js';
import { specsRouter } from '../api/specs.js';
import { stateV1Router } from '../api/state-v1.js';
import { stateV2Router } from '../api/state-v2.js';
import type { Blobs } from '../blobs/blobs.js';
import type { Logger } from '../contract.js';
import type { DataStoreService } from '../data-stores/data-store-service.js';
import type { Endpoints } from '../endpoints/endpoints.js';
import { MockgateError, isMockgateError, toErrorBody } from '../errors.js';
import type { Journal } from '../journal/journal.js';
import type { Registry } from '../plugins/registry.js';
import type { StateService } from '../state/state-service.js';
import type { SpecJobs } from '../specs/spec-jobs.js';
import type { JournalStore } from '../store/store.js';

export interface ControlPlaneDeps {
  endpoints: Endpoints;
  registry: Registry;
  journal: Journal;
  journalStore: JournalStore;
  dataStores: DataStoreService;
  state: StateService;
  specs: SpecJobs;
  maxSpecBytes: number;
  blobs: Blobs;
  maxBlobBytes: number;
  apiKey: string | undefined;
  log: Logger;
  version: string;
  startedAt: number;
}

export const MAX_API_BODY = 1024 * 1024;

export function createControlPlane(deps: ControlPlaneDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use('/api', requireApiKey(deps.apiKey));
  // plugin documents (an SDL, a WSDL, …) are raw text and spec uploads multipart: their routes come before the JSON parser
  app.use(documentsRouter(deps.endpoints, deps.registry, deps.specs, deps.log));
  app.use(specsRouter(deps.endpoints, deps.registry, deps.specs, deps.maxSpecBytes));
  app.use(blobsRouter(deps.endpoints, deps.blobs, deps.maxBlobBytes));
  // every body is JSON whatever its content type: clients written for Beeceptor do not always send one
  app.use('/api', express.json({ limit: MAX_API_BODY, type: () => true }));
  app.use(endpointsRouter(deps.endpoints, deps.journal, deps));
  app.use(rulesV2Router(deps.endpoints, deps.registry));
  app.use(rulesV1Router(deps.endpoints, deps.registry));
  app.use(settingsRouter(deps.endpoints));
  app.use(recordingsRouter(deps.endpoints, deps.registry, deps.journal, deps.journalStore));
  app.use(requestsV2Router(deps.journal, deps.journalStore));
  app.use(requestsV1Router(deps.journal, deps.journalStore));
  app.use(dataStoresRouter(deps.endpoints, deps.dataStores));
  app.use(stateV2Router(deps.endpoints, deps.state));
  app.use(stateV1Router(deps.endpoints, deps.state));
  app.use((req) => {
    throw new MockgateError('not_found', `nothing here at ${req.method} ${req.path}: mock traffic goes to /e/<endpoint>/… ` +
      '(endpoint names match [a-z0-9][a-z0-9-]{0,62}), the management API lives under /api/v1 and /api/v2');
  });
  app.use(errorHandler(deps.log));
  return app;
}

function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const mapped = fromBodyParser(err) ?? err;
    if (!isMockgateError(mapped)) log.error({ err, method: req.method, url: req.originalUrl }, 'management API request failed');
    const { status, body } = toErrorBody(mapped);
    res.status(status).json(body);
  };
}

/** body-parser's errors carry a `type`; map them to the envelope's codes. */
function fromBodyParser(err: unknown): MockgateError | undefined {
  const type = (err as { type?: unknown } | null)?.type;
  if (type === 'entity.parse.failed') return new MockgateError('invalid_json_body', 'Invalid JSON in request body');
  if (type === 'entity.too.large') {
    const limit = (err as { limit?: number }).limit ?? MAX_API_BODY;
    return new MockgateError('payload_too_large', `request body is larger than ${limit} bytes (${Math.round(limit / 1048576)} MB)`);
  }
  if (typeof type === 'string' && type.startsWith('encoding.')) return new MockgateError('bad_request', (err as Error).message);
  if (type === 'request.aborted' || type === 'request.size.invalid') return new MockgateError('bad_request', (err as Error).message);
  return undefined;
}
