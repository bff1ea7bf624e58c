// Security requirements: the operation's or the document's, alternatives ORed and schemes ANDed, credentials checked
// for presence only; a request without any answers 401 with WWW-Authenticate and a problem+json body.
import { describe, expect, it } from 'vitest';
import { compileSecurityCheck } from '../../../../plugins/openapi/security.js';
import { operationOf, requestOf, specOf } from './fixtures.js';

const schemes = {
  key: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
  queryKey: { type: 'apiKey', in: 'query', name: 'api_key' },
  cookieKey: { type: 'apiKey', in: 'cookie', name: 'sid' },
  basic: { type: 'http', scheme: 'basic' },
  bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
  oauth: { type: 'oauth2', flows: { implicit: { authorizationUrl: 'https://x/auth', scopes: {} } } },
  mtls: { type: 'mutualTLS' },
};

const ok = { 200: { description: 'ok' } };
const v31 = specOf({
  openapi: '3.1.0', info: { title: 't', version: '1' },
  security: [{ key: [] }],
  components: { securitySchemes: schemes },
  paths: {
    '/default': { get: { responses: ok } },
    '/open': { get: { security: [], responses: ok } },
    '/optional': { get: { security: [{ bearer: [] }, {}], responses: ok } },
    '/either': { get: { security: [{ key: [] }, { bearer: [] }, { basic: [] }], responses: ok } },
    '/both': { get: { security: [{ queryKey: [], cookieKey: [] }], responses: ok } },
    '/oauth': { get: { security: [{ oauth: ['read'] }], responses: ok } },
    '/tls': { get: { security: [{ mtls: [] }], responses: ok } },
  },
});

const checkOf = (path: string) => compileSecurityCheck(v31, operationOf(v31, `GET ${path}`));
const answer = (path: string, headers: Record<string, string> = {}, url = path) => checkOf(path)!(requestOf('GET', url, { headers }));

describe('compileSecurityCheck', () => {
  it('applies the document\'s security unless the operation has its own; none, [] and {} mean no check', () => {
    expect(checkOf('/default')).toBeTypeOf('function');
    expect(checkOf('/open')).toBeUndefined();
    expect(checkOf('/optional')).toBeUndefined();
    expect(checkOf('/tls')).toBeUndefined();
    const plain = specOf({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths: { '/x': { get: { responses: ok } } } });
    expect(compileSecurityCheck(plain, operationOf(plain, 'GET /x'))).toBeUndefined();
  });

  it('answers 401 without the API key, with WWW-Authenticate and Prism\'s problem+json', () => {
    const response = answer('/default')!;
    expect(response.status).toBe(401);
    expect(response.headers).toMatchObject({ 'www-authenticate': 'ApiKey name="X-API-Key", in="header"', 'content-type': 'application/problem+json' });
    expect(JSON.parse(String(response.body))).toEqual({
      type: 'https://stoplight.io/prism/errors#UNAUTHORIZED',
      title: 'Invalid security scheme used',
      status: 401,
      detail: 'The operation requires credentials the request does not carry: the X-API-Key header. mockgate checks only that they are present.',
    });
    expect(answer('/default', { 'x-api-key': '' })?.status).toBe(401);
  });

  it('lets any value of the credential through, header names in any case', () => {
    expect(answer('/default', { 'X-Api-KEY': 'anything' })).toBeUndefined();
  });

  it('passes a request that meets any one alternative, and names them all when it meets none', () => {
    expect(answer('/either', { 'x-api-key': 'k' })).toBeUndefined();
    expect(answer('/either', { authorization: 'Bearer abc.def' })).toBeUndefined();
    expect(answer('/either', { authorization: 'basic dXNlcjpwYXNz' })).toBeUndefined();
    const refused = answer('/either', { authorization: 'Token abc' })!;
    expect(refused.status).toBe(401);
    expect(refused.headers!['www-authenticate']).toBe('ApiKey name="X-API-Key", in="header", Bearer, Basic realm="*"');
    expect(JSON.parse(String(refused.body)).detail).toContain('the X-API-Key header; or a Bearer token; or Basic credentials');
    expect(answer('/either', { authorization: 'Bearer ' })?.status).toBe(401);
  });

  it('requires every scheme of an alternative: a query key and a cookie together', () => {
    expect(answer('/both', { cookie: 'sid=1' }, '/both?api_key=k')).toBeUndefined();
    expect(answer('/both', {}, '/both?api_key=k')?.status).toBe(401);
    expect(answer('/both', { cookie: 'other=1; sid=2' })?.status).toBe(401);
  });

  it('takes a bearer token for OAuth 2', () => {
    expect(answer('/oauth', { authorization: 'Bearer t' })).toBeUndefined();
    expect(answer('/oauth')!.headers!['www-authenticate']).toBe('Bearer');
  });

  it('reads Swagger 2.0 securityDefinitions: basic, apiKey, oauth2', () => {
    const v20 = specOf({
      swagger: '2.0', info: { title: 't', version: '1' },
      securityDefinitions: { basic: { type: 'basic' }, key: { type: 'apiKey', in: 'query', name: 'key' }, oauth: { type: 'oauth2', flow: 'implicit', authorizationUrl: 'https://x', scopes: {} } },
      paths: { '/x': { get: { security: [{ basic: [] }, { key: [] }, { oauth: [] }], responses: ok } } },
    });
    const check = compileSecurityCheck(v20, operationOf(v20, 'GET /x'))!;
    expect(check(requestOf('GET', '/x', { headers: { authorization: 'Basic Zm9vOmJhcg==' } }))).toBeUndefined();
    expect(check(requestOf('GET', '/x?key=1'))).toBeUndefined();
    expect(check(requestOf('GET', '/x', { headers: { authorization: 'Bearer t' } }))).toBeUndefined();
    expect(check(requestOf('GET', '/x'))!.headers!['www-authenticate']).toBe('Basic realm="*", ApiKey name="key", in="query", Bearer');
  });
});
