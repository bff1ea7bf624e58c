// The endpoint's security header, compiled once: a request lacking it, or sending another value, is refused with 401.
import type { EndpointSettings, MockResponse } from '../contract.js';
import { refusal } from './refusal.js';

export interface SecurityGate {
  /** Lower-case, as node gives incoming header names. */
  readonly header: string;
  readonly value: string;
  readonly missing: MockResponse;
  readonly wrong: MockResponse;
}

export function compileSecurity(security: EndpointSettings['security']): SecurityGate | undefined {
  if (!security.enabled) return undefined;
  const header = security.headerKey.toLowerCase();
  return {
    header,
    value: security.headerValue,
    missing: refusal('unauthorized_api_key', `this endpoint requires the header "${security.headerKey}"; see its security settings`),
    wrong: refusal('unauthorized_api_key', `the header "${security.headerKey}" does not carry the value this endpoint requires`),
  };
}

/**
 * undefined when the request may pass; else the 401. The whole value must match (node joins a repeated header
 * with ", ", which then does not). Plain `===`: a mock's shared secret, shown in its settings, not a password store.
 */
export function checkSecurity(gate: SecurityGate, value: string | string[] | undefined): MockResponse | undefined {
  if (value === gate.value) return undefined;
  return value === undefined ? gate.missing : gate.wrong;
}
