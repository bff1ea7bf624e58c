// The OpenAPI importer's preparation, run in the spec worker: parse (JSON or YAML), check the $refs (local only,
// resolving, expansion bounded), validate with swagger-parser, index the operations, then answer each once as a trial
// (a schema that cannot be generated within the limits fails the import, not a request). The stored document is
// the parsed one, $refs kept: cycles stay cycles and the text stays the size of the upload.
import SwaggerParser from '@apidevtools/swagger-parser';
import type { PrepareSpec } from '../../core/contract.js';
import { englishFaker, startSequence } from './fakers.js';
import { loadDocument, operationName, type StoredSpec } from './load-spec.js';
import { parseDocument } from './parse-document.js';
import { checkRefs } from './ref-guard.js';
import { compileServed } from './served-spec.js';

/** Lines of a validator message kept in the job's message: the first problems say enough. */
const MAX_MESSAGE_LINES = 8;

const prepare: PrepareSpec = async (file, job, options) => {
  job.stage('parsing', 0);
  const doc = parseDocument(Buffer.from(file.bytes).toString('utf8'), file.name) as any;
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc) || (doc.openapi === undefined && doc.swagger === undefined)) {
    throw new Error(`${file.name} is not an OpenAPI document: it has no top-level "openapi" or "swagger" field`);
  }

  job.stage('validating', 10);
  checkRefs(doc);
  try {
    // validation dereferences in place: give it a copy and keep the document as uploaded
    await SwaggerParser.validate(structuredClone(doc), { resolve: { external: false } } as SwaggerParser.Options);
  } catch (err) {
    throw new Error(`${file.name} is not a valid OpenAPI document: ${conciseMessage(err)}`);
  }

  job.stage('dereferencing', 50);
  const spec = loadDocument(doc, options.intelligenceMock);
  const served = compileServed(spec);

  job.stage('generating', 60);
  spec.operations.forEach((op, i) => {
    startSequence(englishFaker, 1);
    try {
      served.answerer(op)({}, englishFaker);
    } catch (err) {
      throw new Error(`${file.name}: ${operationName(op)}: ${(err as Error).message}`);
    }
    job.stage('generating', 60 + Math.round(((i + 1) / spec.operations.length) * 39));
  });

  const stored: StoredSpec = { spec: doc, intelligenceMock: options.intelligenceMock };
  return {
    text: JSON.stringify(stored),
    operations: spec.operations.map(operationName),
    result: {
      paths: Object.keys(doc.paths ?? {}).length,
      schemas: Object.keys((spec.version === '2.0' ? doc.definitions : doc.components?.schemas) ?? {}).length,
      ...(doc.webhooks ? { webhooks: Object.keys(doc.webhooks).length } : {}),
    },
  };
};

export default prepare;

/** swagger-parser lists every schema violation on its own line, under a heading; keep the first few. */
function conciseMessage(err: unknown): string {
  const [heading = '', ...lines] = String((err as Error)?.message ?? err).split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length === 0) return heading;
  const kept = lines.slice(0, MAX_MESSAGE_LINES).join('; ');
  const more = lines.length > MAX_MESSAGE_LINES ? `; … (${lines.length - MAX_MESSAGE_LINES} more)` : '';
  return `${heading.replace(/\.$/, '')}: ${kept}${more}`;
}
