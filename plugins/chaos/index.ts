// The chaos plugin: the `fault` action. (The `chaos` block of mock actions, callouts and the proxy is the core's, in
// the contract, so every plugin spoils answers the same way.)
import { CONTRACT_VERSION, definePlugin } from '../../core/contract.js';
import { faultAction } from './actions/fault.js';

export default definePlugin({
  name: 'chaos',
  contract: CONTRACT_VERSION,
  actions: [faultAction],
});
