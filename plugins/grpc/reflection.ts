// gRPC server reflection, v1 and v1alpha (the same messages under two packages): lets grpcurl-style clients list an
// endpoint's services and fetch the descriptors of its files. The listener hands over raw request messages and sends
// back the raw answers. Descriptors are built per file from the compiled protos (protobufjs's Root#toDescriptor makes
// one file per package, without import paths or dependencies, which clients cannot link), once per set, on first ask.
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor/index.js';
import { jsonNameOf } from './json-mapping.js';
import { compileProtos, type CompiledProtos, type ProtoFile } from './protos.js';

export const REFLECTION_PATHS: readonly string[] = [
  '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo',
  '/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo',
];

const reflectionProto = (version: string): string => `syntax = "proto3";
package grpc.reflection.${version};
service ServerReflection {
  rpc ServerReflectionInfo(stream ServerReflectionRequest) returns (stream ServerReflectionResponse);
}
message ServerReflectionRequest {
  string host = 1;
  oneof message_request {
    string file_by_filename = 3;
    string file_containing_symbol = 4;
    ExtensionRequest file_containing_extension = 5;
    string all_extension_numbers_of_type = 6;
    string list_services = 7;
  }
}
message ExtensionRequest { string containing_type = 1; int32 extension_number = 2; }
message ServerReflectionResponse {
  string valid_host = 1;
  ServerReflectionRequest original_request = 2;
  oneof message_response {
    FileDescriptorResponse file_descriptor_response = 4;
    ExtensionNumberResponse all_extension_numbers_response = 5;
    ListServiceResponse list_services_response = 6;
    ErrorResponse error_response = 7;
  }
}
message FileDescriptorResponse { repeated bytes file_descriptor_proto = 1; }
message ExtensionNumberResponse { string base_type_name = 1; repeated int32 extension_number = 2; }
message ListServiceResponse { repeated ServiceResponse service = 1; }
message ServiceResponse { string name = 1; }
message ErrorResponse { int32 error_code = 1; string error_message = 2; }
`;

// the reflection service describes itself as well: its files come after every endpoint's
const OWN = compileProtos(
  JSON.stringify({
    files: {
      'grpc/reflection/v1/reflection.proto': reflectionProto('v1'),
      'grpc/reflection/v1alpha/reflection.proto': reflectionProto('v1alpha'),
    },
  }),
);
const Request = OWN.root.lookupType('grpc.reflection.v1.ServerReflectionRequest');
const Response = OWN.root.lookupType('grpc.reflection.v1.ServerReflectionResponse');

const INVALID_ARGUMENT = 3, NOT_FOUND = 5, INTERNAL = 13;

interface ReflectionRequest {
  host: string;
  message_request?: 'file_by_filename' | 'file_containing_symbol' | 'file_containing_extension' | 'all_extension_numbers_of_type' | 'list_services';
  file_by_filename: string;
  file_containing_symbol: string;
  file_containing_extension: { containing_type: string; extension_number: number };
  all_extension_numbers_of_type: string;
}

/**
 * Answers one raw ServerReflectionRequest with a raw ServerReflectionResponse, for these protos (undefined: no
 * services but reflection's own). Errors go in error_response (NOT_FOUND = 5), never thrown.
 */
export function answerReflection(requestBytes: Uint8Array, protos: CompiledProtos | undefined): Uint8Array {
  let request: ReflectionRequest;
  try {
    request = Request.decode(requestBytes) as unknown as ReflectionRequest;
  } catch (err) {
    return Response.encode(error(INVALID_ARGUMENT, `malformed ServerReflectionRequest: ${(err as Error).message}`)).finish();
  }
  let response: object;
  try {
    response = answer(request, protos === undefined ? [fileSetOf(OWN)] : [fileSetOf(protos), fileSetOf(OWN)]);
  } catch (err) {
    response = error(INTERNAL, (err as Error).message);
  }
  return Response.encode({ valid_host: request.host, original_request: request, ...response }).finish();
}

const error = (code: number, message: string): object => ({ error_response: { error_code: code, error_message: message } });

function answer(request: ReflectionRequest, sets: readonly FileSet[]): object {
  switch (request.message_request) {
    case 'list_services':
      return { list_services_response: { service: [...new Set(sets.flatMap((set) => set.protos.services))].map((name) => ({ name })) } };
    case 'file_by_filename': {
      const name = request.file_by_filename;
      const set = sets.find((s) => s.protos.protoFiles.has(name));
      return set === undefined ? error(NOT_FOUND, `file "${name}" not found`) : filesResponse(set, name);
    }
    case 'file_containing_symbol': {
      const symbol = request.file_containing_symbol;
      for (const set of sets) {
        const file = set.fileDefining(symbol);
        if (file !== undefined) return filesResponse(set, file.name);
      }
      return error(NOT_FOUND, `symbol "${symbol}" not found`);
    }
    case 'file_containing_extension': {
      const { containing_type: type, extension_number: number } = request.file_containing_extension;
      return error(NOT_FOUND, `extension ${number} of "${type}" not found`);
    }
    case 'all_extension_numbers_of_type': {
      const type = request.all_extension_numbers_of_type;
      const known = sets.some((set) => set.protos.root.lookup(`.${type}`) instanceof protobuf.Type);
      if (!known) return error(NOT_FOUND, `type "${type}" not found`);
      return { all_extension_numbers_response: { base_type_name: type, extension_number: [] } };
    }
    default:
      return error(INVALID_ARGUMENT, 'the request asks for nothing this server knows');
  }
}

/** The file, then the files it depends on, transitively: all a client needs to link it. */
function filesResponse(set: FileSet, name: string): object {
  const files: Uint8Array[] = [];
  const seen = new Set<string>();
  const add = (fileName: string): void => {
    if (seen.has(fileName)) return;
    seen.add(fileName);
    const { bytes, dependencies } = set.encoded(fileName);
    files.push(bytes);
    dependencies.forEach(add);
  };
  add(name);
  return { file_descriptor_response: { file_descriptor_proto: files } };
}

// --- descriptors ---------------------------------------------------------------------------------------------------

interface EncodedFile {
  bytes: Uint8Array;
  dependencies: readonly string[];
}

interface FileSet {
  readonly protos: CompiledProtos;
  /** The file whose definitions include the symbol (a service, method, message, field, enum, nested or not). */
  fileDefining(symbol: string): ProtoFile | undefined;
  /** The serialized FileDescriptorProto of a file of the set. */
  encoded(name: string): EncodedFile;
}

const fileSets = new WeakMap<CompiledProtos, FileSet>();

function fileSetOf(protos: CompiledProtos): FileSet {
  let set = fileSets.get(protos);
  if (set !== undefined) return set;
  const fileOf = new Map<protobuf.ReflectionObject, ProtoFile>();
  for (const file of protos.protoFiles.values()) for (const definition of file.definitions) fileOf.set(definition, file);
  /** The file of the top-level definition holding the object; undefined for a package. */
  const fileHolding = (object: protobuf.ReflectionObject | null): ProtoFile | undefined => {
    for (let o = object; o !== null; o = o.parent) {
      const file = fileOf.get(o);
      if (file !== undefined) return file;
    }
    return undefined;
  };
  const encoded = new Map<string, EncodedFile>();
  set = {
    protos,
    fileDefining(symbol) {
      // protobufjs's lookup can come back with an Object.prototype member ('constructor')
      const found = symbol === '' ? null : protos.root.lookup(`.${symbol}`);
      return found instanceof protobuf.ReflectionObject ? fileHolding(found) : undefined;
    },
    encoded(name) {
      let file = encoded.get(name);
      if (file === undefined) {
        file = encodeFile(protos.protoFiles.get(name)!, fileHolding);
        encoded.set(name, file);
      }
      return file;
    },
  };
  fileSets.set(protos, set);
  return set;
}

/** References are fully qualified ('.pkg.Type'); they make the file depend on the files defining them, imported or not. */
type Reference = (target: protobuf.ReflectionObject) => string;

function encodeFile(file: ProtoFile, fileHolding: (object: protobuf.ReflectionObject) => ProtoFile | undefined): EncodedFile {
  const dependencies = new Set(file.imports);
  const reference: Reference = (target) => {
    const holder = fileHolding(target);
    if (holder !== undefined && holder !== file) dependencies.add(holder.name);
    return target.fullName;
  };
  const proto = {
    name: file.name,
    package: file.package === '' ? undefined : file.package,
    messageType: file.definitions.filter((d) => d instanceof protobuf.Type).map((type) => messageDescriptor(type, reference)),
    enumType: file.definitions.filter((d) => d instanceof protobuf.Enum).map(enumDescriptor),
    service: file.definitions.filter((d) => d instanceof protobuf.Service).map((service) => serviceDescriptor(service, reference)),
    ...syntaxOf(file.syntax),
    dependency: [] as string[],
  };
  proto.dependency = [...dependencies];
  return { bytes: descriptor.FileDescriptorProto.encode(proto).finish(), dependencies: proto.dependency };
}

const EDITIONS: Readonly<Record<string, number>> = { 2023: 1000, 2024: 1001 };
// protoc leaves `syntax` out for proto2
const syntaxOf = (syntax: string): object =>
  Object.hasOwn(EDITIONS, syntax) ? { syntax: 'editions', edition: EDITIONS[syntax] } : syntax === 'proto2' ? {} : { syntax };

// FieldDescriptorProto.Type and .Label
const TYPES: Readonly<Record<string, number>> = {
  double: 1, float: 2, int64: 3, uint64: 4, int32: 5, fixed64: 6, fixed32: 7, bool: 8, string: 9, bytes: 12, uint32: 13,
  sfixed32: 15, sfixed64: 16, sint32: 17, sint64: 18,
};
const GROUP = 10, MESSAGE = 11, ENUM = 14;
const OPTIONAL = 1, REQUIRED = 2, REPEATED = 3;
/** protobufjs writes reserved and extension ranges with inclusive ends, descriptors with exclusive ones. */
const ranges = (list: readonly (number[] | string)[] | undefined): object[] =>
  (list ?? []).filter((r): r is number[] => Array.isArray(r)).map(([start, end]) => ({ start, end: end! + 1 }));

/** protoc's name for the message of a map field's entries: `item_counts` → `ItemCountsEntry`. */
const entryName = (fieldName: string): string => `${fieldName.replace(/(?:^|_)(.)/g, (_, c: string) => c.toUpperCase()).replace(/_/g, '')}Entry`;

function messageDescriptor(type: protobuf.Type, reference: Reference): object {
  // proto3 `optional` fields sit in one-member "synthetic" oneofs, which descriptors list after the real ones
  const synthetic = (oneof: protobuf.OneOf): boolean => oneof.fieldsArray[0]?.options?.proto3_optional === true;
  const oneofs = [...type.oneofsArray.filter((o) => !synthetic(o)), ...type.oneofsArray.filter(synthetic)];
  const nestedType = type.nestedArray.filter((n) => n instanceof protobuf.Type).map((nested) => messageDescriptor(nested, reference));
  const field = type.fieldsArray
    .filter((f) => !f.declaringField)
    .map((f) => {
      if (!(f instanceof protobuf.MapField)) return fieldDescriptor(f, reference, oneofs);
      const entry = entryName(f.name);
      nestedType.push({
        name: entry,
        field: [
          { name: 'key', number: 1, label: OPTIONAL, type: TYPES[f.keyType], jsonName: 'key' },
          { name: 'value', number: 2, label: OPTIONAL, ...valueType(f, reference), jsonName: 'value' },
        ],
        options: { mapEntry: true },
      });
      return { name: f.name, number: f.id, label: REPEATED, type: MESSAGE, typeName: `${type.fullName}.${entry}`, jsonName: jsonNameOf(f) };
    });
  return {
    name: type.name,
    field,
    nestedType,
    enumType: type.nestedArray.filter((n) => n instanceof protobuf.Enum).map(enumDescriptor),
    oneofDecl: oneofs.map((o) => ({ name: o.name })),
    extensionRange: ranges(type.extensions),
    reservedRange: ranges(type.reserved),
    reservedName: (type.reserved ?? []).filter((r) => typeof r === 'string'),
  };
}

function valueType(field: protobuf.Field, reference: Reference): object {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Enum) return { type: ENUM, typeName: reference(resolved) };
  if (resolved instanceof protobuf.Type) return { type: field.delimited ? GROUP : MESSAGE, typeName: reference(resolved) };
  return { type: TYPES[field.type] };
}

function fieldDescriptor(field: protobuf.Field, reference: Reference, oneofs: protobuf.OneOf[]): object {
  const options = field.options ?? {};
  return {
    name: field.name,
    number: field.id,
    label: field.repeated ? REPEATED : field.required ? REQUIRED : OPTIONAL,
    ...valueType(field, reference),
    jsonName: jsonNameOf(field),
    oneofIndex: field.partOf ? oneofs.indexOf(field.partOf) : undefined,
    proto3Optional: options.proto3_optional === true ? true : undefined,
    defaultValue: options.default === undefined ? undefined : String(options.default),
    options: typeof options.packed === 'boolean' ? { packed: options.packed } : undefined,
  };
}

function enumDescriptor(type: protobuf.Enum): object {
  return {
    name: type.name,
    value: Object.entries(type.values).map(([name, number]) => ({ name, number })),
    options: type.options?.allow_alias === true ? { allowAlias: true } : undefined,
  };
}

function serviceDescriptor(service: protobuf.Service, reference: Reference): object {
  return {
    name: service.name,
    method: service.methodsArray.map((method) => ({
      name: method.name,
      inputType: reference(method.resolvedRequestType!),
      outputType: reference(method.resolvedResponseType!),
      clientStreaming: method.requestStream === true ? true : undefined,
      serverStreaming: method.responseStream === true ? true : undefined,
    })),
  };
}
