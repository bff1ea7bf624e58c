// Baseline for `npm run bench`: a bare node:http server answering every request with the same bytes as mockgate
// answers the scenario's request (a mock rule, or a crud rule reading a record). It makes the same node:http calls as mockgate's data plane (core/http/data-plane.ts, HttpIO.send) with
// the same server timeouts, so the measured gap is mockgate's own work and nothing else.
//
//   node test/bench/bare-server.mjs [--port 0] [--body '{"hello":"world"}'] [--bodies '{"/users/5000":"{…}"}']
//                                   [--content-type application/json] [--no-rule-id]
//
// --body is the answer to every path; --bodies (a JSON object: path → body) names the paths that answer otherwise,
// for scenarios whose response is not the default one (e.g. a CRUD record). Headers are the same for every body.
// --content-type and --no-rule-id match an answer no rule made (a spec's: its own content type, no rule-id header).
// Prints `bare listening on http://127.0.0.1:<port>` once it listens; stops on SIGTERM/SIGINT.
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    body: { type: 'string', default: '{"hello":"world"}' },
    bodies: { type: 'string', default: '{}' },
    'content-type': { type: 'string', default: 'application/json' },
    'no-rule-id': { type: 'boolean', default: false },
  },
});

// mockgate sends `x-beeceptor-rule-id: <11-char id>`; a fixed value of the same length keeps the byte count equal
const RULE_ID = 'bare0000001';
// prepared once, as mockgate's `mock` action prepares its response when the rule is written; the header names and
// their order are those of both the `mock` action (content-type set by the rule) and the `crud` action's JSON answers
const prepare = (text) => {
  const body = Buffer.from(text);
  return { body, headers: { 'content-type': values['content-type'], 'content-length': body.length } };
};
const DEFAULT = prepare(values.body);
const BY_PATH = new Map(Object.entries(JSON.parse(values.bodies)).map(([path, text]) => [path, prepare(text)]));

function send(res, { body, headers }) {
  res.setHeader('x-beeceptor-rule-id', RULE_ID);
  res.writeHead(200, headers);
  res.end(body);
}
function sendWithoutRuleId(res, { body, headers }) {
  res.writeHead(200, headers);
  res.end(body);
}

// without --bodies, no lookup at all: the static baseline stays what it was
const reply = values['no-rule-id'] ? sendWithoutRuleId : send;
const handler = BY_PATH.size === 0
  ? (req, res) => reply(res, DEFAULT)
  : (req, res) => reply(res, BY_PATH.get(req.url) ?? DEFAULT);
// mockgate's defaults (config/config.schema.json): keepAliveTimeout also shows in the `Keep-Alive: timeout=5` header
const server = createServer({ headersTimeout: 20000, requestTimeout: 120000, keepAliveTimeout: 5000 }, handler);

server.listen(Number(values.port), '127.0.0.1', () => {
  process.stdout.write(`bare listening on http://127.0.0.1:${server.address().port}\n`);
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
