// The WSDL importer's preparation, run in the spec worker: reads the WSDL through the same model the fallback step
// compiles (so what passes here answers there) and lists its SOAP operations. The stored document is the WSDL itself.
import type { PrepareSpec } from '../../core/contract.js';
import { readWsdl } from './wsdl-model.js';

const prepare: PrepareSpec = async (file, job) => {
  job.stage('validating', 0);
  const text = Buffer.from(file.bytes).toString('utf8');
  let operations;
  try {
    ({ operations } = readWsdl(text));
  } catch (err) {
    throw new Error(`not a WSDL 1.1 document mockgate can answer from: ${(err as Error).message}`);
  }
  job.stage('mapping', 90);
  const names = [...new Set(operations.map((op) => op.name))];
  return { text, operations: names, result: { bindings: new Set(operations.map((op) => op.version)).size } };
};

export default prepare;
