// PUT/GET/DELETE /api/v2/endpoints/{endpoint}/{path} for each document type a plugin registers (a GraphQL SDL, …).
// Mounted before the JSON body parser: a document is the raw body, up to 10 MB.
import express, { Router } from 'express';
import type { Logger } from '../contract.js';
import type { Endpoints } from '../endpoints/endpoints.js';
import { MockgateError, notFound, validationError } from '../errors.js';
import type { Registry } from '../plugins/registry.js';
import { createCompileContext } from '../rules/compile-context.js';
import { importDocument, type SpecJobs } from '../specs/spec-jobs.js';
import { endpointParam } from './params.js';

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

export function documentsRouter(endpoints: Endpoints, registry: Registry, specs: SpecJobs, log: Logger): Router {
  const router = Router();
  for (const type of registry.documents) {
    const path = `/api/v2/endpoints/:endpoint/${type.path}`;
    // a spec's document (an SDL, a WSDL, protos) is imported as a spec: prepared off the event loop, then stored
    const importer = registry.importers.find((i) => i.document === type.path);

    router.put(path, express.text({ type: () => true, limit: MAX_DOCUMENT_BYTES }), async (req, res) => {
      const name = endpointParam(req);
      const mediaType = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (!type.contentTypes.includes(mediaType)) {
        throw new MockgateError('validation_error',
          `Content-Type must be one of ${type.contentTypes.join(', ')}; got "${mediaType || 'none'}"`, 'Content-Type');
      }
      const text = typeof req.body === 'string' ? req.body : '';
      if (text.trim() === '') throw validationError('/', 'the document is empty');
      const replaced = endpoints.get(name)?.document(type.path) !== undefined;
      if (importer !== undefined) {
        await importDocument(specs, name, importer, { name: type.path, contentType: mediaType, bytes: Buffer.from(text) });
      } else {
        type.check?.(text, createCompileContext('', log, registry.templates));
        endpoints.setDocument(name, type.path, text);
      }
      res.status(replaced ? 200 : 201).json({ path: type.path, size: Buffer.byteLength(text) });
    });

    router.get(path, (req, res) => {
      const text = endpoints.get(endpointParam(req))?.document(type.path);
      if (text === undefined) throw notFound(`endpoint "${req.params['endpoint']}" holds no ${type.path} document`);
      res.type(type.contentTypes[0]!).send(text);
    });

    router.delete(path, (req, res) => {
      const name = endpointParam(req);
      if (endpoints.get(name)?.document(type.path) === undefined || !endpoints.setDocument(name, type.path, undefined)) {
        throw notFound(`endpoint "${name}" holds no ${type.path} document`);
      }
      specs.documentRemoved(name, type.path);
      res.json({ path: type.path, deleted: true });
    });
  }
  return router;
}
