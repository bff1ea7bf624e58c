// Blobs: POST /api/v2/endpoints/{endpoint}/blobs (multipart `file`, the OpenAPI document's upload), and mockgate's
// GET (list, with the rules using each) and DELETE …/blobs/{blobPath}. Mounted before the JSON body parser.
import { Router } from 'express';
import type { Blobs } from '../blobs/blobs.js';
import type { Endpoints } from '../endpoints/endpoints.js';
import { isMockgateError } from '../errors.js';
import { endpointParam } from './params.js';

export function blobsRouter(endpoints: Endpoints, blobs: Blobs, maxBytes: number): Router {
  const router = Router();
  const base = '/api/v2/endpoints/:endpoint/blobs';

  router.post(base, async (req, res) => {
    const name = endpointParam(req);
    try {
      const blob = await blobs.upload(name, req, maxBytes, () => endpoints.getOrCreate(name));
      res.status(201).json({ blobPath: blob.path });
    } catch (err) {
      // the rest of an oversized upload is not read: end the connection after the answer
      if (isMockgateError(err) && err.code === 'payload_too_large') res.setHeader('connection', 'close');
      throw err;
    }
  });

  router.get(base, (req, res) => {
    const name = endpointParam(req);
    const users = endpoints.blobUsers(name);
    res.json({
      data: blobs.list(name).map((b) => ({
        blobPath: b.path, contentType: b.contentType, size: b.size, sha256: b.sha256, createdAt: new Date(b.createdAt).toISOString(),
        usedBy: users?.get(b.path) ?? [],
      })),
    });
  });

  router.delete(`${base}/:blobPath`, (req, res) => {
    endpoints.deleteBlob(endpointParam(req), String(req.params['blobPath']));
    res.json({ data: { deleted: true } });
  });

  return router;
}
