// Baseline for `npm run bench`: a bare node:http server answering every request with the same bytes as a mockgate
// mock rule. It makes the same node:http calls as mockgate's data plane (core/http/data-plane.ts, HttpIO.send) with
// the same server timeouts, so the measured gap is mockgate's own work and nothing else.
//
//   node test/bench/bare-server.mjs [--port 0] [--body '{"hello":"world"}']
//
// Prints `bare listening on http://127.0.0.1:<port>` once it listens; stops on SIGTERM/SIGINT.
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    body: { type: 'string', default: '{"hello":"world"}' },
  },
});

// mockgate sends `x-beeceptor-rule-id: <11-char id>`; a fixed value of the same length keeps the byte count equal
const RULE_ID = 'bare0000001';
// prepared once, as mockgate's `mock` action prepares its response when the rule is written
const BODY = Buffer.from(values.body);
const HEADERS = { 'content-type': 'application/json', 'content-length': BODY.length };

// mockgate's defaults (config/config.schema.json): keepAliveTimeout also shows in the `Keep-Alive: timeout=5` header
const server = createServer({ headersTimeout: 20000, requestTimeout: 120000, keepAliveTimeout: 5000 }, (req, res) => {
  res.setHeader('x-beeceptor-rule-id', RULE_ID);
  res.writeHead(200, HEADERS);
  res.end(BODY);
});

server.listen(Number(values.port), '127.0.0.1', () => {
  process.stdout.write(`bare listening on http://127.0.0.1:${server.address().port}\n`);
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
