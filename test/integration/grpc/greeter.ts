// Test helpers for the gRPC integration tests: the greeter protos (test/fixtures/protos/greeter/) as an upload, and
// real grpc-js clients generated from the same files with @grpc/proto-loader.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { startMockgate, type ApiClient, type RunningMockgate, type StartOptions } from '../../helpers/start-mockgate.js';

export interface GrpcMockgate extends RunningMockgate {
  /** `grpc://127.0.0.1:<port>`. */
  grpcUrl: string;
}

/** startMockgate, with the gRPC listener's URL at hand. */
export async function startGrpcMockgate(options: StartOptions = {}): Promise<GrpcMockgate> {
  const mg = await startMockgate(options);
  const grpcUrl = mg.listenerUrls.find((u) => u.startsWith('grpc://'));
  if (grpcUrl === undefined) throw new Error(`no gRPC listener among ${mg.listenerUrls.join(', ')}`);
  return Object.assign(mg, { grpcUrl });
}

const PROTOS_DIR = fileURLToPath(new URL('../../fixtures/protos/', import.meta.url));
const LOADER_OPTIONS = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [PROTOS_DIR] };

/** The body of PUT /api/v2/endpoints/{e}/protos for these files of test/fixtures/protos/. */
export function protosUpload(...files: string[]): { files: Record<string, string> } {
  return { files: Object.fromEntries(files.map((f) => [f, readFileSync(PROTOS_DIR + f, 'utf8')])) };
}

export const GREETER = ['greeter/greeter.proto', 'greeter/types.proto'];

export async function uploadProtos(api: ApiClient, endpoint: string, files: string[] = GREETER): Promise<void> {
  const res = await api.put(`/api/v2/endpoints/${endpoint}/protos`, protosUpload(...files));
  if (res.status !== 201 && res.status !== 200) throw new Error(`protos upload: ${res.status} ${JSON.stringify(res.body)}`);
}

export type GreeterClient = grpc.Client & Record<string, (...args: any[]) => any>;

/** A client of a service in `file` (e.g. `greeter.Greeter`) at the listener's `grpc://host:port`. */
export function clientOf(url: string, service = 'greeter.Greeter', file = 'greeter/greeter.proto',
  options: grpc.ChannelOptions = {}): GreeterClient {
  const loaded = grpc.loadPackageDefinition(loadSync(file, LOADER_OPTIONS)) as any;
  const Client = service.split('.').reduce((o, k) => o[k], loaded) as typeof grpc.Client;
  return new Client(new URL(url).host, grpc.credentials.createInsecure(), options) as GreeterClient;
}

export function metadataOf(values: Record<string, string>): grpc.Metadata {
  const metadata = new grpc.Metadata();
  for (const [k, v] of Object.entries(values)) metadata.set(k, v);
  return metadata;
}

export interface UnaryResult {
  response?: any;
  error?: grpc.ServiceError;
  metadata?: grpc.Metadata;
}

/** A unary or client-streaming call's outcome, error or not, with the initial metadata the server sent. */
export function unary(client: GreeterClient, method: string, request: unknown, metadata = new grpc.Metadata(),
  options: grpc.CallOptions = {}): Promise<UnaryResult> {
  return new Promise((resolve) => {
    let received: grpc.Metadata | undefined;
    const call = client[method]!(request, metadata, options, (error: grpc.ServiceError | null, response: unknown) =>
      resolve(error ? { error, metadata: received } : { response, metadata: received }));
    call.on('metadata', (md: grpc.Metadata) => (received = md));
  });
}

/** Every message of a server stream, and its end: the status error, if any. */
export function serverStream(client: GreeterClient, method: string, request: unknown, metadata = new grpc.Metadata()):
  Promise<{ messages: any[]; error?: grpc.ServiceError }> {
  return new Promise((resolve) => {
    const messages: any[] = [];
    const call = client[method]!(request, metadata);
    call.on('data', (m: unknown) => messages.push(m));
    call.on('error', (error: grpc.ServiceError) => resolve({ messages, error }));
    call.on('end', () => resolve({ messages }));
  });
}

/** Sends `requests` on a client stream, half-closes, and gives the one answer. */
export function clientStream(client: GreeterClient, method: string, requests: unknown[], metadata = new grpc.Metadata()): Promise<UnaryResult> {
  return new Promise((resolve) => {
    const call = client[method]!(metadata, (error: grpc.ServiceError | null, response: unknown) => resolve(error ? { error } : { response }));
    for (const r of requests) call.write(r);
    call.end();
  });
}

/** Turns an event stream into "the next one": for ping-pong over a bidi call. */
export function nextOf<T>(emitter: NodeJS.EventEmitter, event: string): () => Promise<T> {
  const queue: T[] = [];
  const waiting: Array<(v: T) => void> = [];
  emitter.on(event, (v: T) => (waiting.length > 0 ? waiting.shift()!(v) : queue.push(v)));
  return () => (queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise((resolve) => waiting.push(resolve)));
}

export const grpcStatus = grpc.status;
