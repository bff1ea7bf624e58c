// The gRPC listener: a grpc-js server on --grpc-port serving every method of every endpoint's protos through the
// endpoints' rules, and server reflection. Paths no endpoint defines are not registered: grpc-js answers UNIMPLEMENTED.
import { Server, ServerCredentials, status } from '@grpc/grpc-js';
import type { ListenerHost, ProtocolListener } from '../../core/contract.js';
import { handlersFor, type CallIO } from './call-io.js';
import { EndpointProtos, type CallKind } from './endpoint-protos.js';
import { compileProtos, PROTOS_PATH } from './protos.js';
import { answerReflection, REFLECTION_PATHS } from './reflection.js';
import { endpointOf, serveCall } from './serve-call.js';

const DEFAULT_PORT = 50051;
// calls still running at shutdown get this long to finish before they are cancelled
const SHUTDOWN_GRACE_MS = 500;
const identity = (bytes: Buffer): Buffer => bytes;
const withSlash = (path: string): string => (path.startsWith('/') ? path : `/${path}`);

export const grpcListener: ProtocolListener = {
  name: 'grpc',
  async start(host) {
    const server = new Server();
    /** Runs a call; whatever goes wrong ends it with INTERNAL rather than leaving the client waiting. */
    const run = (io: CallIO, served: Promise<void>): void => {
      served.catch((err: unknown) => {
        host.log.error({ err, path: io.path }, 'a gRPC call failed');
        io.end(status.INTERNAL, 'internal error; see the server log');
      });
    };
    const reflectionPaths = new Set(REFLECTION_PATHS.map(withSlash));
    const handlers = handlersFor((io) => run(io, serveCall(host, protos, io)));
    const registered = new Map<string, CallKind>();
    const protos = new EndpointProtos((path, kind) => {
      if (reflectionPaths.has(path) || registered.get(path) === kind) return;
      if (registered.delete(path)) server.unregister(path);
      if (kind === undefined) return;
      server.register(path, handlers[kind], identity, identity, kind);
      registered.set(path, kind);
    });
    const reflect = handlersFor((io) => run(io, serveReflection(host, protos, io))).bidi;
    for (const path of reflectionPaths) server.register(path, reflect, identity, identity, 'bidi');

    const unwatch = host.watchDocuments(PROTOS_PATH, (endpoint, text) => {
      try {
        protos.set(endpoint, text === undefined ? undefined : compileProtos(text));
      } catch (err) {
        // checked when uploaded; only a proto compiler that changed since could refuse it now
        host.log.error({ err, endpoint }, "the endpoint's protos do not compile: its methods are not served");
        protos.set(endpoint, undefined);
      }
    });
    const address = host.bindHost.includes(':') ? `[${host.bindHost}]` : host.bindHost;
    let port: number;
    try {
      port = await bind(server, `${address}:${host.port('grpc') ?? DEFAULT_PORT}`);
    } catch (err) {
      unwatch();
      server.forceShutdown();
      throw err;
    }
    return {
      url: `grpc://${address}:${port}`,
      async close() {
        unwatch();
        await new Promise<void>((resolve) => {
          const force = setTimeout(() => server.forceShutdown(), SHUTDOWN_GRACE_MS);
          server.tryShutdown(() => {
            clearTimeout(force);
            resolve();
          });
        });
      },
    };
  },
};

function bind(server: Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, ServerCredentials.createInsecure(), (err, port) => {
      if (err) reject(new Error(`the gRPC listener cannot listen on ${address}: ${err.message}`, { cause: err }));
      else resolve(port);
    });
  });
}

/** Server reflection over the protos of the call's endpoint (or of the one endpoint holding protos). */
async function serveReflection(host: ListenerHost, protos: EndpointProtos, io: CallIO): Promise<void> {
  const endpoint = endpointOf(io, host, () => protos.soleEndpoint());
  const compiled = endpoint === undefined ? undefined : protos.get(endpoint);
  for (let request = await io.next(); request !== undefined && !io.signal.aborted; request = await io.next()) {
    await io.write(Buffer.from(answerReflection(request, compiled)));
  }
  io.end(status.OK, '');
}
