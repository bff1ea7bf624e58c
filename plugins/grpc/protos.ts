// The endpoint's protos, uploaded to PUT /api/v2/endpoints/{e}/protos as {"files": {"<import path>.proto": "<text>"}}:
// parsed and linked by protobufjs, imports resolved among the uploaded files by their import paths, Google's well-known
// types available without upload. Nothing is read from the file system or the network on the uploader's behalf.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import protobuf from 'protobufjs';
import { memoizeByText, type DocumentType } from '../../core/contract.js';

export const PROTOS_PATH = 'protos';

export interface ProtoMethod {
  /** 'pkg.Service/Method' (no leading slash): the service's full name + '/' + the method's name. */
  path: string;
  /** 'pkg.Service' */
  service: string;
  /** 'Method' */
  name: string;
  requestType: protobuf.Type;
  responseType: protobuf.Type;
  clientStreaming: boolean;
  serverStreaming: boolean;
}

/** What a file defines at its top level. */
export type ProtoDefinition = protobuf.Type | protobuf.Enum | protobuf.Service;

/** One file of a compiled set, uploaded or well-known: what reflection needs to describe it. */
export interface ProtoFile {
  /** Its import path. */
  name: string;
  /** '' when it declares none. */
  package: string;
  /** Import paths, weak and public imports included, all of them in the set. */
  imports: readonly string[];
  /** 'proto2', 'proto3', or an edition ('2023'). */
  syntax: string;
  /** Its top-level messages, enums and services, in declaration order. */
  definitions: readonly ProtoDefinition[];
}

export interface CompiledProtos {
  /** Field names are the .proto names (keepCase): the JSON mapping derives lowerCamelCase names itself. */
  root: protobuf.Root;
  /** By path 'pkg.Service/Method'. */
  methods: ReadonlyMap<string, ProtoMethod>;
  /** Full service names, sorted. */
  services: readonly string[];
  /** The uploaded files, by import path. */
  files: Readonly<Record<string, string>>;
  /** Every file of the set — the uploaded ones, then the well-known ones they import — by import path. */
  protoFiles: ReadonlyMap<string, ProtoFile>;
}

/** google/protobuf/wrappers.proto: each message holds one `value` of its scalar type. */
export const WRAPPERS: Readonly<Record<string, string>> = {
  DoubleValue: 'double', FloatValue: 'float', Int64Value: 'int64', UInt64Value: 'uint64', Int32Value: 'int32',
  UInt32Value: 'uint32', BoolValue: 'bool', StringValue: 'string', BytesValue: 'bytes',
};

// Google's well-known types, written out rather than taken from protobufjs's bundled JSON (`protobuf.common`): that JSON
// names Value's fields in camelCase and carries no syntax, and reflection must describe these files as protoc would.
const wellKnown = (body: string): string => `syntax = "proto3";\npackage google.protobuf;\n${body}\n`;
const WELL_KNOWN: Readonly<Record<string, string>> = {
  'google/protobuf/any.proto': wellKnown('message Any { string type_url = 1; bytes value = 2; }'),
  'google/protobuf/duration.proto': wellKnown('message Duration { int64 seconds = 1; int32 nanos = 2; }'),
  'google/protobuf/empty.proto': wellKnown('message Empty {}'),
  'google/protobuf/field_mask.proto': wellKnown('message FieldMask { repeated string paths = 1; }'),
  'google/protobuf/timestamp.proto': wellKnown('message Timestamp { int64 seconds = 1; int32 nanos = 2; }'),
  'google/protobuf/struct.proto': wellKnown(`message Struct { map<string, Value> fields = 1; }
message Value {
  oneof kind {
    NullValue null_value = 1; double number_value = 2; string string_value = 3;
    bool bool_value = 4; Struct struct_value = 5; ListValue list_value = 6;
  }
}
enum NullValue { NULL_VALUE = 0; }
message ListValue { repeated Value values = 1; }`),
  'google/protobuf/wrappers.proto': wellKnown(
    Object.entries(WRAPPERS)
      .map(([name, scalar]) => `message ${name} { ${scalar} value = 1; }`)
      .join('\n'),
  ),
};
// the larger ones protobufjs ships as .proto files: read from its package on first import
const SHIPPED = new Set(['descriptor', 'source_context', 'type', 'api'].map((name) => `google/protobuf/${name}.proto`));
const requireHere = createRequire(import.meta.url);
function wellKnownText(name: string): string | undefined {
  return WELL_KNOWN[name] ?? (SHIPPED.has(name) ? readFileSync(requireHere.resolve(`protobufjs/${name}`), 'utf8') : undefined);
}

/**
 * Parses the document text `{"files": {"<import path>.proto": "<text>", ...}}`; cached by text. Throws an Error
 * explaining what is wrong: a file that does not parse (named, with the line), an import that is neither uploaded nor
 * well-known, an unknown type, a document of the wrong shape, files defining no service.
 */
export const compileProtos = memoizeByText((documentText): CompiledProtos => {
  const protos = linkFiles(readDocument(documentText));
  if (protos.services.length === 0) throw new Error('the files define no service: a gRPC endpoint needs at least one');
  return protos;
});

export const protosDocument: DocumentType = { path: PROTOS_PATH, contentTypes: ['application/json'] };

const SHAPE = 'expected a JSON object {"files": {"<import path>.proto": "<file text>", ...}}';
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function readDocument(text: string): Record<string, string> {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (err) {
    throw new Error(`the document is not JSON (${(err as Error).message}): ${SHAPE}`);
  }
  const files = isObject(document) ? document.files : undefined;
  if (!isObject(files)) throw new Error(SHAPE);
  const names = Object.keys(files);
  if (names.length === 0) throw new Error(`"files" holds no file: ${SHAPE}`);
  for (const name of names) {
    if (typeof files[name] !== 'string') throw new Error(`files["${name}"] must be the text of the file, a string`);
    if (!name.endsWith('.proto')) throw new Error(`"${name}" is not a .proto import path (e.g. "shop/v1/orders.proto")`);
  }
  return files as Record<string, string>;
}

function linkFiles(uploaded: Record<string, string>): CompiledProtos {
  const root = new protobuf.Root();
  const protoFiles = new Map<string, ProtoFile>();
  const placed = new Set<protobuf.ReflectionObject>();
  for (const [name, text] of Object.entries(uploaded)) protoFiles.set(name, parseFile(root, name, text, placed));
  // the map's iteration reaches the well-known files added on the way, so their own imports are followed too
  for (const file of protoFiles.values()) {
    for (const imported of file.imports) {
      if (protoFiles.has(imported)) continue;
      const text = wellKnownText(imported);
      if (text === undefined) throw new Error(`${file.name} imports "${imported}", which is neither uploaded nor a well-known type`);
      protoFiles.set(imported, parseFile(root, imported, text, placed));
    }
  }
  for (const file of protoFiles.values()) resolveFile(file);
  try {
    root.resolveAll();
  } catch (err) {
    throw new Error(`the protos do not link: ${(err as Error).message}`);
  }

  const methods = new Map<string, ProtoMethod>();
  const services: string[] = [];
  for (const file of protoFiles.values()) {
    for (const service of file.definitions) {
      if (!(service instanceof protobuf.Service)) continue;
      const serviceName = service.fullName.slice(1);
      services.push(serviceName);
      for (const method of service.methodsArray) {
        const path = `${serviceName}/${method.name}`;
        methods.set(path, {
          path,
          service: serviceName,
          name: method.name,
          requestType: method.resolvedRequestType!,
          responseType: method.resolvedResponseType!,
          clientStreaming: method.requestStream === true,
          serverStreaming: method.responseStream === true,
        });
      }
    }
  }
  return { root, methods, services: services.sort(), files: Object.freeze({ ...uploaded }), protoFiles };
}

const SYNTAX = /^\s*(?:syntax|edition)\s*=\s*["']([\w]+)["']/m;

/** Parses one file into the shared root; its definitions are the top-level objects it added to its package. */
function parseFile(root: protobuf.Root, name: string, text: string, placed: Set<protobuf.ReflectionObject>): ProtoFile {
  let parsed: protobuf.IParserResult;
  try {
    parsed = protobuf.parse(text, root, { keepCase: true });
  } catch (err) {
    // protobufjs says "illegal token '}' (line 12)"
    const message = (err as Error).message;
    const at = /^(.*) \((?:[^,()]*, )?line (\d+)\)$/s.exec(message);
    throw new Error(at ? `${name} line ${at[2]}: ${at[1]}` : `${name}: ${message}`);
  }
  const pkg = parsed.package ?? '';
  const scope = pkg === '' ? root : (root.lookup(pkg) as protobuf.Namespace);
  const definitions: ProtoDefinition[] = [];
  for (const object of scope.nestedArray) {
    const definition = object instanceof protobuf.Type || object instanceof protobuf.Enum || object instanceof protobuf.Service;
    if (definition && !placed.has(object)) {
      placed.add(object);
      definitions.push(object);
    }
  }
  return {
    name,
    package: pkg,
    imports: [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])],
    syntax: SYNTAX.exec(text)?.[1] ?? 'proto2',
    definitions,
  };
}

/** Resolves the type references of a file's definitions one by one, so that a refusal names the file and the type. */
function resolveFile(file: ProtoFile): void {
  const resolve = (object: protobuf.Field | protobuf.Method, typeNames: readonly string[]): void => {
    try {
      object.resolve();
    } catch (err) {
      const scope = object.parent;
      const missing = scope === null ? undefined : typeNames.find((typeName) => lookupFails(scope, typeName));
      throw new Error(
        missing === undefined
          ? `${file.name}: ${object.fullName.slice(1)}: ${(err as Error).message}`
          : `${file.name}: unknown type "${missing}" in ${object.fullName.slice(1)}`,
      );
    }
  };
  const visit = (object: protobuf.ReflectionObject): void => {
    if (object instanceof protobuf.Type) {
      for (const field of object.fieldsArray) if (!field.declaringField) resolve(field, [field.type]);
      object.nestedArray.forEach(visit);
    } else if (object instanceof protobuf.Service) {
      for (const method of object.methodsArray) resolve(method, [method.requestType, method.responseType]);
    }
  };
  file.definitions.forEach(visit);
}

function lookupFails(scope: protobuf.Namespace, typeName: string): boolean {
  if (typeName in protobuf.types.basic) return false;
  try {
    scope.lookupTypeOrEnum(typeName);
    return false;
  } catch {
    return true;
  }
}
