// Request → operation: base paths from servers/basePath, literal segments before templates, 405 for a known path.
import { describe, expect, it } from 'vitest';
import { loadDocument } from '../../../../plugins/openapi/load-spec.js';
import { compileRouter } from '../../../../plugins/openapi/router.js';

const ok = { responses: { '200': { description: 'ok' } } };
const paths = {
  '/pet/{petId}': { get: ok, delete: ok },
  '/pet/findByStatus': { get: ok },
  '/pet/{petId}/uploadImage': { post: ok },
  '/files/{name}.{ext}': { get: ok },
  '/users/{userId}/posts/{id}': { parameters: [{ name: 'userId', in: 'path', required: true, schema: { type: 'string' } }], get: ok },
};
const v3 = (servers: object[]) => compileRouter(loadDocument({ openapi: '3.0.3', info: { title: 't', version: '1' }, servers, paths }, false));
const matched = (route: ReturnType<ReturnType<typeof v3>>) => (route && 'op' in route ? `${route.op.method} ${route.op.pathTemplate} ${JSON.stringify(route.pathParams)}` : route);

describe('compileRouter', () => {
  const route = v3([{ url: 'https://petstore3.swagger.io/api/v3' }, { url: '/api' }, { url: '{scheme}://example.com/{base}', variables: { scheme: { default: 'https' }, base: { default: 'v9' } } }]);

  it('matches templates under each server\'s base path, variables filled with their defaults', () => {
    expect(matched(route('GET', '/api/v3/pet/7'))).toBe('GET /pet/{petId} {"petId":"7"}');
    expect(matched(route('GET', '/api/pet/7'))).toBe('GET /pet/{petId} {"petId":"7"}');
    expect(matched(route('GET', '/v9/pet/7/'))).toBe('GET /pet/{petId} {"petId":"7"}');
    expect(route('GET', '/pet/7')).toBeUndefined();
    expect(route('GET', '/api/v3/nothing/here')).toBeUndefined();
  });

  it('prefers literal segments, and captures several parameters in one segment, decoded', () => {
    expect(matched(route('GET', '/api/pet/findByStatus'))).toBe('GET /pet/findByStatus {}');
    expect(matched(route('GET', '/api/files/report%20one.pdf'))).toBe('GET /files/{name}.{ext} {"name":"report one","ext":"pdf"}');
    expect(matched(route('GET', '/api/users/u1/posts/9'))).toBe('GET /users/{userId}/posts/{id} {"userId":"u1","id":"9"}');
  });

  it('falls back to a template when the literal path lacks the method, else lists the allowed methods', () => {
    expect(matched(route('DELETE', '/api/pet/findByStatus'))).toBe('DELETE /pet/{petId} {"petId":"findByStatus"}');
    expect(route('PUT', '/api/pet/7')).toEqual({ allowed: ['GET', 'DELETE', 'HEAD'] });
    expect(matched(route('HEAD', '/api/pet/7'))).toBe('GET /pet/{petId} {"petId":"7"}');
  });

  it('serves from the root without servers, and from a 2.0 basePath', () => {
    expect(matched(v3([])('GET', '/pet/1'))).toBe('GET /pet/{petId} {"petId":"1"}');
    const v2 = compileRouter(loadDocument({ swagger: '2.0', info: { title: 't', version: '1' }, basePath: '/v2/', paths }, false));
    expect(matched(v2('GET', '/v2/pet/1'))).toBe('GET /pet/{petId} {"petId":"1"}');
  });
});
