// Protos as an endpoint's spec: a .proto file, a zip of them, or the JSON bundle of PUT …/protos.
import type { SpecImporter } from '../../core/contract.js';
import { PROTOS_PATH } from './protos.js';

const PROTO_TEXT = /^\s*(?:syntax\s*=\s*["']proto[23]["']|edition\s*=|package\s+[\w.]+\s*;|service\s+\w+\s*\{|message\s+\w+\s*\{)/m;

export const protosImporter: SpecImporter = {
  kind: 'grpc',
  specType: 'grpc',
  document: PROTOS_PATH,
  detect(file) {
    if (/\.(proto|zip)$/i.test(file.name)) return true;
    const head = Buffer.from(file.bytes.subarray(0, 64 * 1024)).toString('utf8');
    return /^\s*\{\s*"files"\s*:/.test(head) || (!/^\s*[{<[]/.test(head) && PROTO_TEXT.test(head));
  },
  prepare: new URL(`./prepare-protos${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
};
