// The spec API: POST/GET/DELETE /api/v2/endpoints/{endpoint}/specs, GET …/jobs/{jobId}, and mockgate's
// POST …/specs/rules, which turns the spec's operations into editable rules.
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { Router } from 'express';
import type { SpecFile } from '../contract.js';
import type { Endpoints } from '../endpoints/endpoints.js';
import { MockgateError, notFound, validationError } from '../errors.js';
import { newId } from '../ids.js';
import type { Registry } from '../plugins/registry.js';
import { validateRule } from '../rules/compile-rules.js';
import { MAX_RULES, type StoredRule } from '../rules/rule-model.js';
import type { SpecJobs } from '../specs/spec-jobs.js';
import { endpointParam } from './params.js';

export function specsRouter(endpoints: Endpoints, registry: Registry, jobs: SpecJobs, maxSpecBytes: number): Router {
  const router = Router();
  const base = '/api/v2/endpoints/:endpoint';

  router.post(`${base}/specs`, async (req, res) => {
    const name = endpointParam(req);
    const { file, fields } = await readSpecUpload(req, maxSpecBytes);
    const intelligenceMock = fields.get('intelligenceMock');
    if (intelligenceMock !== undefined && !/^(true|false)$/i.test(intelligenceMock)) {
      throw validationError('/intelligenceMock', `intelligenceMock must be true or false, not "${intelligenceMock.slice(0, 40)}"`);
    }
    const { job } = jobs.submit(name, file, { intelligenceMock: intelligenceMock?.toLowerCase() === 'true' });
    res.status(202).json(job);
  });

  router.get(`${base}/specs`, (req, res) => {
    const name = endpointParam(req);
    const spec = jobs.spec(name);
    if (spec === undefined) throw notFound(`endpoint "${name}" holds no specification`);
    res.json({ data: { type: spec.type, intelligenceMock: spec.intelligenceMock, operations: spec.operations, jobId: spec.jobId, uploadedAt: spec.uploadedAt } });
  });

  router.delete(`${base}/specs`, (req, res) => {
    res.json({ data: { deleted: jobs.remove(endpointParam(req)) } });
  });

  router.get(`${base}/jobs/:jobId`, (req, res) => {
    const name = endpointParam(req);
    const job = jobs.job(name, String(req.params['jobId']));
    if (job === undefined) throw notFound(`endpoint "${name}" has no job "${String(req.params['jobId']).slice(0, 80)}"`);
    res.json(job);
  });

  router.post(`${base}/specs/rules`, (req, res) => {
    const name = endpointParam(req);
    const spec = jobs.spec(name);
    if (spec === undefined) throw notFound(`endpoint "${name}" holds no specification`);
    const importer = registry.importers.find((i) => i.kind === spec.kind);
    const text = endpoints.get(name)?.document(spec.document);
    if (importer?.rules === undefined || text === undefined) {
      throw new MockgateError('validation_error', `rules cannot be made from a ${spec.type} specification`);
    }
    const current = endpoints.get(name)?.rules ?? [];
    const made = importer.rules(text);
    if (current.length + made.length > MAX_RULES) {
      throw validationError('/', `the specification makes ${made.length} rules; with the ${current.length} there are, that is over ${MAX_RULES}`);
    }
    const rules = made.map((r, i): StoredRule => ({ id: newId(), ...validateRule(r, registry, { code: 'validation_error', prefix: `/rules/${i}` }) }));
    endpoints.setRules(name, [...current, ...rules], (i) => `/rules/${i}`);
    res.status(201).json({ created: rules.length, data: rules.map((r) => r.id) });
  });

  return router;
}

/** The multipart `file` (up to `maxBytes`, else 413) and the other fields of a spec upload. */
function readSpecUpload(req: IncomingMessage, maxBytes: number): Promise<{ file: SpecFile; fields: Map<string, string> }> {
  const type = String(req.headers['content-type'] ?? '');
  if (!type.toLowerCase().startsWith('multipart/form-data')) {
    return Promise.reject(new MockgateError('validation_error', 'upload the specification as multipart/form-data with a "file" part', 'Content-Type'));
  }
  return new Promise((resolve, reject) => {
    const fields = new Map<string, string>();
    let file: SpecFile | undefined;
    let problem: MockgateError | undefined;
    const parser = busboy({ headers: req.headers, limits: { fileSize: maxBytes, files: 1, fields: 10 } });
    parser.on('field', (name, value) => fields.set(name, value));
    parser.on('file', (field, stream, info) => {
      if (field !== 'file') return void stream.resume();
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => {
        problem = new MockgateError('payload_too_large', `a specification may be at most ${maxBytes} bytes`, 'file');
      });
      stream.on('end', () => {
        file = { name: info.filename ?? 'spec', contentType: info.mimeType, bytes: Buffer.concat(chunks) };
      });
    });
    parser.on('error', (err: Error) => reject(new MockgateError('validation_error', `the multipart body does not parse: ${err.message}`, 'file')));
    parser.on('close', () => {
      if (problem) return reject(problem);
      if (file === undefined) return reject(new MockgateError('validation_error', 'the upload has no "file" part', 'file'));
      if (file.bytes.length === 0) return reject(new MockgateError('validation_error', 'the uploaded file is empty', 'file'));
      resolve({ file, fields });
    });
    req.pipe(parser);
  });
}
