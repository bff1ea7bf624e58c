// The callout plugin: the `callout` action, which sends a request on to a real service — as a proxy (sync) or a webhook (async).
import { CONTRACT_VERSION, definePlugin } from '../../core/contract.js';
import { calloutAction } from './actions/callout.js';

export default definePlugin({
  name: 'callout',
  contract: CONTRACT_VERSION,
  actions: [calloutAction],
});
