// The endpoint's GraphQL schema (an SDL uploaded through POST …/specs, or to PUT /api/v2/endpoints/{e}/graphql/schema),
// its importer, and the fallback step that answers GraphQL requests no rule answered: validated against the schema,
// with data generated from its types.
import { memoizeByText, type DocumentType, type FallbackStep, type SpecImporter } from '../../core/contract.js';
import { operationOf } from './condition.js';
import { answerFromSchema, buildMockSchema } from './schema-mock.js';

export const SCHEMA_PATH = 'graphql/schema';

// a large SDL takes a second or two to build
const schemaOf = memoizeByText(buildMockSchema);

export const schemaDocument: DocumentType = { path: SCHEMA_PATH, contentTypes: ['application/graphql', 'text/plain'] };

const SDL_NAME = /\.(graphqls?|gql|sdl)$/i;
// a type definition (not a YAML `type: object` line), and none of a .proto's own keywords
const SDL_TEXT = /^\s*(?:extend\s+)?(?:(?:type|interface|input|enum)\s+\w+[^:\n]*\{|union\s+\w+\s*=|scalar\s+\w+|schema\s*\{|directive\s+@)/m;
const PROTO_TEXT = /^\s*(?:syntax\s*=|message\s+\w+\s*\{|service\s+\w+\s*\{)/m;

export const schemaImporter: SpecImporter = {
  kind: 'graphql',
  specType: 'graphql',
  document: SCHEMA_PATH,
  detect(file) {
    if (SDL_NAME.test(file.name)) return true;
    const head = Buffer.from(file.bytes.subarray(0, 64 * 1024)).toString('utf8');
    return !/^\s*[{<[]/.test(head) && SDL_TEXT.test(head) && !PROTO_TEXT.test(head);
  },
  prepare: new URL(`./prepare-schema${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
};

export const schemaStep: FallbackStep = {
  name: 'graphql-schema',
  // after the proxy target (20): an uploaded spec answers what neither rules nor the real service did
  order: 30,
  compile(endpoint) {
    const sdl = endpoint.document(SCHEMA_PATH);
    if (sdl === undefined) return undefined;
    const schema = schemaOf(sdl);
    return async (ex) => {
      await ex.readBody();
      const op = operationOf(ex.request);
      if (op === undefined) return false;
      const answer = answerFromSchema(schema, { query: op.query, operationName: op.name || null, variables: op.variables ?? null });
      const body = Buffer.from(JSON.stringify(answer));
      ex.annotate({ behavior: 'graphql' });
      ex.respond({ status: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length }, body });
      return true;
    };
  },
};
