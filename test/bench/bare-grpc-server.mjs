// Baseline of the gRPC scenarios of `npm run bench`: a bare @grpc/grpc-js server, written the usual way — the service
// loaded from the same .proto with @grpc/proto-loader (so each call decodes the request and encodes the reply) —
// answering one unary method with a fixed message. The measured gap is mockgate's own work on a gRPC call.
//
//   node test/bench/bare-grpc-server.mjs --proto greeter/greeter.proto --include test/fixtures/protos \
//     --method greeter.Greeter/SayHello --reply '{"message":"hello world"}' [--port 0]
//
// Prints `bare-grpc listening on grpc://127.0.0.1:<port>` once it listens; stops on SIGTERM/SIGINT.
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    proto: { type: 'string' },
    include: { type: 'string' },
    method: { type: 'string' },
    reply: { type: 'string' },
  },
});
for (const name of ['proto', 'include', 'method', 'reply']) if (!values[name]) throw new Error(`--${name} is required`);

// the options mockgate's tests load the protos with: enums as names, as the rule's JSON gives them
const definition = loadSync(values.proto, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [values.include] });
const [service, method] = values.method.split('/');
const reply = JSON.parse(values.reply);

const server = new Server();
server.addService(definition[service], { [method]: (call, callback) => callback(null, reply) });
server.bindAsync(`127.0.0.1:${values.port}`, ServerCredentials.createInsecure(), (err, port) => {
  if (err) throw err;
  process.stdout.write(`bare-grpc listening on grpc://127.0.0.1:${port}\n`);
});

const stop = () => server.tryShutdown(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
