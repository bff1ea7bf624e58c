// The OpenAPI plugin: OpenAPI 2.0/3.0/3.1 specs uploaded through POST …/specs answer every operation no rule answers,
// with examples or values generated from their schemas (request validation first), and turn into editable rules.
import { CONTRACT_VERSION, definePlugin } from '../../core/contract.js';
import { oasImporter, openapiDocument } from './importer.js';
import { specStep } from './spec-step.js';

export default definePlugin({
  name: 'openapi',
  contract: CONTRACT_VERSION,
  documents: [openapiDocument],
  importers: [oasImporter],
  fallbacks: [specStep],
});
