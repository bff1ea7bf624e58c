// The protos document: compiling the fixtures (imports by import path, well-known types with and without upload, proto2
// and proto3, all four streaming kinds), the cache, and each refusal with the file, line or type it names.
import { describe, expect, it } from 'vitest';
import { compileProtos, protosDocument as document, PROTOS_PATH } from '../../../../plugins/grpc/protos.js';
import { INVENTORY_FILE, protosDocument, shop, SHOP_FILES } from './fixtures.js';

/** Why the document is refused (the importer's job fails with this message), as its message. */
function refusal(text: string): string {
  try {
    compileProtos(text);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('the document was accepted');
}
const files = (inline: Record<string, string>): string => JSON.stringify({ files: inline });
const PROTO3 = 'syntax = "proto3";\npackage demo;\n';

describe('compileProtos', () => {
  it('links the fixtures: services, methods of the four streaming kinds, uploaded files', () => {
    expect(shop.services).toEqual(['legacy.Inventory', 'shop.v1.OrderService']);
    const kinds = [...shop.methods.values()]
      .filter((m) => m.service === 'shop.v1.OrderService')
      .map((m) => [m.name, m.clientStreaming, m.serverStreaming]);
    expect(kinds).toEqual([
      ['GetOrder', false, false],
      ['ListOrders', false, true],
      ['UploadItems', true, false],
      ['Chat', true, true],
      ['Ping', false, false],
      ['Categories', false, false],
    ]);
    const get = shop.methods.get('shop.v1.OrderService/GetOrder')!;
    expect(get).toMatchObject({ path: 'shop.v1.OrderService/GetOrder', service: 'shop.v1.OrderService', name: 'GetOrder' });
    expect(get.requestType.fullName).toBe('.shop.v1.GetOrderRequest');
    expect(get.responseType.fullName).toBe('.shop.v1.Order');
    expect(shop.methods.get('shop.v1.OrderService/Ping')!.requestType.fullName).toBe('.google.protobuf.Empty');
    expect(Object.keys(shop.files).sort()).toEqual([...SHOP_FILES, INVENTORY_FILE].sort());
  });

  it('resolves imports by import path and keeps the original field names', () => {
    const total = shop.root.lookupType('shop.v1.Order').fields.total!;
    expect(total.resolvedType!.fullName).toBe('.google.type.Money');
    expect(Object.keys(shop.root.lookupType('google.type.Money').fields)).toEqual(['currency_code', 'units', 'nanos']);
  });

  it('describes each file of the set, the well-known ones it pulled in included', () => {
    const orders = shop.protoFiles.get('shop/v1/orders.proto')!;
    expect(orders).toMatchObject({ package: 'shop.v1', syntax: 'proto3' });
    expect(orders.imports).toContain('google/type/money.proto');
    expect(orders.definitions.map((d) => d.name)).toEqual([
      'OrderStatus', 'Customer', 'LineItem', 'Order', 'CategoryNode', 'GetOrderRequest', 'ListOrdersRequest', 'UploadSummary', 'ChatMessage', 'OrderService',
    ]);
    expect(shop.protoFiles.get(INVENTORY_FILE)!.syntax).toBe('proto2');
    expect(shop.protoFiles.get('google/protobuf/timestamp.proto')!.definitions.map((d) => d.name)).toEqual(['Timestamp']);
    expect(shop.protoFiles.has('google/protobuf/api.proto')).toBe(false);
  });

  it('takes uploaded well-known files instead of its own, without a duplicate definition', () => {
    const timestamp = 'syntax = "proto3";\npackage google.protobuf;\n// uploaded\nmessage Timestamp { int64 seconds = 1; int32 nanos = 2; }\n';
    const protos = compileProtos(protosDocument(SHOP_FILES, { 'google/protobuf/timestamp.proto': timestamp }));
    expect(protos.files['google/protobuf/timestamp.proto']).toBe(timestamp);
    expect(protos.root.lookupType('google.protobuf.Timestamp').fields.seconds!.type).toBe('int64');
  });

  it('offers descriptor.proto and the other shipped well-known files, for custom options', () => {
    const protos = compileProtos(
      files({
        'routes.proto': `${PROTO3}import "google/protobuf/descriptor.proto";\nimport "google/protobuf/api.proto";\n
extend google.protobuf.MethodOptions { string route = 50001; }
message Ping { google.protobuf.Api api = 1; }
service S { rpc Get(Ping) returns (Ping) { option (route) = "/ping"; } }`,
      }),
    );
    expect(protos.services).toEqual(['demo.S']);
    expect([...protos.protoFiles.keys()]).toEqual([
      'routes.proto',
      ...['descriptor', 'api', 'source_context', 'type', 'any'].map((name) => `google/protobuf/${name}.proto`),
    ]);
  });

  it('is cached by text', () => {
    const text = protosDocument(SHOP_FILES);
    expect(compileProtos(text)).toBe(compileProtos(text));
  });

  it('declares the document type', () => {
    expect(document).toEqual({ path: PROTOS_PATH, contentTypes: ['application/json'] });
  });
});

describe('refusals', () => {
  it('names the file and the line of a parse error', () => {
    expect(refusal(files({ 'orders.proto': `${PROTO3}message A {\n  int32 x = 1\n}\nservice S {}\n` }))).toMatch(/^orders\.proto line 5: illegal token '}'/);
    expect(refusal(files({ 'a.proto': `${PROTO3}service S {}`, 'b.proto': 'syntax = "proto3";\nmesage B {}\n' }))).toMatch(/^b\.proto line 2: illegal token 'mesage'/);
  });

  it('names both files of an import neither uploaded nor well-known', () => {
    expect(refusal(files({ 'shop.proto': `${PROTO3}import "google/type/date.proto";\nservice S {}` }))).toBe(
      'shop.proto imports "google/type/date.proto", which is neither uploaded nor a well-known type',
    );
  });

  it('names an unknown type and where it is used', () => {
    expect(refusal(files({ 'a.proto': `${PROTO3}message X {}\nservice S { rpc Get(Missing) returns (X); }` }))).toBe('a.proto: unknown type "Missing" in demo.S.Get');
    expect(refusal(files({ 'a.proto': `${PROTO3}message X {}\nservice S { rpc Get(X) returns (Nope); }` }))).toBe('a.proto: unknown type "Nope" in demo.S.Get');
    expect(refusal(files({ 'a.proto': `${PROTO3}message X { message Y { Gone g = 1; } }\nservice S {}` }))).toBe('a.proto: unknown type "Gone" in demo.X.Y.g');
  });

  it('names the file of a duplicate definition', () => {
    expect(refusal(files({ 'a.proto': `${PROTO3}message X {}\nservice S {}`, 'b.proto': `${PROTO3}message X {}` }))).toMatch(/^b\.proto: duplicate name 'X'/);
  });

  it('explains a document of the wrong shape', () => {
    expect(refusal('syntax = "proto3";')).toMatch(/^the document is not JSON .*: expected a JSON object \{"files"/);
    for (const text of ['[]', '{}', '{"files": []}', '{"files": "x.proto"}']) expect(refusal(text)).toMatch(/^expected a JSON object \{"files"/);
    expect(refusal('{"files": {}}')).toMatch(/^"files" holds no file/);
    expect(refusal('{"files": {"a.proto": 1}}')).toBe('files["a.proto"] must be the text of the file, a string');
    expect(refusal(files({ 'a.txt': PROTO3 }))).toMatch(/^"a\.txt" is not a \.proto import path/);
  });

  it('refuses files that define no service', () => {
    expect(refusal(files({ 'a.proto': `${PROTO3}message X {}` }))).toBe('the files define no service: a gRPC endpoint needs at least one');
  });
});
