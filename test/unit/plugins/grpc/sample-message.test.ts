// Generated messages: every message type of the fixtures round-trips through the JSON mapping with each field set,
// values fit the field names, recursion stops, oneofs get one member, seeds repeat.
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { jsonNameOf, messageFromJson, messageToJson } from '../../../../plugins/grpc/json-mapping.js';
import { sampleMessage } from '../../../../plugins/grpc/sample-message.js';
import { shop, typeOf } from './fixtures.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Every message type the fixtures define, nested ones included, the well-known ones aside. */
function messageTypes(namespace: protobuf.NamespaceBase): protobuf.Type[] {
  return namespace.nestedArray.flatMap((nested) => {
    if (nested.fullName.startsWith('.google.protobuf')) return [];
    const inner = nested instanceof protobuf.Namespace ? messageTypes(nested) : [];
    return nested instanceof protobuf.Type ? [nested, ...inner] : inner;
  });
}

describe('sampleMessage', () => {
  const types = messageTypes(shop.root);

  it('covers the fixtures', () => {
    const names = ['.shop.v1.Order', '.shop.v1.Order.Card', '.shop.v1.CategoryNode', '.google.type.Money', '.legacy.StockItem'];
    expect(types.map((t) => t.fullName)).toEqual(expect.arrayContaining(names));
  });

  it.each(types.map((type) => [type.fullName.slice(1), type] as const))('%s: round-trips with each field set', (_, type) => {
    const sample = sampleMessage(type);
    expect(messageToJson(type, messageFromJson(type, sample))).toEqual(sample);
    const firstOfOneof = (field: protobuf.Field): boolean => field.partOf === null || field.partOf.fieldsArray[0] === field;
    const expected = type.fieldsArray.filter(firstOfOneof).map(jsonNameOf);
    expect(Object.keys(sample).sort()).toEqual(expected.sort());
  });

  it('gives values that fit the field names and types', () => {
    const order = sampleMessage(typeOf('shop.v1.Order')) as Record<string, any>;
    expect(order.id).toMatch(UUID);
    expect(order.customer.email).toMatch(/^\S+@\S+\.\S+$/);
    expect(order.customer.fullName).toMatch(/\S+ \S+/);
    expect(order.customer.address.city).toEqual(expect.any(String));
    expect(order.status).toMatch(/^ORDER_STATUS_(PENDING|PAID|SHIPPED)$/);
    expect(order.status).toBe('ORDER_STATUS_PENDING'); // the first non-zero value
    expect(order.items.length).toBeGreaterThanOrEqual(1);
    expect(order.items.length).toBeLessThanOrEqual(3);
    expect(order.items[0].quantity).toBeGreaterThanOrEqual(1);
    expect(order.items[0].price.units).toMatch(/^\d+$/); // int64 as a string
    expect(order.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.now() - Date.parse(order.createdAt)).toBeLessThan(3 * 86_400_000);
    expect(order.deliveryWindow).toMatch(/^\d+s$/);
    expect(order.note).toEqual(expect.any(String));
    expect(order.loyaltyPoints).toMatch(/^\d+$/);
    expect(order.signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(order.card).toBeDefined(); // the first member of the oneof
    expect(order.voucherCode).toBeUndefined();
    expect(Object.keys(order.labels).length).toBeGreaterThanOrEqual(1);
    expect(Object.keys(order.labels).length).toBeLessThanOrEqual(2);
    expect(order.attachment).toEqual({});
    const stock = sampleMessage(typeOf('legacy.StockItem'));
    expect(stock.kind).toBe('PART');
  });

  it('bounds recursion: a node has children, the children have none', () => {
    const node = sampleMessage(typeOf('shop.v1.CategoryNode')) as { children: Record<string, unknown>[]; parent: Record<string, unknown> };
    expect(node.children.length).toBeGreaterThanOrEqual(1);
    expect(node.parent.name).toEqual(expect.any(String));
    for (const child of [...node.children, node.parent]) {
      expect(child.children).toBeUndefined();
      expect(child.parent).toBeUndefined();
    }
  });

  it('repeats its values for a seed', () => {
    const Order = typeOf('shop.v1.Order');
    expect(sampleMessage(Order, { seed: 7 })).toEqual(sampleMessage(Order, { seed: 7 }));
    expect(sampleMessage(Order, { seed: 7 })).not.toEqual(sampleMessage(Order, { seed: 8 }));
  });
});
