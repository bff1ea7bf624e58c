// The SOAP plugin: the `soap_action` condition (SOAPAction header, SOAP 1.2 Content-Type action, or the envelope's first
// Body child) and the `soap_fault` action (a SOAP 1.1 or 1.2 Fault envelope, prepared when the rule is written).
import { CONTRACT_VERSION, definePlugin } from '../../core/contract.js';
import { soapFaultAction } from './actions/soap-fault.js';
import { soapActionCondition } from './conditions/soap-action.js';

export default definePlugin({
  name: 'soap',
  contract: CONTRACT_VERSION,
  conditions: [soapActionCondition],
  actions: [soapFaultAction],
});
