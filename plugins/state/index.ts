// The state plugin: the `state` condition, which compares a counter, list or string of the endpoint's state.
import { CONTRACT_VERSION, definePlugin } from '../../core/contract.js';
import { stateCondition } from './conditions/state.js';

export default definePlugin({
  name: 'state',
  contract: CONTRACT_VERSION,
  conditions: [stateCondition],
});
