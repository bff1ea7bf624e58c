// The OpenAPI importer's sniffing, and path templates as the path condition writes them.
import { describe, expect, it } from 'vitest';
import { oasImporter } from '../../../../plugins/openapi/importer.js';
import { ruleTemplate } from '../../../../plugins/openapi/spec-rules.js';

const file = (text: string, name = 'spec') => ({ name, contentType: 'application/octet-stream', bytes: Buffer.from(text) });

describe('oasImporter.detect', () => {
  it.each([
    ['YAML 3.x', 'openapi: 3.1.0\ninfo: {}'],
    ['YAML 2.0, quoted', "# comment\nswagger: '2.0'\n"],
    ['JSON', '{\n  "info": {},\n  "openapi": "3.0.3"\n}'],
    ['JSON with a BOM', '\uFEFF{"swagger":"2.0"}'],
  ])('claims %s', (_, text) => expect(oasImporter.detect(file(text))).toBe(true));

  it.each([
    ['a WSDL that mentions openapi', '<?xml version="1.0"?>\n<!-- openapi: 3.0.0 -->\n<definitions/>'],
    ['a .proto', 'syntax = "proto3";\n// openapi: 3.0.0\nservice Greeter {}'],
    ['a GraphQL SDL', 'type Query {\n  openapi: String\n}'],
    ['other YAML', 'apiVersion: v1\nkind: Pod\n'],
    ['a nested key', 'x:\n  openapi: 3.0.0\n'],
    ['JSON that is not a spec', '{"name": "openapi"}'],
  ])('does not claim %s', (_, text) => expect(oasImporter.detect(file(text))).toBe(false));
});

describe('ruleTemplate', () => {
  it('turns {params} into path-to-regexp parameters, quoting names and escaping literals where needed', () => {
    expect(ruleTemplate('/api/v3/pet/{petId}/uploadImage')).toBe('/api/v3/pet/:petId/uploadImage');
    expect(ruleTemplate('/files/{name}.{ext}')).toBe('/files/:name.:ext');
    expect(ruleTemplate('/a/{pet-id}')).toBe('/a/:"pet-id"');
    expect(ruleTemplate('/v1/{id}abc')).toBe('/v1/:"id"abc');
    expect(ruleTemplate('/odd(path)/*')).toBe('/odd\\(path\\)/\\*');
  });
});
