// An operation's security requirements (its own `security`, else the document's), checked for the presence of a
// credential only: any value of an API key, any Basic or Bearer token passes. A request with none answers 401.
import { headerValue, type MockRequest, type MockResponse } from '../../core/contract.js';
import { resolveRef } from './json-schema.js';
import type { LoadedSpec, OperationRef } from './load-spec.js';
import { prismProblem } from './prism-problem.js';
import { cookiesOf } from './request-parts.js';

export type SecurityCheck = (request: MockRequest) => MockResponse | undefined;

interface Credential {
  /** Whether the request carries it; cookies are parsed once per request, when asked. */
  present(request: MockRequest, cookies: () => ReadonlyMap<string, string>): boolean;
  /** A WWW-Authenticate challenge. */
  challenge: string;
  /** How the 401's detail names it. */
  label: string;
}

const ANYTHING: Credential = { present: () => true, challenge: '', label: '' };

/**
 * The check, or undefined when no security applies: none declared, `security: []`, or an empty `{}` alternative
 * (the credential is optional). Alternatives are ORed; the schemes of one alternative are ANDed.
 */
export function compileSecurityCheck(spec: LoadedSpec, op: OperationRef): SecurityCheck | undefined {
  const requirements: unknown = op.operation.security ?? spec.doc.security;
  if (!Array.isArray(requirements) || requirements.length === 0) return undefined;
  const schemes = (spec.version === '2.0' ? spec.doc.securityDefinitions : spec.doc.components?.securitySchemes) ?? {};
  const alternatives = requirements.map((requirement) =>
    Object.keys(requirement ?? {}).map((name) => credentialOf(resolveRef(spec, schemes[name]))));
  if (alternatives.some((all) => all.every((c) => c === ANYTHING))) return undefined;

  const challenges = [...new Set(alternatives.flat().map((c) => c.challenge).filter((c) => c !== ''))];
  const wanted = alternatives.map((all) => all.filter((c) => c !== ANYTHING).map((c) => c.label).join(' and ')).join('; or ');
  const response = prismProblem({
    type: 'UNAUTHORIZED',
    title: 'Invalid security scheme used',
    status: 401,
    detail: `The operation requires credentials the request does not carry: ${wanted}. mockgate checks only that they are present.`,
  }, { 'www-authenticate': challenges.join(', ') });

  return (request) => {
    let cookies: ReadonlyMap<string, string> | undefined;
    const cookiesOnce = (): ReadonlyMap<string, string> => (cookies ??= cookiesOf(request));
    return alternatives.some((all) => all.every((c) => c.present(request, cookiesOnce))) ? undefined : response;
  };
}

function credentialOf(scheme: any): Credential {
  switch (scheme?.type) {
    case 'apiKey':
      return apiKey(String(scheme.in), String(scheme.name));
    case 'basic': // Swagger 2.0
      return authorization('basic');
    case 'http':
      return authorization(String(scheme.scheme ?? '').toLowerCase());
    case 'oauth2':
    case 'openIdConnect':
      return authorization('bearer');
    default:
      // mutualTLS, or a scheme the document does not define: nothing to look for in the request
      return ANYTHING;
  }
}

function apiKey(where: string, name: string): Credential {
  const challenge = `ApiKey name="${name.replace(/["\\]/g, '')}", in="${where}"`;
  const nonEmpty = (value: string | undefined): boolean => value !== undefined && value !== '';
  switch (where) {
    case 'header': {
      const lower = name.toLowerCase();
      return { present: (request) => nonEmpty(headerValue(request, lower)), challenge, label: `the ${name} header` };
    }
    case 'query':
      return { present: (request) => nonEmpty(request.query.get(name) ?? undefined), challenge, label: `the ${name} query parameter` };
    case 'cookie':
      return { present: (_, cookies) => nonEmpty(cookies().get(name)), challenge, label: `the ${name} cookie` };
    default:
      return ANYTHING;
  }
}

/** An `Authorization: <scheme> <credentials>` header, the scheme compared case-insensitively (RFC 9110 §11.1). */
function authorization(scheme: string): Credential {
  if (scheme === '') return ANYTHING;
  const prefix = `${scheme} `;
  const name = scheme.charAt(0).toUpperCase() + scheme.slice(1);
  return {
    present(request) {
      const value = headerValue(request, 'authorization');
      return value !== undefined && value.toLowerCase().startsWith(prefix) && value.slice(prefix.length).trim() !== '';
    },
    challenge: scheme === 'basic' ? 'Basic realm="*"' : name,
    label: scheme === 'basic' ? 'Basic credentials' : `a ${name} token`,
  };
}
