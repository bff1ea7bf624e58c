// The load generator of the gRPC scenarios of `npm run bench` (autocannon speaks HTTP/1.1 only), run in its own process
// like autocannon: `--concurrency` unary calls always in flight, spread over `--channels` channels (each its own HTTP/2
// connection), for `--duration` seconds once every channel is connected. The request is encoded once, from the .proto;
// replies are not decoded, only counted (their bytes too, so that run-bench can tell when another answer came back).
//
//   node test/bench/grpc-load.mjs --target 127.0.0.1:<port> --proto greeter/greeter.proto --include test/fixtures/protos \
//     --method greeter.Greeter/SayHello [--request '{"name":"bench"}'] [--metadata '{"x-mockgate-endpoint":"e"}'] \
//     [--duration 10] [--concurrency 64] [--channels 4] [--check]
//
// Prints one line of JSON: the fields of autocannon's --json result that run-bench reads (requests.average and .total,
// latency.p50 and .p99 in ms, throughput.total in reply bytes, errors = calls that did not end OK, timeouts = calls
// still unanswered 10 s after the end). With --check: one call, and `{ code, details, metadata, reply }` (reply in base64).
import { Client, Metadata, credentials, status } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { createHistogram, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    target: { type: 'string' },
    proto: { type: 'string' },
    include: { type: 'string' },
    method: { type: 'string' },
    request: { type: 'string', default: '{}' },
    metadata: { type: 'string', default: '{}' },
    duration: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '64' },
    channels: { type: 'string', default: '4' },
    check: { type: 'boolean', default: false },
  },
});
for (const name of ['target', 'proto', 'include', 'method']) if (!values[name]) throw new Error(`--${name} is required`);

const definition = loadSync(values.proto, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [values.include] });
const [service, name] = values.method.split('/');
const { path, requestSerialize } = definition[service][name];
const request = requestSerialize(JSON.parse(values.request));
const metadata = new Metadata();
for (const [key, value] of Object.entries(JSON.parse(values.metadata))) metadata.set(key, value);
const identity = (bytes) => bytes;

// grpc-js shares one connection between the clients of a target unless each has its own subchannel pool
const clients = Array.from({ length: values.check ? 1 : Number(values.channels) },
  () => new Client(values.target, credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 }));
await Promise.all(clients.map((client) => new Promise((resolve, reject) => {
  client.waitForReady(Date.now() + 5000, (err) => (err ? reject(new Error(`${values.target}: ${err.message}`)) : resolve()));
})));

/** One unary call; `done(err, reply)` as grpc-js gives them. */
const call = (client, done) => client.makeUnaryRequest(path, identity, identity, request, metadata.clone(), done);

if (values.check) {
  let received = {};
  const unary = call(clients[0], (err, reply) => {
    const result = { code: err ? err.code : status.OK, details: err ? err.details : '', metadata: received, reply: reply?.toString('base64') };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  });
  unary.on('metadata', (md) => (received = md.getMap()));
} else {
  const latency = createHistogram();
  let requests = 0;
  let bytes = 0;
  let errors = 0;
  let firstError;
  let running = Number(values.concurrency);
  const start = performance.now();
  const end = start + Number(values.duration) * 1000;

  const report = (timeouts) => {
    const seconds = (performance.now() - start) / 1000;
    const ms = (ns) => Math.round(ns / 1e4) / 100;
    const result = {
      requests: { average: requests / seconds, total: requests },
      latency: { p50: ms(latency.percentile(50)), p99: ms(latency.percentile(99)) },
      throughput: { total: bytes },
      errors, timeouts, non2xx: 0, resets: 0, mismatches: 0,
    };
    if (firstError) process.stderr.write(`grpc-load: ${errors} call(s) failed, the first with ${firstError}\n`);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  };
  // a call the server never answers would hold the run open: count what is still in flight as timeouts
  setTimeout(() => report(running), end - start + 10_000).unref();

  /** Keeps one call in flight on `client` until the end. */
  const loop = (client) => {
    if (performance.now() >= end) {
      if (--running === 0) report(0);
      return;
    }
    const sent = process.hrtime.bigint();
    call(client, (err, reply) => {
      latency.record(process.hrtime.bigint() - sent);
      if (err) {
        errors++;
        firstError ??= `${status[err.code]}: ${err.details}`;
      } else {
        requests++;
        bytes += reply.length;
      }
      loop(client);
    });
  };
  for (let i = 0; i < running; i++) loop(clients[i % clients.length]);
}
