// The v1 state API (state v1 seed): POST and DELETE /api/v1/endpoints/{endpoint}/datastore, over the same items as
// v2 (`datastore` here is `string` there). Errors are `validation_error` / `duplicate_key` with "should" wording.
import { Router } from 'express';
import type { Endpoints } from '../endpoints/endpoints.js';
import type { StateService } from '../state/state-service.js';
import { compileSchema } from '../validation.js';
import { endpointParam } from './params.js';
import { bulkSchema, readBulkItems, readDeleteBody } from './state-v2.js';

const V1 = { code: 'validation_error', legacyWording: true, typeNames: 'datastore, list, counter' } as const;
const validatePost = compileSchema(bulkSchema('data', { value: true }));
const validateDelete = compileSchema(bulkSchema('data', { value: false, all: true }));

export function stateV1Router(endpoints: Endpoints, state: StateService): Router {
  const router = Router();
  const base = '/api/v1/endpoints/:endpoint/datastore';

  router.post(base, (req, res) => {
    const name = endpointParam(req);
    const items = readBulkItems(req.body, validatePost, 'data', V1, { value: true });
    endpoints.getOrCreate(name);
    state.upsert(name, items.map(({ type, key, value }) => ({ type, key, value })));
    res.json({ result: { successful: items.length } });
  });

  router.delete(base, (req, res) => {
    const name = endpointParam(req);
    const body = readDeleteBody(req.body ?? {}, validateDelete, 'data', V1);
    if (body.all) {
      res.json({ data: { scope: 'all', successful: state.deleteAll(name) } });
      return;
    }
    const deleted = state.deleteItems(name, body.items).length;
    res.json({ data: { scope: 'some', successful: deleted, items: body.items.map(({ sentType, key }) => ({ type: sentType, key })) } });
  });

  return router;
}
