// Baseline of the `proxy` scenario of `npm run bench`: a bare node:http server forwarding every request with http-proxy,
// exactly as mockgate's data plane forwards (core/http/data-plane.ts, HttpIO.forward): one shared http-proxy instance,
// keep-alive agents, changeOrigin and x-forwarded-* headers, and the same server timeouts. The measured gap is then
// mockgate's own work around the proxying.
//
//   node test/bench/proxy-server.mjs --target http://127.0.0.1:<port> [--port 0]
//
// Prints `proxy listening on http://127.0.0.1:<port>` once it listens; stops on SIGTERM/SIGINT.
import { Agent, createServer } from 'node:http';
import { parseArgs } from 'node:util';
import httpProxy from 'http-proxy';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    target: { type: 'string' },
  },
});
if (!values.target) throw new Error('--target <url> is required');

const proxy = httpProxy.createProxyServer({});
const agent = new Agent({ keepAlive: true, timeout: 4000 }); // mockgate's FORWARD_AGENT_OPTIONS
const options = { target: values.target, changeOrigin: true, secure: true, xfwd: true, agent };

const server = createServer({ headersTimeout: 20000, requestTimeout: 120000, keepAliveTimeout: 5000 }, (req, res) => {
  proxy.web(req, res, options, () => {
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end('bad gateway');
  });
});

server.listen(Number(values.port), '127.0.0.1', () => {
  process.stdout.write(`proxy listening on http://127.0.0.1:${server.address().port}\n`);
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
