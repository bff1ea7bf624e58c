// The proxy plugin: the `proxy` step of the no-match chain, forwarding to the endpoint's proxy target.
import { CONTRACT_VERSION, definePlugin } from '../../core/contract.js';
import { proxyStep } from './proxy-step.js';

export default definePlugin({
  name: 'proxy',
  contract: CONTRACT_VERSION,
  fallbacks: [proxyStep],
});
