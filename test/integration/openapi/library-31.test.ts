// An OpenAPI 3.1 document with webhooks and $refs across components: imported, every operation answered validly,
// named examples through Prefer, server variables in the base path, 204s, text alternatives, a discriminated oneOf.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDocument, type LoadedSpec } from '../../../plugins/openapi/load-spec.js';
import { parseDocument } from '../../../plugins/openapi/parse-document.js';
import { fixture, importSpec, schemaErrors } from '../../helpers/openapi.js';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
let spec: LoadedSpec;
let job: any;

beforeAll(async () => {
  mg = await startMockgate();
  spec = loadDocument(parseDocument(fixture('library-3.1.yaml').toString(), 'library'), false);
  job = await importSpec(mg, 'lib', 'library-3.1.yaml');
  // the request validator is exercised elsewhere; these requests carry no bodies
  await mg.api.patch('/api/v2/endpoints/lib/settings', { specs: { validateRequests: false } });
}, 60_000);
afterAll(() => mg?.close());

const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => fetch(`${mg.url}/e/lib${path}`, { method, headers });
const schemaOf = (path: string, method: string, status: string, type = 'application/json') =>
  spec.deref(spec.doc.paths[path][method].responses[status]).content[type].schema;

describe('OpenAPI 3.1', () => {
  it('imports: operations of the paths (webhooks are not served), counts of paths, schemas and webhooks', () => {
    expect(job.result).toEqual({ operations: 6, paths: 4, schemas: 9, webhooks: 1 });
  });

  it('serves under the server URL\'s path with its variables at their defaults (/v1)', async () => {
    expect((await get('/v1/books')).status).toBe(200);
    expect(await (await get('/books')).text()).toMatch(/no rule of endpoint/);
  });

  it('answers every operation validly, generated parts across $refs and type lists with null', async () => {
    for (let round = 0; round < 5; round++) {
      const page = await get('/v1/books');
      expect(schemaErrors(spec, schemaOf('/books', 'get', '200'), await page.json())).toEqual([]);
      expect(page.headers.get('x-total-count')).toMatch(/^\d+$/);
      expect(page.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      const created = await get('/v1/books', {}, 'POST');
      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toMatch(/^https?:\/\//);
      const book = await created.json() as any;
      expect(schemaErrors(spec, schemaOf('/books', 'post', '201'), book)).toEqual([]);
      expect(book).not.toHaveProperty('internalNote');
      const author = await get('/v1/authors/3');
      expect(schemaErrors(spec, schemaOf('/authors/{authorId}', 'get', '200'), await author.json())).toEqual([]);
      const loan = await (await get('/v1/loans', {}, 'POST')).json() as any;
      expect(schemaErrors(spec, schemaOf('/loans', 'post', '201'), loan)).toEqual([]);
      expect(loan.kind === 'paper' ? 'due' in loan : 'downloadUrl' in loan).toBe(true);
    }
  });

  it('answers the first example unless Prefer names another, or asks for a dynamic answer', async () => {
    expect(await (await get('/v1/books/978-0441172719')).json()).toMatchObject({ title: 'Dune', author: { name: 'Frank Herbert' } });
    expect(await (await get('/v1/books/978-0441172719', { prefer: 'example=neuromancer' })).json()).toMatchObject({ title: 'Neuromancer' });
    const dynamic = await (await get('/v1/books/978-0441172719', { prefer: 'dynamic=true' })).json();
    expect(dynamic).not.toMatchObject({ title: 'Dune' });
    expect(schemaErrors(spec, schemaOf('/books/{isbn}', 'get', '200'), dynamic)).toEqual([]);
    const unknown = await get('/v1/books/978-0441172719', { prefer: 'example=nope' });
    expect(unknown.status).toBe(500);
    expect((await unknown.json() as any).detail).toBe('GET /books/{isbn} declares no example named "nope" (responses: 200, 404)');
  });

  it('answers a declared error with its own media type, and 204 without a body', async () => {
    const problem = await get('/v1/books/978-0441172719', { prefer: 'code=404' });
    expect(problem.status).toBe(404);
    expect(problem.headers.get('content-type')).toBe('application/problem+json');
    expect(schemaErrors(spec, schemaOf('/books/{isbn}', 'get', '404', 'application/problem+json'), await problem.json())).toEqual([]);
    const removed = await get('/v1/books/978-0441172719', {}, 'DELETE');
    expect(removed.status).toBe(204);
    expect(await removed.text()).toBe('');
  });

  it('answers the text alternative when the client asks for it', async () => {
    const csv = await get('/v1/authors/3', { accept: 'text/csv' });
    expect(csv.headers.get('content-type')).toBe('text/csv');
    expect((await csv.text()).length).toBeGreaterThan(0);
  });
});
