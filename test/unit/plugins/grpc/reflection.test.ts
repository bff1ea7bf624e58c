// Server reflection, read with grpc's own reflection.proto (v1 and v1alpha): listing services, file descriptors by file
// name and by symbol (rebuilt into a protobufjs Root), the not-found and malformed cases.
import { createRequire } from 'node:module';
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor/index.js';
import { describe, expect, it } from 'vitest';
import { messageFromJson } from '../../../../plugins/grpc/json-mapping.js';
import type { CompiledProtos } from '../../../../plugins/grpc/protos.js';
import { answerReflection, REFLECTION_PATHS } from '../../../../plugins/grpc/reflection.js';
import { shop } from './fixtures.js';

const protoPath = (version: string): string =>
  createRequire(import.meta.url).resolve(`@grpc/reflection/build/proto/grpc/reflection/${version}/reflection.proto`);

/** A reflection client of one version: its request in, the decoded response out (camelCase names, as protobufjs loads). */
function client(version: 'v1' | 'v1alpha', protos: CompiledProtos | undefined) {
  const root = protobuf.loadSync(protoPath(version));
  const Request = root.lookupType(`grpc.reflection.${version}.ServerReflectionRequest`);
  const Response = root.lookupType(`grpc.reflection.${version}.ServerReflectionResponse`);
  return (request: Record<string, unknown>): Record<string, any> => {
    const bytes = answerReflection(Request.encode(Request.fromObject(request)).finish(), protos);
    return Response.toObject(Response.decode(bytes), { defaults: false });
  };
}
const ask = client('v1', shop);
const askWithoutProtos = client('v1', undefined);

type FileProto = { name: string; package?: string; dependency: string[]; messageType: { name: string; field: Record<string, any>[]; nestedType: any[] }[] };
const { FileDescriptorProto } = descriptor;
const files = (response: Record<string, any>): FileProto[] =>
  (response.fileDescriptorResponse.fileDescriptorProto as Uint8Array[]).map(
    (bytes) => FileDescriptorProto.toObject(FileDescriptorProto.decode(bytes), { arrays: true }) as FileProto,
  );

describe('answerReflection', () => {
  it('serves both versions of the reflection service', () => {
    expect(REFLECTION_PATHS).toEqual(['/grpc.reflection.v1.ServerReflection/ServerReflectionInfo', '/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo']);
    for (const version of ['v1', 'v1alpha'] as const) {
      expect(client(version, shop)({ listServices: '*' }).listServicesResponse.service.map((s: { name: string }) => s.name)).toContain('shop.v1.OrderService');
    }
  });

  it('lists the services, reflection included, and echoes the request', () => {
    const response = ask({ host: 'demo.local', listServices: '' });
    expect(response.listServicesResponse.service.map((s: { name: string }) => s.name)).toEqual([
      'legacy.Inventory', 'shop.v1.OrderService', 'grpc.reflection.v1.ServerReflection', 'grpc.reflection.v1alpha.ServerReflection',
    ]);
    expect(response.validHost).toBe('demo.local');
    expect(response.originalRequest).toEqual({ host: 'demo.local', listServices: '' });
    expect(askWithoutProtos({ listServices: '' }).listServicesResponse.service).toHaveLength(2);
  });

  it('answers a symbol with its file and the files it depends on, enough to rebuild the types', () => {
    const answer = files(ask({ fileContainingSymbol: 'shop.v1.OrderService' }));
    expect(answer.map((f) => f.name)).toEqual([
      'shop/v1/orders.proto', 'google/protobuf/any.proto', 'google/protobuf/duration.proto', 'google/protobuf/empty.proto', 'google/protobuf/field_mask.proto',
      'google/protobuf/struct.proto', 'google/protobuf/timestamp.proto', 'google/protobuf/wrappers.proto', 'google/type/money.proto', 'shop/v1/common.proto',
    ]);
    const orders = answer[0]!;
    expect(orders.package).toBe('shop.v1');
    expect(orders.dependency).toEqual(answer.slice(1).map((f) => f.name));

    const root = (protobuf.Root as unknown as { fromDescriptor(set: object): protobuf.Root }).fromDescriptor({ file: answer });
    const method = root.lookupService('shop.v1.OrderService').methods.ListOrders!;
    expect(method.resolvedRequestType!.fullName).toBe('.shop.v1.ListOrdersRequest');
    expect(method.resolvedResponseType!.fullName).toBe('.shop.v1.Order');
    expect(method.responseStream).toBe(true);
    // the rebuilt type (with the .proto field names) reads what the JSON mapping writes
    const Order = root.lookupType('shop.v1.Order');
    const decoded = Order.decode(messageFromJson(shop.root.lookupType('shop.v1.Order'), { id: 'o-1', total: { units: '3' }, shipTo: { city: 'Oslo' } }));
    expect(Order.toObject(decoded, { longs: String })).toMatchObject({ id: 'o-1', total: { units: '3' }, shipping_address: { city: 'Oslo' } });
  });

  it('describes fields as protoc does: map entries, json names, oneofs, proto3 optional', () => {
    const order = files(ask({ fileContainingSymbol: 'shop.v1.Order' }))[0]!.messageType.find((m) => m.name === 'Order')!;
    const field = (name: string) => order.field.find((f) => f.name === name)!;
    expect(field('labels')).toMatchObject({ label: 3, type: 11, typeName: '.shop.v1.Order.LabelsEntry', jsonName: 'labels' });
    expect(order.nestedType.map((t: { name: string }) => t.name)).toEqual(['Card', 'LabelsEntry', 'StockByWarehouseEntry', 'FlagsEntry', 'ItemsBySkuEntry']);
    expect(order.nestedType[1]).toMatchObject({ options: { mapEntry: true }, field: [{ name: 'key', type: 9 }, { name: 'value', type: 9 }] });
    expect(field('shipping_address')).toMatchObject({ jsonName: 'shipTo', typeName: '.shop.v1.Address' });
    expect(field('voucher_code')).toMatchObject({ oneofIndex: 0, jsonName: 'voucherCode' });
    expect(field('priority')).toMatchObject({ oneofIndex: 1, proto3Optional: true });
    expect(field('total')).toMatchObject({ type: 11, typeName: '.google.type.Money' });
  });

  it('finds methods, nested messages, enums and well-known types', () => {
    const fileOf = (symbol: string): string => files(ask({ fileContainingSymbol: symbol }))[0]!.name;
    expect(fileOf('shop.v1.OrderService.GetOrder')).toBe('shop/v1/orders.proto');
    expect(fileOf('shop.v1.Order.Card')).toBe('shop/v1/orders.proto');
    expect(fileOf('shop.v1.OrderStatus')).toBe('shop/v1/orders.proto');
    expect(fileOf('shop.v1.Address')).toBe('shop/v1/common.proto');
    expect(fileOf('google.protobuf.Timestamp')).toBe('google/protobuf/timestamp.proto');
    expect(fileOf('legacy.StockItem.Kind')).toBe('legacy/inventory.proto');
    expect(fileOf('grpc.reflection.v1alpha.ServerReflection')).toBe('grpc/reflection/v1alpha/reflection.proto');
  });

  it('answers a file name with the file and its dependencies', () => {
    expect(files(ask({ fileByFilename: 'google/type/money.proto' })).map((f) => f.name)).toEqual(['google/type/money.proto']);
    const inventory = files(ask({ fileByFilename: 'legacy/inventory.proto' }));
    expect(inventory.map((f) => f.name)).toEqual(['legacy/inventory.proto']);
    expect(inventory[0]).not.toHaveProperty('syntax'); // proto2, as protoc leaves it
  });

  it('answers what it does not know with NOT_FOUND', () => {
    const notFound = (request: Record<string, unknown>): unknown => ask(request).errorResponse;
    expect(notFound({ fileContainingSymbol: 'shop.v1.Nope' })).toEqual({ errorCode: 5, errorMessage: 'symbol "shop.v1.Nope" not found' });
    expect(notFound({ fileContainingSymbol: 'shop.v1' })).toMatchObject({ errorCode: 5 }); // a package is not a symbol
    for (const symbol of ['constructor', 'shop.v1.toString', '.', '..', 'shop..v1', '']) {
      expect(notFound({ fileContainingSymbol: symbol })).toMatchObject({ errorCode: 5 });
    }
    expect(notFound({ fileByFilename: 'nope.proto' })).toEqual({ errorCode: 5, errorMessage: 'file "nope.proto" not found' });
    expect(notFound({ fileContainingExtension: { containingType: 'shop.v1.Order', extensionNumber: 100 } })).toMatchObject({ errorCode: 5 });
    expect(notFound({ allExtensionNumbersOfType: 'shop.v1.Nope' })).toMatchObject({ errorCode: 5 });
    expect(askWithoutProtos({ fileContainingSymbol: 'shop.v1.Order' }).errorResponse).toMatchObject({ errorCode: 5 });
  });

  it('has no extension numbers to list', () => {
    expect(ask({ allExtensionNumbersOfType: 'legacy.StockItem' }).allExtensionNumbersResponse).toEqual({ baseTypeName: 'legacy.StockItem' });
  });

  it('answers a malformed or empty request with an error, never a throw', () => {
    const Response = protobuf.loadSync(protoPath('v1')).lookupType('grpc.reflection.v1.ServerReflectionResponse');
    const answer = (bytes: Uint8Array): Record<string, any> => Response.toObject(Response.decode(answerReflection(bytes, shop)));
    expect(answer(Uint8Array.of(0x0f, 0xff)).errorResponse).toMatchObject({ errorCode: 3, errorMessage: expect.stringMatching(/^malformed ServerReflectionRequest/) });
    expect(answer(new Uint8Array()).errorResponse).toMatchObject({ errorCode: 3 });
  });
});
