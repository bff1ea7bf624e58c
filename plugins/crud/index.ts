// The CRUD plugin: the `crud` action, a REST resource whose records live in one of the endpoint's data stores.
import { CONTRACT_VERSION, definePlugin } from '../../core/contract.js';
import { crudAction } from './actions/crud.js';

export default definePlugin({
  name: 'crud',
  contract: CONTRACT_VERSION,
  actions: [crudAction],
});
