// The SOAP plugin: the `soap_action` condition (SOAPAction header, SOAP 1.2 Content-Type action, or the envelope's first
// Body child), the `soap_fault` action (a SOAP 1.1 or 1.2 Fault envelope, prepared when the rule is written), and
// answers from an uploaded WSDL (`wsdl` document): `?wsdl` serves it, SOAP requests no rule answered get sample output.
import { CONTRACT_VERSION, definePlugin } from '../../core/contract.js';
import { soapFaultAction } from './actions/soap-fault.js';
import { soapActionCondition } from './conditions/soap-action.js';
import { wsdlDocument, wsdlImporter, wsdlStep } from './wsdl-step.js';

export default definePlugin({
  name: 'soap',
  contract: CONTRACT_VERSION,
  conditions: [soapActionCondition],
  actions: [soapFaultAction],
  documents: [wsdlDocument],
  importers: [wsdlImporter],
  fallbacks: [wsdlStep],
});
