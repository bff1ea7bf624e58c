// `npm run bench`: mockgate's data plane against a bare node:http server sending the same bytes.
//
// Three processes: the bare server, mockgate (dist/, built by `prebench`) and autocannon, which is started anew for
// each measurement — never inside a server process, so the load generator's CPU is not billed to a server.
// For each scenario: install its rules, check both servers answer the expected bytes, warm both up, then measure
// BENCH_RUNS times, alternating bare/mockgate, and report medians and the mockgate/bare throughput ratio.
// gRPC scenarios do the same with bare-grpc-server.mjs and grpc-load.mjs in autocannon's place; import scenarios time
// one spec import on a mockgate of their own.
//
// Environment:
//   BENCH_DURATION=10      seconds per measurement        BENCH_WARMUP=3       seconds of warm-up per server and scenario
//   BENCH_CONNECTIONS=64   autocannon connections, or     BENCH_RUNS=3         measurements per server and scenario
//                          gRPC calls in flight           BENCH_GRPC_CHANNELS=4 gRPC channels they are spread over
//   BENCH_SCENARIOS=…      comma list of ids (static,graphql,graphql-schema,500,500u,state,static-journal,crud,template,
//                          proxy,grpc,oas,oas-import); default all
//   BENCH_CPU_PROF=<dir>   run mockgate with --cpu-prof, profile written to <dir> when it stops (see profile-summary.mjs)
//   BENCH_STRICT=1         exit 1 when a throughput goal is missed (it always exits 1 on errors or wrong responses)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  cleanupAll, installCleanupHandlers, makeTempDir, runNode, spawnNode, stopChild, waitForListeners, waitForListening, wasInterrupted,
} from './processes.mjs';
import { BODY, PROTOS_DIR, SCENARIOS, bareBodies, bodyOf, mockgatePath, rulesOf } from './scenarios.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const MOCKGATE_CLI = join(ROOT, 'dist/core/cli.js');
const BARE_SERVER = join(HERE, 'bare-server.mjs');
const PROXY_SERVER = join(HERE, 'proxy-server.mjs');
const BARE_GRPC_SERVER = join(HERE, 'bare-grpc-server.mjs');
const GRPC_LOAD = join(HERE, 'grpc-load.mjs');
const PETSTORE = join(ROOT, 'test/fixtures/openapi/petstore-v3.yaml');
// answers sampled for the baseline of a scenario whose answer size varies, and how far the mean size may be from it
const SIZE_SAMPLES = 20;
const SIZE_TOLERANCE = 0.1;
// an import that runs longer than this fails (mockgate's default is 5 min)
const IMPORT_TIMEOUT_MS = 10 * 60_000;
const AUTOCANNON_CLI = join(dirname(createRequire(import.meta.url).resolve('autocannon/package.json')), 'autocannon.js');

const CONFIG = {
  duration: positiveEnv('BENCH_DURATION', 10),
  warmup: positiveEnv('BENCH_WARMUP', 3),
  connections: positiveEnv('BENCH_CONNECTIONS', 64),
  grpcChannels: positiveEnv('BENCH_GRPC_CHANNELS', 4),
  runs: positiveEnv('BENCH_RUNS', 3),
  scenarios: process.env.BENCH_SCENARIOS?.split(',').map((s) => s.trim()).filter(Boolean),
  cpuProfDir: process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : undefined,
  strict: process.env.BENCH_STRICT === '1',
};

function positiveEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

/** Fraction of all cores busy over one second (load average lags, and would still count the `prebench` build). */
async function machineBusy() {
  const total = () => cpus().reduce((t, { times }) => {
    const all = times.user + times.nice + times.sys + times.irq + times.idle;
    return { all: t.all + all, idle: t.idle + times.idle };
  }, { all: 0, idle: 0 });
  const a = total();
  await new Promise((r) => setTimeout(r, 1000));
  const b = total();
  return 1 - (b.idle - a.idle) / (b.all - a.all);
}

// ---------------------------------------------------------------------------------------------------------------
// Servers

/** The bare server, answering BODY, or the body of the scenario whose path is asked for when that one differs. */
async function startBare(scenarios) {
  const bodies = bareBodies(scenarios);
  const bodyArgs = Object.keys(bodies).length > 0 ? ['--bodies', JSON.stringify(bodies)] : [];
  const child = spawnNode('bare server', [BARE_SERVER, '--port', '0', '--body', BODY, ...bodyArgs]);
  return { name: 'bare', child, url: await waitForListening(child) };
}

/**
 * For scenarios with `baseline: 'proxy'`: the upstream (a second bare server, answering BODY) and the baseline, a bare
 * node:http + http-proxy server forwarding to it as mockgate's proxy step does. The baseline takes the bare one's place.
 */
async function startProxyBaseline() {
  const upstreamChild = spawnNode('upstream', [BARE_SERVER, '--port', '0', '--body', BODY]);
  const upstreamUrl = await waitForListening(upstreamChild);
  const child = spawnNode('proxy baseline', [PROXY_SERVER, '--port', '0', '--target', upstreamUrl]);
  return { name: 'bare', child, url: await waitForListening(child), upstreamUrl };
}

/** Mockgate on free ports (HTTP and gRPC), in a temp data dir; `args` adds flags (e.g. an import's limits). */
async function startMockgate({ journal, label = journal ? 'mockgate' : 'mockgate-nojournal', args = [] }) {
  const dataDir = makeTempDir('mockgate-bench-');
  const nodeFlags = CONFIG.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', CONFIG.cpuProfDir] : [];
  const child = spawnNode(label, [...nodeFlags, MOCKGATE_CLI, '--port', '0', '--grpc-port', '0', '--data-dir', dataDir,
    '--log-level', 'warn', ...(journal ? [] : ['--no-journal']), ...args]);
  const { http, grpc } = await waitForListeners(child, ['http', 'grpc']);
  return { name: 'mockgate', child, url: http, grpcUrl: grpc };
}

/**
 * A bare server sending what mockgate answers to the scenario's request (`baseline: 'answer'`: a spec answers, the same
 * answer every time, or one of the same length): that body, its content type, no rule-id header. When the size varies,
 * the one of SIZE_SAMPLES answers whose length is closest to their mean.
 */
async function startAnswerBaseline(scenario, mockgate) {
  const samples = [];
  for (let i = 0; i < (scenario.sizeVaries ? SIZE_SAMPLES : 1); i++) samples.push(parseRaw(await rawRequest(mockgate.url, mockgatePath(scenario), scenario)));
  const mean = samples.reduce((n, s) => n + s.body.length, 0) / samples.length;
  const { status, headers, body } = samples.reduce((a, b) => (Math.abs(b.body.length - mean) < Math.abs(a.body.length - mean) ? b : a));
  if (status !== 200) throw new Error(`scenario "${scenario.title}": mockgate answered ${status}: ${body}`);
  const child = spawnNode('answer baseline', [BARE_SERVER, '--port', '0', '--no-rule-id', '--content-type', headers['content-type'],
    '--body', Buffer.from(body, 'latin1').toString('utf8')]);
  return { name: 'bare', child, url: await waitForListening(child), body };
}

/** Calls mockgate's management API; any non-2xx answer aborts the benchmark with the server's message. */
async function api(baseUrl, method, path, body) {
  const res = await fetch(baseUrl + path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return JSON.parse(text);
}

/**
 * Uploads a spec (POST …/specs, multipart) and polls its job until it ends → the last job; `onPoll(job)` sees every
 * answer on the way (stages and progress).
 */
async function uploadSpec(baseUrl, endpoint, name, bytes, onPoll = () => {}) {
  const form = new FormData();
  form.set('file', new Blob([bytes]), name);
  const res = await fetch(`${baseUrl}/api/v2/endpoints/${endpoint}/specs`, { method: 'POST', body: form });
  if (res.status !== 202) throw new Error(`POST /api/v2/endpoints/${endpoint}/specs (${name}) → ${res.status}: ${await res.text()}`);
  const { jobId } = await res.json();
  for (;;) {
    const job = await api(baseUrl, 'GET', `/api/v2/endpoints/${endpoint}/jobs/${jobId}`);
    onPoll(job);
    if (job.status === 'COMPLETED' || job.status === 'FAILED') return job;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A scenario's setup imports its spec this way: anything but a completed job aborts the benchmark. */
async function importSpec(baseUrl, endpoint, name, bytes) {
  const job = await uploadSpec(baseUrl, endpoint, name, bytes);
  if (job.status !== 'COMPLETED') throw new Error(`importing ${name} into ${endpoint} failed: ${job.message}`);
  return job;
}

/**
 * Installs rules (one rule: POST, as a user adds it; many: one bulk PUT) → the id of the rule that must answer;
 * undefined for a scenario without rules (a fallback step answers).
 */
async function installRules(mockgateUrl, scenario, rules) {
  const base = `/api/v2/endpoints/${scenario.endpoint}/rules`;
  if (rules.length === 0) return undefined;
  if (rules.length === 1) return (await api(mockgateUrl, 'POST', base, rules[0])).id;
  const { replaced } = await api(mockgateUrl, 'PUT', base, { rules });
  if (replaced !== rules.length) throw new Error(`PUT ${base} replaced ${replaced} rules, expected ${rules.length}`);
  const { data } = await api(mockgateUrl, 'GET', base);
  return data.at(-1).id;
}

// ---------------------------------------------------------------------------------------------------------------
// Verification: raw bytes, so that "the same response" means the same bytes on the wire, headers included

/**
 * One keep-alive request over a raw socket (as autocannon sends it): a GET, or the scenario's method, headers and
 * requestBody. Resolves with the whole response as (latin1) text.
 */
function rawRequest(baseUrl, path, { method = 'GET', headers = {}, requestBody } = {}) {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolvePromise, reject) => {
    const socket = connect(Number(port), hostname);
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => finish(new Error(`no complete response from ${baseUrl}${path} within 5 s`)), 5000);
    function finish(err) {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolvePromise(buf.toString('latin1'));
    }
    const lines = Object.entries(headers).map(([key, value]) => `${key}: ${value}\r\n`).join('') +
      (requestBody === undefined ? '' : `content-length: ${Buffer.byteLength(requestBody)}\r\n`);
    socket.on('connect', () => socket.write(`${method} ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n${lines}\r\n${requestBody ?? ''}`));
    socket.on('error', finish);
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      const headEnd = buf.indexOf('\r\n\r\n');
      if (headEnd === -1) return;
      const head = buf.subarray(0, headEnd).toString('latin1');
      const length = /\r\ncontent-length: *(\d+)/i.exec(head);
      if (length) {
        if (buf.length >= headEnd + 4 + Number(length[1])) finish();
      } else if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
        // not what a mock rule sends, but read it whole so that verify() can show what came instead
        if (buf.subarray(-5).toString('latin1') === '0\r\n\r\n') finish();
      } else {
        finish(new Error(`response from ${baseUrl}${path} has neither content-length nor chunked body:\n${head}`));
      }
    });
  });
}

function parseRaw(raw) {
  const headEnd = raw.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = raw.slice(0, headEnd).split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine.split(' ')[1]), headers, body: raw.slice(headEnd + 4) };
}

// The parts that legitimately differ between two responses: the time, and which id stands in the rule-id header
const mask = (raw) => raw.replace(/\r\nDate: [^\r]*/, '\r\nDate: <date>').replace(/\r\nx-beeceptor-rule-id: [^\r]*/, '\r\nx-beeceptor-rule-id: <id>');

/**
 * Fails loudly unless both servers answer 200, JSON, the body (or, for a scenario whose body varies, a body of the same
 * length matching its pattern; of any length with sizeVaries), the right rule id (none for a spec's answer), and
 * byte-identical headers (content-length aside with sizeVaries).
 */
async function verify(scenario, bare, mockgate, expectedRuleId) {
  const expectedBody = bare.body ?? bodyOf(scenario);
  const contentType = scenario.contentType ?? 'application/json';
  const rawBare = await rawRequest(bare.url, scenario.path, scenario);
  const rawMock = await rawRequest(mockgate.url, mockgatePath(scenario), scenario);
  const problems = [];
  for (const [name, raw] of [['bare', rawBare], ['mockgate', rawMock]]) {
    const { status, headers, body } = parseRaw(raw);
    if (status !== 200) problems.push(`${name}: status ${status}, expected 200`);
    if (headers['content-type'] !== contentType) problems.push(`${name}: content-type "${headers['content-type']}", expected "${contentType}"`);
    const bodyOk = scenario.bodyPattern
      ? scenario.bodyPattern.test(body) && (scenario.sizeVaries || body.length === expectedBody.length)
      : body === expectedBody;
    if (!bodyOk) problems.push(`${name}: body ${JSON.stringify(body)}, expected ${scenario.bodyPattern ?? JSON.stringify(expectedBody)}`);
    const ruleId = headers['x-beeceptor-rule-id'];
    if (scenario.baseline === 'answer' ? ruleId !== undefined : ruleId?.length !== 11) {
      problems.push(`${name}: x-beeceptor-rule-id "${ruleId}", expected ${scenario.baseline === 'answer' ? 'none' : '11 characters'}`);
    }
  }
  const ruleId = parseRaw(rawMock).headers['x-beeceptor-rule-id'];
  // without rules (proxy), both relay the upstream's answer: its rule-id header, checked with the other headers below
  if (expectedRuleId !== undefined && ruleId !== expectedRuleId) problems.push(`mockgate answered with rule ${ruleId}, expected the scenario's last rule ${expectedRuleId}`);
  const head = (raw) => {
    const text = scenario.bodyPattern ? raw.slice(0, raw.indexOf('\r\n\r\n')) : raw;
    // a body whose size varies has a content-length that varies with it
    return scenario.sizeVaries ? text.replace(/\r\ncontent-length: \d+/, '\r\ncontent-length: <length>') : text;
  };
  if (mask(head(rawBare)) !== mask(head(rawMock))) {
    problems.push(`responses differ:\n  bare:     ${JSON.stringify(rawBare)}\n  mockgate: ${JSON.stringify(rawMock)}`);
  }
  if (problems.length > 0) throw new Error(`scenario "${scenario.title}": the servers do not answer as expected:\n- ${problems.join('\n- ')}`);
  // bytes per response, checked again against what autocannon received: both the same, or when the size varies the
  // bare one's, an answer of about the mean size
  return rawBare.length;
}

// ---------------------------------------------------------------------------------------------------------------
// Load

/** Runs a load generator in its own process → the JSON it prints last. */
async function runLoad(label, args) {
  const out = await runNode(label, args);
  return JSON.parse(out.trim().split('\n').at(-1));
}

/** One autocannon run → its JSON result; the scenario's method, headers and requestBody, if any. */
function autocannon(url, seconds, { method = 'GET', headers = {}, requestBody } = {}) {
  const request = ['-m', method, ...Object.entries(headers).flatMap(([key, value]) => ['-H', `${key}=${value}`]),
    ...(requestBody === undefined ? [] : ['-b', requestBody])];
  return runLoad('autocannon', [AUTOCANNON_CLI, '--json', '--no-progress', '-c', String(CONFIG.connections), '-p', '1',
    '-d', String(seconds), ...request, url]);
}

/** The arguments of grpc-load.mjs calling a gRPC scenario's method at `url` (grpc://host:port). */
const grpcLoadArgs = (scenario, url) => [GRPC_LOAD, '--target', new URL(url).host, '--proto', scenario.grpc.proto,
  '--include', PROTOS_DIR, '--method', scenario.grpc.method, '--request', JSON.stringify(scenario.grpc.request),
  '--metadata', JSON.stringify({ 'x-mockgate-endpoint': scenario.endpoint })];

/** One grpc-load.mjs run → a result shaped as autocannon's (the fields summarize() reads). */
const grpcLoad = (scenario, url, seconds) => runLoad('grpc-load', [...grpcLoadArgs(scenario, url), '--duration', String(seconds),
  '--concurrency', String(CONFIG.connections), '--channels', String(CONFIG.grpcChannels)]);

const CLOCK_TICKS = 100; // USER_HZ, 100 on every common Linux build

/**
 * CPU time (user + system, ms) a process has used so far, from Linux's /proc; undefined elsewhere. Throughput alone
 * depends on how the two cores are shared with autocannon; CPU per request is each server's own cost.
 */
function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd (state) on
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS; // utime, stime
  } catch {
    return undefined;
  }
}

/** One measurement of a server: the load generator's result plus the CPU the server spent meanwhile. */
async function measure(server, load) {
  const before = cpuMs(server.child.pid);
  const result = await load();
  const after = cpuMs(server.child.pid);
  return { result, cpuMs: before === undefined || after === undefined ? undefined : after - before };
}

/**
 * The figures of one measurement, and what went wrong in it (must be nothing). `tolerance`: how far (a fraction) the mean
 * response size may be from `expectedBytes`, for answers whose size varies.
 */
function summarize({ result, cpuMs: cpu }, expectedBytes, tolerance = 0) {
  const failures = result.errors + result.timeouts + result.non2xx + result.resets + result.mismatches;
  // every response has the same length (or about); a different average means some other response (e.g. no rule
  // matched) came back
  const bytesPerResponse = result.requests.total > 0 ? result.throughput.total / result.requests.total : 0;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    cpuUsPerRequest: cpu === undefined || result.requests.total === 0 ? undefined : (cpu * 1000) / result.requests.total,
    failures,
    wrongSize: Math.abs(bytesPerResponse - expectedBytes) > Math.max(0.01, expectedBytes * tolerance),
    bytesPerResponse,
  };
}

/**
 * An HTTP scenario's servers, checked → { servers, expectedBytes, load(name, seconds) }. The baseline is the shared
 * one, or one started for the scenario (stopped by the caller).
 */
async function prepareHttp(scenario, shared, mockgate, expectedRuleId) {
  const bare = scenario.baseline === 'answer' ? await startAnswerBaseline(scenario, mockgate) : shared;
  const expectedBytes = await verify(scenario, bare, mockgate, expectedRuleId);
  const targets = { bare: bare.url + scenario.path, mockgate: mockgate.url + mockgatePath(scenario) };
  return { servers: { bare, mockgate }, expectedBytes, load: (name, seconds) => autocannon(targets[name], seconds, scenario) };
}

/**
 * A gRPC scenario: a bare grpc-js server started for it, then one call to each, which must both end OK with the same
 * reply bytes, mockgate's from the expected rule → { servers, expectedBytes (the reply message's), load(name, seconds) }.
 */
async function prepareGrpc(scenario, mockgate, expectedRuleId) {
  const { proto, method, reply } = scenario.grpc;
  const child = spawnNode('bare gRPC server', [BARE_GRPC_SERVER, '--port', '0', '--proto', proto, '--include', PROTOS_DIR,
    '--method', method, '--reply', JSON.stringify(reply)]);
  const bare = { name: 'bare', child, url: (await waitForListeners(child, ['grpc'])).grpc };
  const targets = { bare: bare.url, mockgate: mockgate.grpcUrl };
  const check = async (name) => runLoad('grpc-load', [...grpcLoadArgs(scenario, targets[name]), '--check']);
  const answers = { bare: await check('bare'), mockgate: await check('mockgate') };
  const problems = Object.entries(answers).filter(([, a]) => a.code !== 0 || !a.reply).map(([name, a]) => `${name}: status ${a.code} ${a.details}`);
  if (answers.bare.reply !== answers.mockgate.reply) problems.push(`replies differ: bare ${answers.bare.reply}, mockgate ${answers.mockgate.reply} (base64)`);
  const ruleId = answers.mockgate.metadata['x-beeceptor-rule-id'];
  if (ruleId !== expectedRuleId) problems.push(`mockgate answered with rule ${ruleId}, expected ${expectedRuleId}`);
  if (problems.length > 0) throw new Error(`scenario "${scenario.title}": the servers do not answer as expected:\n- ${problems.join('\n- ')}`);
  const expectedBytes = Buffer.from(answers.mockgate.reply, 'base64').length;
  return { servers: { bare, mockgate }, expectedBytes, load: (name, seconds) => grpcLoad(scenario, targets[name], seconds) };
}

async function measureScenario(scenario, shared, mockgate) {
  const setupStart = Date.now();
  const importSpecHere = (name, bytes) => importSpec(mockgate.url, scenario.endpoint, name, bytes);
  const setupResult = await scenario.setup?.((method, path, body) => api(mockgate.url, method, path, body),
    { upstreamUrl: shared.upstreamUrl, importSpec: importSpecHere });
  if (scenario.setup) log(`\n[${scenario.title}] setup took ${((Date.now() - setupStart) / 1000).toFixed(1)} s`);
  const expectedRuleId = await installRules(mockgate.url, scenario, rulesOf(scenario, setupResult));
  const { servers, expectedBytes, load } = scenario.protocol === 'grpc'
    ? await prepareGrpc(scenario, mockgate, expectedRuleId)
    : await prepareHttp(scenario, shared, mockgate, expectedRuleId);
  const what = scenario.protocol === 'grpc' ? 'reply' : 'response';
  log(`${scenario.setup ? '' : '\n'}[${scenario.title}] verified (${expectedBytes} bytes per ${what}, ${expectedRuleId === undefined ? 'no rule' : `rule ${expectedRuleId}`}); warming up ${CONFIG.warmup} s each`);
  // warm-up lets both servers' JIT settle on this scenario's code paths before anything is recorded
  for (const name of ['bare', 'mockgate']) await load(name, CONFIG.warmup);

  const runs = { bare: [], mockgate: [] };
  for (let i = 0; i < CONFIG.runs; i++) {
    // alternate who goes first, so a slow drift of the machine does not favour one server
    const order = i % 2 === 0 ? ['bare', 'mockgate'] : ['mockgate', 'bare'];
    for (const name of order) {
      const m = summarize(await measure(servers[name], () => load(name, CONFIG.duration)), expectedBytes, scenario.sizeVaries ? SIZE_TOLERANCE : 0);
      runs[name].push(m);
      log(`  run ${i + 1}/${CONFIG.runs} ${name.padEnd(8)} ${fmt(m.rps, 0).padStart(7)} req/s  p50 ${m.p50} ms  p99 ${m.p99} ms` +
        `  ${fmtCpu(m.cpuUsPerRequest)} µs CPU/req` +
        (m.failures || m.wrongSize ? `  !! ${m.failures} failed, ${m.bytesPerResponse.toFixed(2)} bytes/response` : ''));
    }
  }
  if (servers.bare !== shared) await stopChild(servers.bare.child);
  return { scenario, runs };
}

/**
 * An import scenario, on a mockgate of its own whose limits the document fits: a small import first (the first import
 * also starts the import worker), then the document's, timed by its job from creation to completion (or failure).
 */
async function measureImport(scenario) {
  const { name, bytes } = scenario.document();
  const mockgate = await startMockgate({ journal: false, label: 'mockgate-import',
    args: ['--max-spec-bytes', String(bytes.length + 1024 * 1024), '--spec-timeout-ms', String(IMPORT_TIMEOUT_MS)] });
  log(`\n[${scenario.title}] ${name}, ${fmt(bytes.length / 1e6, 1)} MB, into mockgate ${mockgate.url} (pid ${mockgate.child.pid}); ` +
    'the Petstore first, to start the import worker');
  await importSpec(mockgate.url, 'benchwarmup', 'petstore-v3.yaml', readFileSync(PETSTORE));
  const start = performance.now();
  let seen = '';
  const job = await uploadSpec(mockgate.url, scenario.endpoint, name, bytes, ({ status, currentStage, progress }) => {
    const now = `${status} ${currentStage ?? ''} ${progress ?? ''}%`;
    if (now !== seen) log(`  ${fmt((performance.now() - start) / 1000, 1).padStart(6)} s  ${(seen = now)}`);
  });
  const fromUpload = (performance.now() - start) / 1000; // the upload, the job, and up to one poll interval
  await stopChild(mockgate.child);
  const seconds = (Date.parse(job.completedAt ?? job.failedAt) - Date.parse(job.createdAt)) / 1000;
  return { scenario, seconds, fromUpload, megabytes: bytes.length / 1e6, job };
}

// ---------------------------------------------------------------------------------------------------------------
// Report

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const fmt = (n, digits) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const fmtCpu = (us) => (us === undefined ? '-' : fmt(us, 0));
const log = (line) => process.stdout.write(`${line}\n`);

function medians(runs) {
  return {
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    cpu: runs.some((r) => r.cpuUsPerRequest === undefined) ? undefined : median(runs.map((r) => r.cpuUsPerRequest)),
    // failed responses of all runs, plus one per run whose responses were not all the expected size
    failures: runs.reduce((n, r) => n + r.failures + (r.wrongSize ? 1 : 0), 0),
  };
}

function printReport(results) {
  const w = Math.max(...results.map((r) => r.scenario.title.length), 8);
  const grpc = results.some((r) => r.scenario.protocol === 'grpc')
    ? `; gRPC: vs bare grpc-js, as many calls in flight over ${CONFIG.grpcChannels} channels, req/s = calls/s` : '';
  log(`\nmockgate vs bare node:http — ${CONFIG.runs} run(s) of ${CONFIG.duration} s, ${CONFIG.connections} connections, ` +
    `pipelining 1, medians (node ${process.version})${grpc}`);
  log(`${'scenario'.padEnd(w)}  ${'server'.padEnd(8)}  ${'req/s'.padStart(9)}  ${'p50 ms'.padStart(7)}  ${'p99 ms'.padStart(7)}  ` +
    `${'failed'.padStart(6)}  ${'CPU µs/req'.padStart(10)}`);
  for (const { scenario, runs } of results) {
    for (const name of ['bare', 'mockgate']) {
      const m = medians(runs[name]);
      log(`${(name === 'bare' ? scenario.title : '').padEnd(w)}  ${name.padEnd(8)}  ${fmt(m.rps, 0).padStart(9)}  ` +
        `${fmt(m.p50, 1).padStart(7)}  ${fmt(m.p99, 1).padStart(7)}  ${String(m.failures).padStart(6)}  ${fmtCpu(m.cpu).padStart(10)}`);
    }
  }
  // the goal is on throughput; CPU per request is shown beside it because it does not depend on how the cores were shared
  log(`\n${'scenario'.padEnd(w)}  mockgate/bare req/s   goal    met   (CPU/req mockgate/bare)`);
  let allMet = true;
  for (const { scenario, runs } of results) {
    const [m, b] = [medians(runs.mockgate), medians(runs.bare)];
    const ratio = m.rps / b.rps;
    // a scenario without a goal (none set in the issue) only reports its ratio
    const met = scenario.goal === undefined || ratio >= scenario.goal;
    allMet &&= met;
    const [goal, verdict] = scenario.goal === undefined ? ['    -', '-'] : [`≥${scenario.goal.toFixed(1)}×`, met ? 'yes' : 'NO'];
    const cpuRatio = m.cpu === undefined || b.cpu === undefined ? '-' : `${(m.cpu / b.cpu).toFixed(2)}×`;
    log(`${scenario.title.padEnd(w)}  ${`${ratio.toFixed(2)}×`.padStart(19)}   ${goal}  ${verdict.padEnd(4)}  ${cpuRatio.padStart(8)}`);
  }
  return allMet;
}

function printImports(imports) {
  log('\nspec imports, each on a mockgate of its own once its import worker runs: the job, from its creation to its end');
  for (const { scenario, seconds, fromUpload, megabytes, job } of imports) {
    const outcome = job.status === 'COMPLETED' ? `COMPLETED, result ${JSON.stringify(job.result)}`
      : `${job.status} at stage "${job.currentStage}" (${job.progress}%): ${job.message}`;
    log(`${scenario.title} (${fmt(megabytes, 1)} MB): ${fmt(seconds, 1)} s (${fmt(fromUpload, 1)} s from the upload), ${outcome}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------

/** The shared servers, then each throughput scenario against its baseline and the mockgate it runs on. */
async function measureThroughput(scenarios) {
  const needsProxy = scenarios.some((s) => s.baseline === 'proxy');
  const [bare, quiet, journaled, proxied] = await Promise.all([startBare(scenarios), startMockgate({ journal: false }),
    startMockgate({ journal: true }), needsProxy ? startProxyBaseline() : undefined]);
  log(`bare server ${bare.url} (pid ${bare.child.pid}), mockgate ${quiet.url} (pid ${quiet.child.pid}, --no-journal) and ` +
    `${journaled.url} (pid ${journaled.child.pid}, journal on), autocannon in a child process per run`);
  if (proxied) log(`proxy scenarios: upstream ${proxied.upstreamUrl}, baseline node:http + http-proxy ${proxied.url} (pid ${proxied.child.pid})`);

  const results = [];
  for (const scenario of scenarios) {
    const baseline = scenario.baseline === 'proxy' ? proxied : bare;
    results.push(await measureScenario(scenario, baseline, scenario.journal ? journaled : quiet));
  }
  return results;
}

async function main() {
  installCleanupHandlers();
  const scenarios = CONFIG.scenarios ? SCENARIOS.filter((s) => CONFIG.scenarios.includes(s.id)) : SCENARIOS;
  if (scenarios.length === 0) throw new Error(`BENCH_SCENARIOS="${process.env.BENCH_SCENARIOS}" names none of: ${SCENARIOS.map((s) => s.id).join(', ')}`);
  // server and load generator already share the cores; anything else running skews the figures, so say so up front
  const busy = await machineBusy();
  if (busy > 0.1) log(`warning: the machine is ${(busy * 100).toFixed(0)}% busy before the start (${cpus().length} cores); figures will be noisy`);
  const throughput = scenarios.filter((s) => s.kind !== 'import');
  const results = throughput.length > 0 ? await measureThroughput(throughput) : [];
  const imports = [];
  for (const scenario of scenarios.filter((s) => s.kind === 'import')) imports.push(await measureImport(scenario));
  const allMet = results.length > 0 ? printReport(results) : true;
  if (imports.length > 0) printImports(imports);

  await cleanupAll(); // mockgate writes its --cpu-prof profile as it stops
  if (CONFIG.cpuProfDir) log(`\nmockgate CPU profile written to ${CONFIG.cpuProfDir}`);

  const failed = results.some(({ runs }) => [...runs.bare, ...runs.mockgate].some((r) => r.failures > 0 || r.wrongSize));
  if (failed) process.stderr.write('\nbench: FAILED — some responses were errors, non-2xx, or not the expected response (see "failed")\n');
  const importFailed = imports.some(({ job }) => job.status !== 'COMPLETED');
  if (importFailed) process.stderr.write('\nbench: FAILED — a spec import did not complete (see "spec imports")\n');
  if (failed || importFailed) process.exit(1);
  if (CONFIG.strict && !allMet) process.exit(1);
  process.exit(0); // the management API's keep-alive sockets would otherwise hold the process open a few seconds
}

main().catch(async (err) => {
  if (wasInterrupted()) return; // the signal handler is stopping everything and sets the exit code
  process.stderr.write(`\nbench: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  await cleanupAll();
  process.exit(1);
});
