// What a request's SOAP envelope says before anything else is read: its SOAP version (the Envelope's namespace) and the
// local name of the first element of its Body. Used by the `soap_action` condition and by the WSDL answers.
import { VERSIONS } from './actions/soap-fault.js';
import { parseXml, type XmlElement } from './xml.js';

export type SoapVersion = keyof typeof VERSIONS;

export interface EnvelopeHead {
  /** Undefined for an Envelope in neither SOAP namespace (or in none). */
  readonly version: SoapVersion | undefined;
  /** Undefined for an empty Body. */
  readonly operation: string | undefined;
}

export function soapVersionOf(namespace: string): SoapVersion | undefined {
  return namespace === VERSIONS['1.1'].namespace ? '1.1' : namespace === VERSIONS['1.2'].namespace ? '1.2' : undefined;
}

/** The head of a SOAP envelope, or undefined for a body that is not well-formed XML or not an Envelope with a Body. */
export function readEnvelope(text: string): EnvelopeHead | undefined {
  if (text.trim() === '') return undefined;
  let root: XmlElement;
  try {
    root = parseXml(text, false);
  } catch {
    return undefined;
  }
  if (root.local !== 'Envelope') return undefined;
  const body = root.children().find((child) => child.local === 'Body');
  if (body === undefined) return undefined;
  return { version: soapVersionOf(root.ns), operation: body.children()[0]?.local };
}
