// The protos importer's preparation, run in the spec worker: turns an upload — one .proto, a zip of them, or the JSON
// bundle {"files": {...}} — into the bundle, compiles it (the check that names file and line), and lists its methods.
import { unzipSync } from 'fflate';
import type { PrepareSpec, SpecFile } from '../../core/contract.js';
import { compileProtos } from './protos.js';

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const isZip = (bytes: Uint8Array): boolean => ZIP_MAGIC.every((b, i) => bytes[i] === b);

/** The bundles an upload may mean, most literal first: a zip of a folder may or may not include the import root. */
function bundlesOf(file: SpecFile): Array<Record<string, string>> | string {
  if (isZip(file.bytes)) {
    const files: Record<string, string> = {};
    for (const [name, bytes] of Object.entries(unzipSync(file.bytes, { filter: (f) => f.name.endsWith('.proto') }))) {
      files[name.replace(/^\.\//, '')] = Buffer.from(bytes).toString('utf8');
    }
    const names = Object.keys(files);
    if (names.length === 0) throw new Error(`the zip "${file.name}" holds no .proto file`);
    const top = names[0]!.split('/')[0]!;
    const shared = names.every((n) => n.startsWith(`${top}/`));
    return shared ? [files, Object.fromEntries(names.map((n) => [n.slice(top.length + 1), files[n]!]))] : [files];
  }
  const text = Buffer.from(file.bytes).toString('utf8');
  if (/^\s*\{/.test(text)) return text;
  return [{ [/\.proto$/.test(file.name) ? file.name.replace(/^.*[\\/]/, '') : 'upload.proto']: text }];
}

const prepare: PrepareSpec = async (file, job) => {
  job.stage('reading', 0);
  const bundles = bundlesOf(file);
  const candidates = typeof bundles === 'string' ? [bundles] : bundles.map((files) => JSON.stringify({ files }));
  job.stage('linking', 30);
  let first: Error | undefined;
  for (const text of candidates) {
    try {
      const protos = compileProtos(text);
      job.stage('mapping', 90);
      return { text, operations: [...protos.methods.keys()], result: { services: protos.services.length } };
    } catch (err) {
      first ??= err as Error;
    }
  }
  throw first!;
};

export default prepare;
