// The GraphQL plugin: the `graphql` condition on a request's operation name; graphqlOperation, graphqlVariable and
// graphqlQuery template helpers; and answers generated from an uploaded schema for GraphQL requests no rule answers.
import { CONTRACT_VERSION, definePlugin } from '../../core/contract.js';
import { graphqlCondition } from './condition.js';
import { schemaDocument, schemaImporter, schemaStep } from './schema-step.js';

export default definePlugin({
  name: 'graphql',
  contract: CONTRACT_VERSION,
  conditions: [graphqlCondition],
  helpers: new URL('./helpers.js', import.meta.url),
  documents: [schemaDocument],
  importers: [schemaImporter],
  fallbacks: [schemaStep],
});
