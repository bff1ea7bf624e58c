// Which importer a spec upload goes to: exactly one of the built-in plugins' importers claims each real document, by
// its content (the name helps only where the content is ambiguous); anything else is claimed by none.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { SpecFile } from '../../../core/contract.js';
import { BUILTIN_PLUGINS } from '../../../core/plugins/builtin-plugins.js';

const importers = BUILTIN_PLUGINS.flatMap((p) => p.importers ?? []);
const fixture = (path: string): Buffer => readFileSync(fileURLToPath(new URL(`../../fixtures/${path}`, import.meta.url)));
const file = (name: string, bytes: Uint8Array | string): SpecFile =>
  ({ name, contentType: 'application/octet-stream', bytes: typeof bytes === 'string' ? Buffer.from(bytes) : bytes });
const claims = (f: SpecFile): string[] => importers.filter((i) => i.detect(f)).map((i) => i.kind);

const SDL = 'type Query {\n  user(id: ID!): User\n}\n\ntype User { id: ID! name: String }\n';
const PROTO = 'syntax = "proto3";\npackage demo;\nservice Echo { rpc Say (Msg) returns (Msg); }\nmessage Msg { string text = 1; }\n';

describe('spec kind detection', () => {
  it.each(readdirSync(fileURLToPath(new URL('../../fixtures/openapi/', import.meta.url))))('OpenAPI %s is oas, under any name', (name) => {
    expect(claims(file(name, fixture(`openapi/${name}`)))).toEqual(['oas']);
    expect(claims(file('upload', fixture(`openapi/${name}`)))).toEqual(['oas']);
  });

  it.each(readdirSync(fileURLToPath(new URL('../../fixtures/wsdl/', import.meta.url))))('WSDL %s is wsdl, under any name', (name) => {
    expect(claims(file('service.xml', fixture(`wsdl/${name}`)))).toEqual(['wsdl']);
  });

  it('protos: a .proto file, proto text under another name, a zip of them, the JSON bundle', () => {
    expect(claims(file('greeter.proto', fixture('protos/greeter/greeter.proto')))).toEqual(['grpc']);
    expect(claims(file('upload.txt', PROTO))).toEqual(['grpc']);
    const zip = zipSync({ 'greeter/greeter.proto': fixture('protos/greeter/greeter.proto'), 'greeter/types.proto': fixture('protos/greeter/types.proto') });
    expect(claims(file('protos.zip', zip))).toEqual(['grpc']);
    expect(claims(file('bundle.json', JSON.stringify({ files: { 'a.proto': PROTO } })))).toEqual(['grpc']);
  });

  it('GraphQL: SDL text, GitHub\'s schema, and an SDL file name', () => {
    expect(claims(file('upload', SDL))).toEqual(['graphql']);
    expect(claims(file('schema.txt', readFileSync(fileURLToPath(new URL('../../../node_modules/@octokit/graphql-schema/schema.graphql', import.meta.url)))))).toEqual(['graphql']);
    expect(claims(file('schema.graphql', '# empty for now\n'))).toEqual(['graphql']);
  });

  it('claims nothing that is none of them', () => {
    for (const text of ['hello', '{"info": {"name": "a Postman collection"}, "item": []}', '<html><body>no</body></html>',
      'type: object\nproperties:\n  id: {type: string}\n', '']) {
      expect(claims(file('upload', text)), text).toEqual([]);
    }
  });
});
