// The proto3 JSON mapping (https://protobuf.dev/programming-guides/json/) as grpcurl prints it: JSON → message bytes
// for answers written as JSON, message bytes → JSON for requests. protobufjs's fromObject/toObject skip the well-known
// types' JSON forms, so each type gets a codec of precomputed closures, built on first use and cached with the type.
import protobuf from 'protobufjs';
import { WRAPPERS } from './protos.js';

type Writer = protobuf.Writer;
/** A message as protobufjs decodes it: fields on the wire are own properties, defaults sit on the prototype. */
type Decoded = Record<string, unknown>;

/** JSON that does not fit the message type; `path` locates it (`items[2].price`, '' for the message itself). */
export class JsonMappingError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(path === '' ? problem : `${path}: ${problem}`);
  }
}

/**
 * Proto3 JSON (lowerCamelCase or original field names, enums by name or number, int64 as strings or numbers, the
 * well-known types in their JSON forms, bytes as base64) → encoded message bytes. Throws a JsonMappingError naming the
 * field path when the JSON does not fit the type; unknown fields are an error.
 */
export function messageFromJson(type: protobuf.Type, json: unknown): Uint8Array {
  const writer = protobuf.Writer.create();
  try {
    codecOf(type).write(writer, json);
  } catch (err) {
    throw err instanceof Misfit ? new JsonMappingError(err.path, err.message) : err;
  }
  return writer.finish();
}

/**
 * Decoded bytes → proto3 JSON as grpcurl prints it: lowerCamelCase names (json_name), enums by name, 64-bit integers as
 * strings, the well-known types in their JSON forms, bytes as base64; fields at their default omitted. Throws on
 * malformed bytes. (A well-known type at the top, a Timestamp say, gives its JSON form, which may not be an object.)
 */
export function messageToJson(type: protobuf.Type, bytes: Uint8Array): Record<string, unknown> {
  try {
    // a plain view: protobufjs's Buffer reader cuts a truncated string short instead of refusing the message
    const view = Buffer.isBuffer(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) : bytes;
    return codecOf(type).read(type.decode(view) as unknown as Decoded) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`malformed ${type.fullName.slice(1)} message: ${(err as Error).message}`);
  }
}

/** The field's JSON name: its json_name option, else protoc's lowerCamelCase of its name. */
export function jsonNameOf(field: protobuf.Field): string {
  const option: unknown = field.options?.json_name;
  return typeof option === 'string' ? option : field.name.replace(/_+(.?)/g, (_, next: string) => next.toUpperCase());
}

/** Thrown where the JSON misfits; each level it unwinds through prepends where that was. */
class Misfit extends Error {
  path = '';
}
function within(err: unknown, segment: string): unknown {
  if (err instanceof Misfit) err.path = err.path === '' ? segment : err.path.startsWith('[') ? segment + err.path : `${segment}.${err.path}`;
  return err;
}
const keySegment = (key: string): string => `[${JSON.stringify(key)}]`;

function asObject(json: unknown, what: string): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Misfit(`expected ${what}`);
  return json as Record<string, unknown>;
}
/** Sets a map key of the JSON; a "__proto__" key stays a key. */
function setKey(json: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(json, key, { value, enumerable: true, writable: true, configurable: true });
  else json[key] = value;
}

// --- scalars -------------------------------------------------------------------------------------------------------

interface Scalar {
  /** The wire type its values are written with. */
  readonly wireType: number;
  /** JSON → what `put` takes; throws a Misfit. */
  parse(json: unknown): unknown;
  /** A map key, always a JSON string → what `put` takes. */
  parseKey(key: string): unknown;
  put(writer: Writer, value: unknown): void;
  /** Whether a parsed or decoded value is the type's default, which fields without presence leave out. */
  isZero(value: unknown): boolean;
  /** A decoded value → JSON. */
  print(value: unknown): unknown;
  /** A decoded map key (an object key) → the JSON key. */
  printKey(key: string): string;
}

const VARINT = 0, FIXED64 = 1, LENGTH_DELIMITED = 2, START_GROUP = 3, END_GROUP = 4, FIXED32 = 5;

function integer(json: unknown, type: string, min: number, max: number): number {
  const n = typeof json === 'number' ? json : typeof json === 'string' && /^-?\d+$/.test(json) ? Number(json) : NaN;
  if (!Number.isInteger(n)) throw new Misfit(`expected an integer (${type})`);
  if (n < min || n > max) throw new Misfit(`${n} is out of range for ${type}`);
  return n;
}

const int32Like = (type: string, wireType: number, min: number, max: number, put: (w: Writer, v: number) => void): Scalar => ({
  wireType,
  parse: (json) => integer(json, type, min, max),
  parseKey: (key) => integer(key, type, min, max),
  put: put as Scalar['put'],
  isZero: (value) => value === 0,
  print: (value) => value,
  printKey: (key) => key,
});

const INT64_MIN = -(2n ** 63n), INT64_MAX = 2n ** 63n - 1n, UINT64_MAX = 2n ** 64n - 1n;

/** 64-bit integers stay decimal strings (or safe numbers) up to the writer, which takes both. */
function long(json: unknown, type: string, unsigned: boolean): string | number {
  if (typeof json === 'number' && Number.isSafeInteger(json) && (json >= 0 || !unsigned)) return json;
  const integral = (typeof json === 'number' && Number.isInteger(json)) || (typeof json === 'string' && /^-?\d+$/.test(json));
  if (!integral) throw new Misfit(`expected an integer (${type}), a number or a decimal string`);
  const digits = BigInt(json);
  if (digits < (unsigned ? 0n : INT64_MIN) || digits > (unsigned ? UINT64_MAX : INT64_MAX)) {
    throw new Misfit(`${String(json)} is out of range for ${type}`);
  }
  return digits.toString();
}

const isLong = (value: unknown): value is protobuf.Long => typeof value === 'object' && value !== null;

const int64Like = (type: string, wireType: number, unsigned: boolean, put: (w: Writer, v: string | number) => void): Scalar => ({
  wireType,
  parse: (json) => long(json, type, unsigned),
  parseKey: (key) => long(key, type, unsigned),
  put: put as Scalar['put'],
  // decoded: a Long (or a number); parsed: a number or a decimal string
  isZero: (value) => (isLong(value) ? value.low === 0 && value.high === 0 : Number(value) === 0),
  print: (value) => String(value),
  // protobufjs keys decoded 64-bit map keys by an 8-character hash of their bits (a missing key stays "0")
  printKey: (key) => (key.length === 8 ? String(protobuf.util.longFromHash(key, unsigned)) : key),
});

const FLOAT_MAX = 3.4028234663852886e38;
const NON_FINITE = new Map([['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity]]);
const DECIMAL = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function floating(json: unknown, type: string): number {
  const n = typeof json === 'number' ? json : typeof json !== 'string' ? undefined : (NON_FINITE.get(json) ?? (DECIMAL.test(json) ? Number(json) : undefined));
  if (n === undefined) throw new Misfit(`expected a number (${type})`);
  if (type === 'float' && Number.isFinite(n) && Math.abs(n) > FLOAT_MAX) throw new Misfit(`${n} is out of range for float`);
  return n;
}

/** The shortest decimal that reads back as the same float32, as protoc's JSON printer writes floats. */
function shortestFloat(value: number): number {
  for (let precision = 1; precision <= 9; precision++) { // nine digits always suffice
    const candidate = Number(value.toPrecision(precision));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}

const floatLike = (type: 'float' | 'double', wireType: number, put: (w: Writer, v: number) => void): Scalar => ({
  wireType,
  parse: (json) => floating(json, type),
  parseKey: () => {
    throw new Misfit(`a ${type} cannot be a map key`);
  },
  put: put as Scalar['put'],
  isZero: (value) => value === 0,
  print: (value) => (Number.isFinite(value) ? (type === 'float' ? shortestFloat(value as number) : value) : String(value)),
  printKey: (key) => key,
});

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

const I32 = 2 ** 31, U32 = 2 ** 32;
const SCALARS: Readonly<Record<string, Scalar>> = {
  int32: int32Like('int32', VARINT, -I32, I32 - 1, (w, v) => w.int32(v)),
  sint32: int32Like('sint32', VARINT, -I32, I32 - 1, (w, v) => w.sint32(v)),
  sfixed32: int32Like('sfixed32', FIXED32, -I32, I32 - 1, (w, v) => w.sfixed32(v)),
  uint32: int32Like('uint32', VARINT, 0, U32 - 1, (w, v) => w.uint32(v)),
  fixed32: int32Like('fixed32', FIXED32, 0, U32 - 1, (w, v) => w.fixed32(v)),
  int64: int64Like('int64', VARINT, false, (w, v) => w.int64(v)),
  sint64: int64Like('sint64', VARINT, false, (w, v) => w.sint64(v)),
  sfixed64: int64Like('sfixed64', FIXED64, false, (w, v) => w.sfixed64(v)),
  uint64: int64Like('uint64', VARINT, true, (w, v) => w.uint64(v)),
  fixed64: int64Like('fixed64', FIXED64, true, (w, v) => w.fixed64(v)),
  double: floatLike('double', FIXED64, (w, v) => w.double(v)),
  float: floatLike('float', FIXED32, (w, v) => w.float(v)),
  bool: {
    wireType: VARINT,
    parse: (json) => {
      if (typeof json !== 'boolean') throw new Misfit('expected true or false');
      return json;
    },
    parseKey: (key) => {
      if (key !== 'true' && key !== 'false') throw new Misfit('expected "true" or "false"');
      return key === 'true';
    },
    put: (w, v) => w.bool(v as boolean),
    isZero: (value) => value === false,
    print: (value) => value,
    printKey: (key) => key,
  },
  string: {
    wireType: LENGTH_DELIMITED,
    parse: (json) => {
      if (typeof json !== 'string') throw new Misfit('expected a string');
      return json;
    },
    parseKey: (key) => key,
    put: (w, v) => w.string(v as string),
    isZero: (value) => value === '',
    print: (value) => value,
    printKey: (key) => key,
  },
  bytes: {
    wireType: LENGTH_DELIMITED,
    parse: (json) => {
      if (typeof json !== 'string' || !BASE64.test(json)) throw new Misfit('expected a base64 string');
      return Buffer.from(json, 'base64');
    },
    parseKey: () => {
      throw new Misfit('bytes cannot be a map key');
    },
    put: (w, v) => w.bytes(v as Uint8Array),
    isZero: (value) => (value as Uint8Array).length === 0,
    print: (value) => toBase64(value as Uint8Array),
    printKey: (key) => key,
  },
};

function enumScalar(type: protobuf.Enum): Scalar {
  const what = type.fullName.slice(1);
  const names = new Map<number, string>();
  for (const [name, number] of Object.entries(type.values)) if (!names.has(number)) names.set(number, name);
  return {
    ...SCALARS.int32!,
    parse(json) {
      if (typeof json !== 'string') return integer(json, `enum ${what}`, -I32, I32 - 1);
      if (!Object.hasOwn(type.values, json)) throw new Misfit(`"${json}" is not a value of enum ${what}`);
      return type.values[json];
    },
    print: (value) => names.get(value as number) ?? value,
  };
}

// --- messages ------------------------------------------------------------------------------------------------------

interface Codec {
  /** Writes the JSON form of a message of the type as its fields (no tag, no length); `inAny` lets "@type" through. */
  write(writer: Writer, json: unknown, inAny?: boolean): void;
  /** A decoded message of the type → its JSON form. */
  read(message: Decoded): unknown;
}

/** How a field reads and writes its values: all of them, tag included. */
interface FieldCodec {
  readonly jsonName: string;
  /** The (real) oneof it belongs to: JSON may set one member only. */
  readonly oneof: string | undefined;
  write(writer: Writer, json: unknown): void;
  /** undefined: the field is left out (unset, or at its default without presence). */
  read(message: Decoded): unknown;
}

const codecs = new WeakMap<protobuf.Type, Codec>();
function codecOf(type: protobuf.Type): Codec {
  return codecs.get(type) ?? (WELL_KNOWN[type.fullName] ? cache(type, WELL_KNOWN[type.fullName]!(type)) : messageCodec(type));
}
function cache(type: protobuf.Type, codec: Codec): Codec {
  codecs.set(type, codec);
  return codec;
}

function messageCodec(type: protobuf.Type): Codec {
  const what = `an object (${type.fullName.slice(1)})`;
  const fields: FieldCodec[] = [];
  const byKey = new Map<string, FieldCodec>();
  // cached before its fields are built: a recursive type finds itself
  const codec = cache(type, {
    write(writer, json, inAny) {
      const object = asObject(json, what);
      let oneofs: Map<string, string> | undefined;
      for (const key of Object.keys(object)) {
        try {
          const field = byKey.get(key);
          if (field === undefined) {
            if (inAny && key === '@type') continue;
            throw new Misfit(`unknown field of ${type.fullName.slice(1)}`);
          }
          const value = object[key];
          if (field.oneof !== undefined && value !== null) {
            const other = (oneofs ??= new Map()).get(field.oneof);
            if (other !== undefined) throw new Misfit(`"${other}" is set already: oneof ${field.oneof} takes one field`);
            oneofs.set(field.oneof, key);
          }
          field.write(writer, value);
        } catch (err) {
          throw within(err, key);
        }
      }
    },
    read(message) {
      const json: Record<string, unknown> = {};
      for (const field of fields) {
        const value = field.read(message);
        if (value !== undefined) json[field.jsonName] = value;
      }
      return json;
    },
  });
  for (const field of type.fieldsArray) {
    if (field.declaringField) continue; // an extension's copy in the extended type: not part of the JSON form
    const fieldCodec = fieldCodecOf(field.resolve());
    fields.push(fieldCodec);
    byKey.set(fieldCodec.jsonName, fieldCodec);
    byKey.set(field.name, fieldCodec);
  }
  return codec;
}

/** One value of a field's type under a field number: a scalar, an enum or a message. */
interface Slot {
  /** The scalar, for packed repeated fields and default checks; undefined for messages. */
  readonly scalar: Scalar | undefined;
  /** JSON null is a value (google.protobuf.Value), not "unset". */
  readonly takesNull: boolean;
  /** Writes tag and value; `skipZero` leaves a scalar at its default out. */
  put(writer: Writer, json: unknown, skipZero: boolean): void;
  read(value: unknown): unknown;
}

function slotOf(field: protobuf.Field, id: number): Slot {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) {
    const codec = codecOf(resolved);
    const empty = (): Decoded => resolved.create() as unknown as Decoded;
    const group = field.delimited;
    return {
      scalar: undefined,
      takesNull: resolved.fullName === '.google.protobuf.Value',
      put(writer, json) {
        if (group) {
          writer.uint32((id << 3) | START_GROUP);
          codec.write(writer, json);
          writer.uint32((id << 3) | END_GROUP);
        } else {
          codec.write(writer.uint32((id << 3) | LENGTH_DELIMITED).fork(), json);
          writer.ldelim();
        }
      },
      // a map entry without its value decodes as null
      read: (value) => codec.read((value ?? empty()) as Decoded),
    };
  }
  const scalar = resolved instanceof protobuf.Enum ? enumScalar(resolved) : SCALARS[field.type];
  if (scalar === undefined) throw new Error(`${field.fullName}: unsupported type ${field.type}`);
  const tag = (id << 3) | scalar.wireType;
  return {
    scalar,
    takesNull: false,
    put(writer, json, skipZero) {
      const value = scalar.parse(json);
      if (!(skipZero && scalar.isZero(value))) scalar.put(writer.uint32(tag), value);
    },
    read: (value) => scalar.print(value),
  };
}

function fieldCodecOf(field: protobuf.Field): FieldCodec {
  const { name, id } = field;
  const jsonName = jsonNameOf(field);
  const synthetic = field.options?.proto3_optional === true;
  const oneof = field.partOf && !synthetic ? field.partOf.name : undefined;

  if (field instanceof protobuf.MapField) {
    const key = SCALARS[field.keyType]!;
    const value = slotOf(field, 2);
    const keyTag = (1 << 3) | key.wireType;
    return {
      jsonName,
      oneof,
      write(writer, json) {
        if (json === null) return;
        const entries = asObject(json, 'an object (a map)');
        for (const k of Object.keys(entries)) {
          try {
            const parsedKey = key.parseKey(k);
            key.put(writer.uint32((id << 3) | LENGTH_DELIMITED).fork().uint32(keyTag), parsedKey);
            value.put(writer, entries[k], false);
            writer.ldelim();
          } catch (err) {
            throw within(err, keySegment(k));
          }
        }
      },
      read(message) {
        const entries = message[name] as Record<string, unknown>;
        const keys = Object.keys(entries);
        if (keys.length === 0) return undefined;
        const json: Record<string, unknown> = {};
        for (const k of keys) setKey(json, key.printKey(k), value.read(entries[k]));
        return json;
      },
    };
  }

  const slot = slotOf(field, id);
  if (field.repeated) {
    const packed = slot.scalar !== undefined && slot.scalar.wireType !== LENGTH_DELIMITED && field.packed ? slot.scalar : undefined;
    return {
      jsonName,
      oneof,
      write(writer, json) {
        if (json === null) return;
        if (!Array.isArray(json)) throw new Misfit('expected an array');
        if (packed !== undefined) writer.uint32((id << 3) | LENGTH_DELIMITED).fork();
        for (let i = 0; i < json.length; i++) {
          try {
            if (packed !== undefined) packed.put(writer, packed.parse(json[i]));
            else slot.put(writer, json[i], false);
          } catch (err) {
            throw within(err, `[${i}]`);
          }
        }
        if (packed !== undefined) writer.ldelim();
      },
      read(message) {
        const values = message[name] as unknown[];
        return values.length === 0 ? undefined : values.map((value) => slot.read(value));
      },
    };
  }

  // without presence (a proto3 scalar outside any oneof), a field at its default is neither written nor printed
  const presence = slot.scalar === undefined || Boolean(field.hasPresence);
  return {
    jsonName,
    oneof,
    write(writer, json) {
      if (json !== null || slot.takesNull) slot.put(writer, json, !presence);
    },
    read(message) {
      if (!Object.hasOwn(message, name)) return undefined;
      const value = message[name];
      return !presence && slot.scalar!.isZero(value) ? undefined : slot.read(value);
    },
  };
}

// --- well-known types ----------------------------------------------------------------------------------------------

/** The name of a well-known type's field by number (protobufjs names fields as the .proto does). */
const nameOf = (type: protobuf.Type, id: number): string => type.fieldsById[id]?.name ?? String(id);
/** A well-known type's message-typed field's type, e.g. Struct's Value; its codec is looked up on use (they recurse). */
const typeOf = (type: protobuf.Type, id: number): protobuf.Type => type.fieldsById[id]!.resolvedType as protobuf.Type;
const toNumber = (value: unknown): number => Number(isLong(value) ? String(value) : (value ?? 0));

/** Nanoseconds as protoc prints them: 0, 3, 6 or 9 digits. */
function fraction(nanos: number): string {
  if (nanos === 0) return '';
  if (nanos % 1e6 === 0) return `.${String(nanos / 1e6).padStart(3, '0')}`;
  if (nanos % 1e3 === 0) return `.${String(nanos / 1e3).padStart(6, '0')}`;
  return `.${String(nanos).padStart(9, '0')}`;
}
const nanosOf = (digits: string | undefined): number => (digits === undefined ? 0 : Number(digits.padEnd(9, '0')));

const RFC3339 = /^(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d\d):(\d\d))$/;
const MIN_SECONDS = -62135596800, MAX_SECONDS = 253402300799; // 0001-01-01T00:00:00Z, 9999-12-31T23:59:59Z

function parseTimestamp(json: unknown): { seconds: number; nanos: number } {
  const m = typeof json === 'string' ? RFC3339.exec(json) : null;
  if (m === null) throw new Misfit('expected an RFC 3339 timestamp, e.g. "2024-05-01T12:30:00Z"');
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC: it reads years 0–99 as 1900–1999
  if (date.getUTCMonth() !== month - 1 || hour > 23 || minute > 59 || second > 59) throw new Misfit(`${String(json)} is not a valid date and time`);
  const offset = m[8] === undefined ? 0 : (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 3600 + Number(m[10]) * 60);
  const seconds = date.getTime() / 1000 + hour * 3600 + minute * 60 + second - offset;
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) throw new Misfit(`${String(json)} is outside years 0001–9999`);
  return { seconds, nanos: nanosOf(m[7]) };
}

function formatTimestamp(seconds: number, nanos: number): string {
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) throw new Error(`timestamp ${seconds}s is outside years 0001–9999`);
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}${fraction(nanos)}Z`;
}

const DURATION = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/;
const MAX_DURATION_SECONDS = 315576000000; // 10,000 years

function parseDuration(json: unknown): { seconds: number; nanos: number } {
  const m = typeof json === 'string' ? DURATION.exec(json) : null;
  if (m === null) throw new Misfit('expected a duration in seconds, e.g. "1.5s"');
  const sign = m[1] === undefined ? 1 : -1;
  const seconds = Number(m[2]);
  if (seconds > MAX_DURATION_SECONDS) throw new Misfit(`${String(json)} is out of range for a duration`);
  return { seconds: sign * seconds, nanos: sign * nanosOf(m[3]) };
}

const formatDuration = (seconds: number, nanos: number): string =>
  `${seconds < 0 || nanos < 0 ? '-' : ''}${Math.abs(seconds)}${fraction(Math.abs(nanos))}s`;

/** Timestamp and Duration: { int64 seconds = 1; int32 nanos = 2; } as one string. */
function secondsCodec(parse: typeof parseDuration, format: typeof formatDuration) {
  return (type: protobuf.Type): Codec => {
    const seconds = nameOf(type, 1), nanos = nameOf(type, 2);
    return {
      write(writer, json) {
        const value = parse(json);
        if (value.seconds !== 0) writer.uint32((1 << 3) | VARINT).int64(value.seconds);
        if (value.nanos !== 0) writer.uint32((2 << 3) | VARINT).int32(value.nanos);
      },
      read: (message) => format(toNumber(message[seconds]), toNumber(message[nanos])),
    };
  };
}

/** DoubleValue … BytesValue: { <scalar> value = 1; } as the plain value. */
function wrapperCodec(type: protobuf.Type): Codec {
  const field = type.fieldsById[1]!;
  const scalar = SCALARS[field.type]!;
  return {
    write(writer, json) {
      const value = scalar.parse(json);
      if (!scalar.isZero(value)) scalar.put(writer.uint32((1 << 3) | scalar.wireType), value);
    },
    read: (message) => scalar.print(message[field.name]),
  };
}

/** FieldMask: paths in snake_case on the wire, "lowerCamel.paths,joined" in JSON. */
function fieldMaskCodec(type: protobuf.Type): Codec {
  const paths = nameOf(type, 1);
  return {
    write(writer, json) {
      if (typeof json !== 'string') throw new Misfit('expected a field mask, e.g. "name,address.city"');
      if (json === '') return;
      for (const path of json.split(',')) writer.uint32((1 << 3) | LENGTH_DELIMITED).string(path.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
    },
    read: (message) => (message[paths] as string[]).map((path) => path.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())).join(','),
  };
}

/** Struct: a JSON object; map<string, Value> fields = 1. */
function structCodec(type: protobuf.Type): Codec {
  const fields = nameOf(type, 1), valueType = typeOf(type, 1);
  return {
    write(writer, json) {
      const object = asObject(json, 'a JSON object');
      const value = codecOf(valueType);
      for (const key of Object.keys(object)) {
        try {
          const entry = writer.uint32((1 << 3) | LENGTH_DELIMITED).fork().uint32((1 << 3) | LENGTH_DELIMITED).string(key);
          value.write(entry.uint32((2 << 3) | LENGTH_DELIMITED).fork(), object[key]);
          writer.ldelim().ldelim();
        } catch (err) {
          throw within(err, keySegment(key));
        }
      }
    },
    read(message) {
      const entries = message[fields] as Record<string, Decoded>;
      const value = codecOf(valueType);
      const json: Record<string, unknown> = {};
      for (const key of Object.keys(entries)) setKey(json, key, value.read(entries[key]!));
      return json;
    },
  };
}

/** ListValue: a JSON array; repeated Value values = 1. */
function listValueCodec(type: protobuf.Type): Codec {
  const values = nameOf(type, 1), valueType = typeOf(type, 1);
  return {
    write(writer, json) {
      if (!Array.isArray(json)) throw new Misfit('expected an array');
      const value = codecOf(valueType);
      for (let i = 0; i < json.length; i++) {
        try {
          value.write(writer.uint32((1 << 3) | LENGTH_DELIMITED).fork(), json[i]);
          writer.ldelim();
        } catch (err) {
          throw within(err, `[${i}]`);
        }
      }
    },
    read: (message) => (message[values] as Decoded[]).map((value) => codecOf(valueType).read(value)),
  };
}

/** Value: any JSON value; oneof kind { null_value = 1; number_value = 2; string_value = 3; bool_value = 4; struct_value = 5; list_value = 6 }. */
function valueCodec(type: protobuf.Type): Codec {
  const [number, string, bool, struct, list] = [2, 3, 4, 5, 6].map((id) => nameOf(type, id)) as [string, string, string, string, string];
  const structType = typeOf(type, 5), listType = typeOf(type, 6);
  const nested = (writer: Writer, id: number, codec: Codec, json: unknown): void => {
    codec.write(writer.uint32((id << 3) | LENGTH_DELIMITED).fork(), json);
    writer.ldelim();
  };
  return {
    write(writer, json) {
      switch (typeof json) {
        case 'number':
          return void writer.uint32((2 << 3) | FIXED64).double(json);
        case 'string':
          return void writer.uint32((3 << 3) | LENGTH_DELIMITED).string(json);
        case 'boolean':
          return void writer.uint32((4 << 3) | VARINT).bool(json);
        case 'object':
          if (json === null) return void writer.uint32((1 << 3) | VARINT).int32(0);
          if (Array.isArray(json)) return nested(writer, 6, codecOf(listType), json);
          return nested(writer, 5, codecOf(structType), json);
        default:
          throw new Misfit('expected a JSON value');
      }
    },
    read(message) {
      if (Object.hasOwn(message, number)) return SCALARS.double!.print(message[number]);
      if (Object.hasOwn(message, string)) return message[string];
      if (Object.hasOwn(message, bool)) return message[bool];
      if (Object.hasOwn(message, struct)) return codecOf(structType).read(message[struct] as Decoded);
      if (Object.hasOwn(message, list)) return codecOf(listType).read(message[list] as Decoded);
      return null; // null_value, or no kind at all
    },
  };
}

/** Any: {"@type": "type.googleapis.com/pkg.Msg", ...the message's fields} or, for a well-known type, {"@type", "value"}. */
function anyCodec(type: protobuf.Type): Codec {
  const typeUrl = nameOf(type, 1), value = nameOf(type, 2);
  const lookup = (url: string): protobuf.Type | undefined => {
    const found = type.root.lookup(`.${url.slice(url.lastIndexOf('/') + 1)}`);
    return found instanceof protobuf.Type ? found : undefined;
  };
  return {
    write(writer, json) {
      const object = asObject(json, 'an object with "@type" (google.protobuf.Any)');
      const url = object['@type'];
      if (url === undefined && Object.keys(object).length === 0) return;
      if (typeof url !== 'string') throw new Misfit('"@type" must be a type URL, e.g. "type.googleapis.com/pkg.Message"');
      const embedded = lookup(url);
      if (embedded === undefined) throw within(new Misfit(`unknown type "${url}"`), '@type');
      writer.uint32((1 << 3) | LENGTH_DELIMITED).string(url).uint32((2 << 3) | LENGTH_DELIMITED).fork();
      if (WELL_KNOWN[embedded.fullName] === undefined) codecOf(embedded).write(writer, object, true);
      else {
        const extra = Object.keys(object).find((key) => key !== '@type' && key !== 'value');
        if (extra !== undefined) throw within(new Misfit('unknown field: a well-known type in an Any goes under "value"'), extra);
        try {
          codecOf(embedded).write(writer, object.value);
        } catch (err) {
          throw within(err, 'value');
        }
      }
      writer.ldelim();
    },
    read(message) {
      const url = message[typeUrl] as string;
      if (url === '') return {};
      const embedded = lookup(url);
      if (embedded === undefined) throw new Error(`an Any holds a ${url}, a type the protos do not define`);
      const json = codecOf(embedded).read(embedded.decode(message[value] as Uint8Array) as unknown as Decoded);
      return WELL_KNOWN[embedded.fullName] === undefined ? { '@type': url, ...(json as object) } : { '@type': url, value: json };
    },
  };
}

const WELL_KNOWN: Readonly<Record<string, (type: protobuf.Type) => Codec>> = {
  '.google.protobuf.Any': anyCodec,
  '.google.protobuf.Duration': secondsCodec(parseDuration, formatDuration),
  // {} like any message; listed so that an Any holding one puts it under "value", as protoc does
  '.google.protobuf.Empty': messageCodec,
  '.google.protobuf.FieldMask': fieldMaskCodec,
  '.google.protobuf.ListValue': listValueCodec,
  '.google.protobuf.Struct': structCodec,
  '.google.protobuf.Timestamp': secondsCodec(parseTimestamp, formatTimestamp),
  '.google.protobuf.Value': valueCodec,
  ...Object.fromEntries(Object.keys(WRAPPERS).map((name) => [`.google.protobuf.${name}`, wrapperCodec])),
};
