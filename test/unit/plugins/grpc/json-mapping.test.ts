// The proto3 JSON mapping both ways on the fixtures: every well-known type, names, enums, 64-bit integers, bytes, maps,
// oneofs, presence, the errors with their field paths, malformed bytes, and a round-trip property over all scalars.
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { JsonMappingError, messageFromJson, messageToJson } from '../../../../plugins/grpc/json-mapping.js';
import { compileProtos } from '../../../../plugins/grpc/protos.js';
import { typeOf } from './fixtures.js';

const Order = typeOf('shop.v1.Order');
const LineItem = typeOf('shop.v1.LineItem');
const Customer = typeOf('shop.v1.Customer');
const StockItem = typeOf('legacy.StockItem');

const roundTrip = (type: protobuf.Type, json: unknown): unknown => messageToJson(type, messageFromJson(type, json));
/** The message protobufjs itself decodes from the bytes, with 64-bit integers and enums as strings. */
const decoded = (type: protobuf.Type, json: unknown): Record<string, unknown> =>
  type.toObject(type.decode(messageFromJson(type, json)), { longs: String, enums: String, bytes: String });

function mappingError(type: protobuf.Type, json: unknown): JsonMappingError {
  try {
    messageFromJson(type, json);
  } catch (err) {
    expect(err).toBeInstanceOf(JsonMappingError);
    return err as JsonMappingError;
  }
  throw new Error('the JSON was accepted');
}

/** An order as grpcurl prints it: every field set, in field order, names in lowerCamelCase. */
const ORDER = {
  id: 'o-1',
  customer: { id: 'c-1', email: 'ada@example.com', fullName: 'Ada Lovelace', address: { city: 'London', postalCode: 'NW1' } },
  items: [
    { sku: 'A-1', quantity: 2, price: { currencyCode: 'EUR', units: '12', nanos: 500000000 } },
    { sku: 'B-2', quantity: 1 },
  ],
  status: 'ORDER_STATUS_PAID',
  total: { currencyCode: 'EUR', units: '-9007199254740993', nanos: -1 },
  createdAt: '2024-05-01T10:30:00.500Z',
  labels: { channel: 'web', 'with space': 'ok' },
  stockByWarehouse: { '-5': 3, '9223372036854775807': 1 },
  card: { holderName: 'Ada', last4: '4242', expiryYear: 2030 },
  note: 'leave at the door',
  metadata: { a: 1, b: [true, null, 'x', { c: {} }], d: { e: -2.5 } },
  deliveryWindow: '-1.500s',
  version: '7',
  sequence: '18446744073709551615',
  signature: 'AAECA/8=',
  priority: 0,
  loyaltyPoints: '0',
  gift: false,
  discount: 0.25,
  updateMask: 'fullName,address.postalCode',
  attachment: { '@type': 'type.googleapis.com/shop.v1.Address', city: 'Paris' },
  weightKg: 0.1,
  rating: 4.75,
  tags: ['new', 'gift'],
  flags: { true: 'yes' },
  adjustment: -3,
  checksum: '1234567890123',
  extra: 'anything',
  history: [1, 'two', null],
  shipTo: { street: '1 Main St' },
  pastStatuses: ['ORDER_STATUS_PENDING', 'ORDER_STATUS_UNSPECIFIED'],
  itemsBySku: { 'A-1': { sku: 'A-1' } },
};

describe('messageFromJson → messageToJson', () => {
  it('prints a full order back as it was written', () => {
    expect(roundTrip(Order, ORDER)).toEqual(ORDER);
  });

  it('writes what protobufjs reads as the same message', () => {
    expect(decoded(Order, ORDER)).toMatchObject({
      id: 'o-1',
      status: 'ORDER_STATUS_PAID',
      total: { currency_code: 'EUR', units: '-9007199254740993', nanos: -1 },
      created_at: { seconds: '1714559400', nanos: 500000000 },
      stock_by_warehouse: expect.any(Object),
      card: { holder_name: 'Ada', last4: '4242', expiry_year: 2030 },
      note: { value: 'leave at the door' },
      delivery_window: { seconds: '-1', nanos: -500000000 },
      sequence: '18446744073709551615',
      signature: 'AAECA/8=',
      update_mask: { paths: ['full_name', 'address.postal_code'] },
      tags: ['new', 'gift'],
      shipping_address: { street: '1 Main St' },
      past_statuses: ['ORDER_STATUS_PENDING', 'ORDER_STATUS_UNSPECIFIED'],
    });
    expect(decoded(LineItem, { sku: 'A', quantity: 3 })).toEqual({ sku: 'A', quantity: 3 });
  });

  it('takes original field names as well as lowerCamelCase ones', () => {
    const camel = messageFromJson(Customer, { fullName: 'Ada' });
    expect(messageFromJson(Customer, { full_name: 'Ada' })).toEqual(camel);
    expect(messageToJson(Order, messageFromJson(Order, { shipping_address: { postal_code: 'X' } }))).toEqual({ shipTo: { postalCode: 'X' } });
  });

  it('takes enums by name or number and prints them by name (unknown numbers as numbers)', () => {
    expect(roundTrip(Order, { status: 2 })).toEqual({ status: 'ORDER_STATUS_PAID' });
    expect(roundTrip(Order, { status: 42 })).toEqual({ status: 42 });
    expect(mappingError(Order, { status: 'LOST' }).message).toBe('status: "LOST" is not a value of enum shop.v1.OrderStatus');
  });

  it('takes 64-bit integers as numbers or decimal strings and prints them as strings', () => {
    expect(roundTrip(Order, { version: 7, sequence: '18446744073709551615', checksum: 12 })).toEqual({ version: '7', sequence: '18446744073709551615', checksum: '12' });
    expect(roundTrip(Order, { version: '-9223372036854775808' })).toEqual({ version: '-9223372036854775808' });
    expect(mappingError(Order, { version: '9223372036854775808' }).message).toBe('version: 9223372036854775808 is out of range for int64');
    expect(mappingError(Order, { sequence: -1 }).message).toBe('sequence: -1 is out of range for uint64');
    expect(mappingError(Order, { version: '1.5' }).message).toBe('version: expected an integer (int64), a number or a decimal string');
  });

  it('takes 32-bit integers as numbers or strings, within range', () => {
    expect(roundTrip(LineItem, { quantity: '12' })).toEqual({ quantity: 12 });
    expect(mappingError(LineItem, { quantity: 2 ** 31 }).message).toBe('quantity: 2147483648 is out of range for int32');
    expect(mappingError(LineItem, { quantity: 1.5 }).message).toBe('quantity: expected an integer (int32)');
  });

  it('takes bytes as standard or URL-safe base64 and prints standard base64', () => {
    expect(roundTrip(Order, { signature: 'AAECA_8' })).toEqual({ signature: 'AAECA/8=' });
    expect(mappingError(Order, { signature: 'not base64!' }).message).toBe('signature: expected a base64 string');
  });

  it('takes floats and doubles as numbers or strings, NaN and infinities as strings', () => {
    expect(roundTrip(Order, { rating: 'NaN', weightKg: '-Infinity' })).toEqual({ rating: 'NaN', weightKg: '-Infinity' });
    expect(roundTrip(Order, { rating: '1e3', weightKg: 3.14159 })).toEqual({ rating: 1000, weightKg: 3.14159 });
    expect(mappingError(Order, { weightKg: 1e39 }).message).toBe('weightKg: 1e+39 is out of range for float');
    expect(mappingError(Order, { rating: true }).message).toBe('rating: expected a number (double)');
    expect(mappingError(Order, { rating: 'constructor' }).message).toBe('rating: expected a number (double)');
  });

  it('leaves fields at their default out, unless they have presence', () => {
    expect(roundTrip(Order, { id: '', status: 'ORDER_STATUS_UNSPECIFIED', version: '0', tags: [], labels: {}, rating: 0 })).toEqual({});
    expect(roundTrip(Order, { priority: 0, voucherCode: '', customer: {}, note: '' })).toEqual({ priority: 0, voucherCode: '', customer: {}, note: '' });
    expect(roundTrip(Order, { id: null, customer: null, tags: null })).toEqual({});
  });

  it('keeps proto2 presence and defaults', () => {
    const item = { sku: 'S', count: 0, bins: [1, 2], kind: 'PART', notes: ['a'] };
    expect(roundTrip(StockItem, item)).toEqual(item);
    expect(StockItem.decode(messageFromJson(StockItem, { sku: 'S' }))).toMatchObject({ count: 1, kind: 2 });
  });

  it('maps map keys of every key type', () => {
    expect(roundTrip(Order, { stockByWarehouse: { 0: 1 }, flags: { false: 'no' } })).toEqual({ stockByWarehouse: { 0: 1 }, flags: { false: 'no' } });
    expect(mappingError(Order, { stockByWarehouse: { x: 1 } }).message).toBe('stockByWarehouse["x"]: expected an integer (int64), a number or a decimal string');
    expect(mappingError(Order, { itemsBySku: { a: { sku: 5 } } }).message).toBe('itemsBySku["a"].sku: expected a string');
  });

  it('keeps a "__proto__" key a key', () => {
    const json = JSON.parse('{"labels": {"__proto__": "x"}, "metadata": {"__proto__": {"polluted": true}}}');
    const printed = roundTrip(Order, json) as { labels: object; metadata: object };
    expect(Object.keys(printed.labels)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(printed.metadata)).toBe(Object.prototype);
    expect(JSON.stringify(printed)).toBe(JSON.stringify(json));
  });
});

describe('well-known types', () => {
  it('Timestamp: RFC 3339 with any offset in, UTC with 0, 3, 6 or 9 fractional digits out', () => {
    const at = (createdAt: string): unknown => (roundTrip(Order, { createdAt }) as { createdAt: string }).createdAt;
    expect(at('2024-05-01T12:30:00+02:00')).toBe('2024-05-01T10:30:00Z');
    expect(at('2024-05-01T10:30:00.12Z')).toBe('2024-05-01T10:30:00.120Z');
    expect(at('2024-05-01T10:30:00.000123Z')).toBe('2024-05-01T10:30:00.000123Z');
    expect(at('1969-12-31t23:59:59.999999999z')).toBe('1969-12-31T23:59:59.999999999Z');
    expect(at('0001-01-01T00:00:00Z')).toBe('0001-01-01T00:00:00Z');
    expect(at('1970-01-01T00:00:00Z')).toBe('1970-01-01T00:00:00Z'); // all zero on the wire, yet a message field is present
    for (const bad of ['2024-02-30T00:00:00Z', '2024-05-01 10:30:00Z', '2024-05-01T10:30:00', '2024-05-01T24:00:00Z', 1714559400]) {
      expect(mappingError(Order, { createdAt: bad }).message).toMatch(/^createdAt: (expected an RFC 3339 timestamp|.* is not a valid date and time)/);
    }
  });

  it('Duration: seconds with up to 9 fractional digits', () => {
    expect(roundTrip(Order, { deliveryWindow: '3600s' })).toEqual({ deliveryWindow: '3600s' });
    expect(roundTrip(Order, { deliveryWindow: '-0.000000001s' })).toEqual({ deliveryWindow: '-0.000000001s' });
    expect(roundTrip(Order, { deliveryWindow: '0.5s' })).toEqual({ deliveryWindow: '0.500s' });
    expect(mappingError(Order, { deliveryWindow: '1h' }).message).toBe('deliveryWindow: expected a duration in seconds, e.g. "1.5s"');
  });

  it('wrappers: the plain value, kept when it is the default', () => {
    expect(roundTrip(Order, { note: '', loyaltyPoints: 5, gift: true, discount: 0 })).toEqual({ note: '', loyaltyPoints: '5', gift: true, discount: 0 });
    expect(mappingError(Order, { gift: 'yes' }).message).toBe('gift: expected true or false');
  });

  it('Struct, Value and ListValue: plain JSON, null included', () => {
    const json = { metadata: { n: null, deep: { list: [[], {}, 0, ''] } }, extra: null, history: [] };
    expect(roundTrip(Order, json)).toEqual(json);
    expect(roundTrip(Order, { extra: { k: [1] } })).toEqual({ extra: { k: [1] } });
    expect(mappingError(Order, { metadata: [1] }).message).toBe('metadata: expected a JSON object');
    expect(mappingError(Order, { history: {} }).message).toBe('history: expected an array');
  });

  it('FieldMask: lowerCamelCase paths joined by commas, snake_case on the wire', () => {
    expect(roundTrip(Order, { updateMask: 'id,customer.fullName' })).toEqual({ updateMask: 'id,customer.fullName' });
    expect(roundTrip(Order, { updateMask: '' })).toEqual({ updateMask: '' });
    expect(mappingError(Order, { updateMask: ['id'] }).message).toMatch(/^updateMask: expected a field mask/);
  });

  it('Any: "@type" beside the fields, or beside "value" for a well-known type', () => {
    const duration = { '@type': 'type.googleapis.com/google.protobuf.Duration', value: '2s' };
    expect(roundTrip(Order, { attachment: duration })).toEqual({ attachment: duration });
    const nested = { '@type': 'type.googleapis.com/shop.v1.Customer', fullName: 'Ada', address: { city: 'Oslo' } };
    expect(roundTrip(Order, { attachment: nested })).toEqual({ attachment: nested });
    expect(roundTrip(Order, { attachment: {} })).toEqual({ attachment: {} });
    expect(mappingError(Order, { attachment: { '@type': 'type.googleapis.com/shop.v1.Nope' } }).message).toBe(
      'attachment.@type: unknown type "type.googleapis.com/shop.v1.Nope"',
    );
    expect(mappingError(Order, { attachment: { city: 'Oslo' } }).message).toMatch(/^attachment: "@type" must be a type URL/);
    expect(mappingError(Order, { attachment: { ...duration, seconds: 2 } }).message).toMatch(/^attachment\.seconds: unknown field/);
    expect(mappingError(Order, { attachment: { ...nested, nickname: 'A' } }).message).toBe('attachment.nickname: unknown field of shop.v1.Customer');
  });

  it('Empty: an empty object', () => {
    const Empty = typeOf('google.protobuf.Empty');
    expect(messageFromJson(Empty, {})).toHaveLength(0);
    expect(messageToJson(Empty, new Uint8Array())).toEqual({});
    expect(mappingError(Empty, { a: 1 }).message).toBe('a: unknown field of google.protobuf.Empty');
  });
});

describe('errors', () => {
  it('names an unknown field with its path', () => {
    const error = mappingError(Order, { items: [{ sku: 'a' }, { sku: 'b', colour: 'red' }] });
    expect(error.message).toBe('items[1].colour: unknown field of shop.v1.LineItem');
    expect(error.path).toBe('items[1].colour');
  });

  it('names a value of the wrong type with its path', () => {
    expect(mappingError(Order, { items: [{}, {}, { price: { units: 'ten' } }] }).message).toBe(
      'items[2].price.units: expected an integer (int64), a number or a decimal string',
    );
    expect(mappingError(Order, { customer: 'ada' }).message).toBe('customer: expected an object (shop.v1.Customer)');
    expect(mappingError(Order, { tags: 'a' }).message).toBe('tags: expected an array');
    expect(mappingError(Order, { tags: ['a', 1] }).message).toBe('tags[1]: expected a string');
    expect(mappingError(Order, { labels: { a: 1 } }).message).toBe('labels["a"]: expected a string');
    expect(mappingError(Order, { metadata: { a: { b: undefined } } }).message).toBe('metadata["a"]["b"]: expected a JSON value');
    expect(mappingError(Order, 'order').message).toBe('expected an object (shop.v1.Order)');
  });

  it('refuses two members of a oneof', () => {
    expect(mappingError(Order, { card: {}, voucherCode: 'X' }).message).toBe('voucherCode: "card" is set already: oneof payment takes one field');
    expect(messageFromJson(Order, { card: null, voucherCode: 'X' })).toBeInstanceOf(Uint8Array);
  });

  it('throws on malformed bytes', () => {
    expect(() => messageToJson(Order, Uint8Array.of(0x0a, 0x05, 0x41))).toThrow(/^malformed shop\.v1\.Order message: /);
    expect(() => messageToJson(Order, Uint8Array.of(0x0f))).toThrow(/^malformed shop\.v1\.Order message: /);
    expect(() => messageToJson(StockItem, new Uint8Array())).toThrow(/missing required 'sku'/);
  });

  it('cannot print an Any of a type the protos do not define', () => {
    const Any = typeOf('google.protobuf.Any');
    const bytes = Any.encode({ type_url: 'type.googleapis.com/x.Y', value: Uint8Array.of() }).finish();
    expect(() => messageToJson(Any, bytes)).toThrow(/an Any holds a type\.googleapis\.com\/x\.Y, a type the protos do not define/);
  });
});

describe('round trip, property', () => {
  const { root } = compileProtos(
    JSON.stringify({
      files: {
        'scalars.proto': `syntax = "proto3";
package p;
enum Color { COLOR_UNSPECIFIED = 0; RED = 1; GREEN = 2; }
message Scalars {
  double d = 1; float f = 2; int32 i32 = 3; int64 i64 = 4; uint32 u32 = 5; uint64 u64 = 6; sint32 s32 = 7; sint64 s64 = 8;
  fixed32 f32 = 9; fixed64 f64 = 10; sfixed32 sf32 = 11; sfixed64 sf64 = 12; bool b = 13; string s = 14; bytes by = 15;
  Color color = 16; repeated sint64 many = 17; map<uint32, string> names = 18; repeated Scalars children = 19;
}
service S { rpc Echo(Scalars) returns (Scalars); }`,
      },
    }),
  );
  const Scalars = root.lookupType('p.Scalars');
  const int64 = (min: bigint, max: bigint) => fc.bigInt({ min, max }).map(String);
  const scalars = fc.record(
    {
      d: fc.double({ noNaN: true, noDefaultInfinity: true }),
      f: fc.integer({ min: -99_999, max: 99_999 }).map((n) => n / 100), // six digits at most: a float keeps them
      i32: fc.integer(),
      i64: int64(-(2n ** 63n), 2n ** 63n - 1n),
      u32: fc.nat(2 ** 32 - 1),
      u64: int64(0n, 2n ** 64n - 1n),
      s32: fc.integer(),
      s64: int64(-(2n ** 63n), 2n ** 63n - 1n),
      f32: fc.nat(2 ** 32 - 1),
      f64: int64(0n, 2n ** 64n - 1n),
      sf32: fc.integer(),
      sf64: int64(-(2n ** 63n), 2n ** 63n - 1n),
      b: fc.boolean(),
      s: fc.string({ unit: 'grapheme' }),
      by: fc.uint8Array().map((bytes) => Buffer.from(bytes).toString('base64')),
      color: fc.constantFrom('COLOR_UNSPECIFIED', 'RED', 'GREEN'),
      many: fc.array(int64(-(2n ** 63n), 2n ** 63n - 1n), { maxLength: 4 }),
      names: fc.dictionary(fc.nat(2 ** 32 - 1).map(String), fc.string(), { maxKeys: 3 }),
    },
    { requiredKeys: [] },
  );
  const isDefault = (v: unknown): boolean =>
    v === 0 || v === '0' || v === '' || v === false || v === 'COLOR_UNSPECIFIED' || (typeof v === 'object' && v !== null && Object.keys(v).length === 0);
  /** What grpcurl would print: defaults (-0 included) left out. */
  const printed = (json: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(json).filter(([, v]) => !isDefault(v)));

  it('prints back every scalar it wrote', () => {
    fc.assert(
      fc.property(scalars, fc.array(scalars, { maxLength: 2 }), (json, children) => {
        const message = { ...json, ...(children.length > 0 ? { children } : {}) };
        const expected = { ...printed(json), ...(children.length > 0 ? { children: children.map(printed) } : {}) };
        expect(roundTrip(Scalars, message)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('prints a float as the shortest decimal that reads back as the same float32', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true, noInteger: true }), (f) => {
        const { f: printed } = roundTrip(Scalars, { f }) as { f: number };
        expect(Math.fround(printed)).toBe(Math.fround(f));
        expect(Number(printed.toPrecision(9))).toBe(printed); // nine significant digits at most
      }),
      { numRuns: 200 },
    );
  });
});
