// The GraphQL plugin: the `graphql` condition on a request's operation name, and graphqlOperation, graphqlVariable and
// graphqlQuery template helpers.
import { CONTRACT_VERSION, definePlugin } from '../../core/contract.js';
import { graphqlCondition } from './condition.js';

export default definePlugin({
  name: 'graphql',
  contract: CONTRACT_VERSION,
  conditions: [graphqlCondition],
  helpers: new URL('./helpers.js', import.meta.url),
});
