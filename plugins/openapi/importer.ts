// The OpenAPI importer: recognises an uploaded OpenAPI 2.0/3.0/3.1 document (JSON or YAML), prepares it in the spec
// worker, and makes rules from the stored document. The document is stored at `openapi`, which the spec step reads.
import type { DocumentType, SpecImporter } from '../../core/contract.js';
import { rulesFromSpec } from './spec-rules.js';
import { OPENAPI_DOCUMENT } from './spec-step.js';

export const openapiDocument: DocumentType = {
  path: OPENAPI_DOCUMENT,
  contentTypes: ['application/json', 'application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain'],
};

const SNIFF_BYTES = 64 * 1024;
// a top-level `openapi:`/`swagger:` key: at the start of a YAML line, or a JSON member whose value is a version string
const YAML_KEY = /^["']?(openapi|swagger)["']?[ \t]*:[ \t]*["']?\d/m;
const JSON_KEY = /"(openapi|swagger)"\s*:\s*"\d/;

export const oasImporter: SpecImporter = {
  kind: 'oas',
  specType: 'openapi',
  document: OPENAPI_DOCUMENT,
  detect(file) {
    const head = Buffer.from(file.bytes.subarray(0, SNIFF_BYTES)).toString('utf8').replace(/^\uFEFF/, '');
    // XML (a WSDL), a .proto or an SDL may mention OpenAPI in a comment; only JSON or YAML text is one
    if (/^\s*</.test(head)) return false;
    return /^\s*\{/.test(head) ? JSON_KEY.test(head) : YAML_KEY.test(head);
  },
  prepare: new URL(`./prepare-spec${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
  rules: rulesFromSpec,
};
