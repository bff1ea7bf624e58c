// `npm run bench`: mockgate's data plane against a bare node:http server sending the same bytes.
//
// Three processes: the bare server, mockgate (dist/, built by `prebench`) and autocannon, which is started anew for
// each measurement — never inside a server process, so the load generator's CPU is not billed to a server.
// For each scenario: install its rules, check both servers answer the expected bytes, warm both up, then measure
// BENCH_RUNS times, alternating bare/mockgate, and report medians and the mockgate/bare throughput ratio.
//
// Environment:
//   BENCH_DURATION=10      seconds per measurement        BENCH_WARMUP=3       seconds of warm-up per server and scenario
//   BENCH_CONNECTIONS=64   autocannon connections         BENCH_RUNS=3         measurements per server and scenario
//   BENCH_SCENARIOS=…      comma list of ids (static,500,500u,state,static-journal,crud,template,proxy); default all
//   BENCH_CPU_PROF=<dir>   run mockgate with --cpu-prof, profile written to <dir> when it stops (see profile-summary.mjs)
//   BENCH_STRICT=1         exit 1 when a throughput goal is missed (it always exits 1 on errors or wrong responses)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanupAll, installCleanupHandlers, makeTempDir, runNode, spawnNode, waitForListening, wasInterrupted } from './processes.mjs';
import { BODY, SCENARIOS, bareBodies, bodyOf, mockgatePath, rulesOf } from './scenarios.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const MOCKGATE_CLI = join(ROOT, 'dist/core/cli.js');
const BARE_SERVER = join(HERE, 'bare-server.mjs');
const PROXY_SERVER = join(HERE, 'proxy-server.mjs');
const AUTOCANNON_CLI = join(dirname(createRequire(import.meta.url).resolve('autocannon/package.json')), 'autocannon.js');

const CONFIG = {
  duration: positiveEnv('BENCH_DURATION', 10),
  warmup: positiveEnv('BENCH_WARMUP', 3),
  connections: positiveEnv('BENCH_CONNECTIONS', 64),
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

async function startMockgate({ journal }) {
  const dataDir = makeTempDir('mockgate-bench-');
  const nodeFlags = CONFIG.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', CONFIG.cpuProfDir] : [];
  const args = [...nodeFlags, MOCKGATE_CLI, '--port', '0', '--data-dir', dataDir, '--log-level', 'warn', ...(journal ? [] : ['--no-journal'])];
  const child = spawnNode(journal ? 'mockgate' : 'mockgate-nojournal', args);
  return { name: 'mockgate', child, url: await waitForListening(child) };
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

/** One keep-alive GET over a raw socket (as autocannon sends it); resolves with the whole response as text. */
function rawGet(baseUrl, path) {
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
    socket.on('connect', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n\r\n`));
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
 * length matching its pattern), the right rule id, and byte-identical headers.
 */
async function verify(scenario, bare, mockgate, expectedRuleId) {
  const expectedBody = bodyOf(scenario);
  const rawBare = await rawGet(bare.url, scenario.path);
  const rawMock = await rawGet(mockgate.url, mockgatePath(scenario));
  const problems = [];
  for (const [name, raw] of [['bare', rawBare], ['mockgate', rawMock]]) {
    const { status, headers, body } = parseRaw(raw);
    if (status !== 200) problems.push(`${name}: status ${status}, expected 200`);
    if (headers['content-type'] !== 'application/json') problems.push(`${name}: content-type "${headers['content-type']}"`);
    const bodyOk = scenario.bodyPattern ? scenario.bodyPattern.test(body) && body.length === expectedBody.length : body === expectedBody;
    if (!bodyOk) problems.push(`${name}: body ${JSON.stringify(body)}, expected ${scenario.bodyPattern ?? JSON.stringify(expectedBody)}`);
    if (headers['x-beeceptor-rule-id']?.length !== 11) problems.push(`${name}: x-beeceptor-rule-id "${headers['x-beeceptor-rule-id']}" is not 11 characters`);
  }
  const ruleId = parseRaw(rawMock).headers['x-beeceptor-rule-id'];
  // without rules (proxy), both relay the upstream's answer: its rule-id header, checked with the other headers below
  if (expectedRuleId !== undefined && ruleId !== expectedRuleId) problems.push(`mockgate answered with rule ${ruleId}, expected the scenario's last rule ${expectedRuleId}`);
  const head = (raw) => (scenario.bodyPattern ? raw.slice(0, raw.indexOf('\r\n\r\n')) : raw);
  if (mask(head(rawBare)) !== mask(head(rawMock))) {
    problems.push(`responses differ:\n  bare:     ${JSON.stringify(rawBare)}\n  mockgate: ${JSON.stringify(rawMock)}`);
  }
  if (problems.length > 0) throw new Error(`scenario "${scenario.title}": the servers do not answer as expected:\n- ${problems.join('\n- ')}`);
  return rawMock.length; // bytes per response, checked again against what autocannon received
}

// ---------------------------------------------------------------------------------------------------------------
// Load

/** One autocannon run in its own process → its JSON result. */
async function autocannon(url, seconds) {
  const args = [AUTOCANNON_CLI, '--json', '--no-progress', '-c', String(CONFIG.connections), '-p', '1', '-d', String(seconds), url];
  const out = await runNode('autocannon', args);
  return JSON.parse(out.trim().split('\n').at(-1));
}

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

/** One measurement of a server: autocannon's result plus the CPU the server spent meanwhile. */
async function measure(server, url, seconds) {
  const before = cpuMs(server.child.pid);
  const result = await autocannon(url, seconds);
  const after = cpuMs(server.child.pid);
  return { result, cpuMs: before === undefined || after === undefined ? undefined : after - before };
}

/** The figures of one measurement, and what went wrong in it (must be nothing). */
function summarize({ result, cpuMs: cpu }, expectedBytes) {
  const failures = result.errors + result.timeouts + result.non2xx + result.resets + result.mismatches;
  // every response has the same length; a different average means some other response (e.g. no rule matched) came back
  const bytesPerResponse = result.requests.total > 0 ? result.throughput.total / result.requests.total : 0;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    cpuUsPerRequest: cpu === undefined || result.requests.total === 0 ? undefined : (cpu * 1000) / result.requests.total,
    failures,
    wrongSize: Math.abs(bytesPerResponse - expectedBytes) > 0.01,
    bytesPerResponse,
  };
}

async function measureScenario(scenario, bare, mockgate) {
  const setupStart = Date.now();
  const setupResult = await scenario.setup?.((method, path, body) => api(mockgate.url, method, path, body), { upstreamUrl: bare.upstreamUrl });
  if (scenario.setup) log(`\n[${scenario.title}] setup took ${((Date.now() - setupStart) / 1000).toFixed(1)} s`);
  const expectedRuleId = await installRules(mockgate.url, scenario, rulesOf(scenario, setupResult));
  const expectedBytes = await verify(scenario, bare, mockgate, expectedRuleId);
  const servers = { bare, mockgate };
  const targets = { bare: bare.url + scenario.path, mockgate: mockgate.url + mockgatePath(scenario) };
  log(`${scenario.setup ? '' : '\n'}[${scenario.title}] verified (${expectedBytes} bytes per response, ${expectedRuleId === undefined ? 'no rule' : `rule ${expectedRuleId}`}); warming up ${CONFIG.warmup} s each`);
  // warm-up lets both servers' JIT settle on this scenario's code paths before anything is recorded
  for (const name of ['bare', 'mockgate']) await autocannon(targets[name], CONFIG.warmup);

  const runs = { bare: [], mockgate: [] };
  for (let i = 0; i < CONFIG.runs; i++) {
    // alternate who goes first, so a slow drift of the machine does not favour one server
    const order = i % 2 === 0 ? ['bare', 'mockgate'] : ['mockgate', 'bare'];
    for (const name of order) {
      const m = summarize(await measure(servers[name], targets[name], CONFIG.duration), expectedBytes);
      runs[name].push(m);
      log(`  run ${i + 1}/${CONFIG.runs} ${name.padEnd(8)} ${fmt(m.rps, 0).padStart(7)} req/s  p50 ${m.p50} ms  p99 ${m.p99} ms` +
        `  ${fmtCpu(m.cpuUsPerRequest)} µs CPU/req` +
        (m.failures || m.wrongSize ? `  !! ${m.failures} failed, ${m.bytesPerResponse.toFixed(2)} bytes/response` : ''));
    }
  }
  return { scenario, runs };
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
  log(`\nmockgate vs bare node:http — ${CONFIG.runs} run(s) of ${CONFIG.duration} s, ${CONFIG.connections} connections, ` +
    `pipelining 1, medians (node ${process.version})`);
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
    const met = ratio >= scenario.goal;
    allMet &&= met;
    const cpuRatio = m.cpu === undefined || b.cpu === undefined ? '-' : `${(m.cpu / b.cpu).toFixed(2)}×`;
    log(`${scenario.title.padEnd(w)}  ${`${ratio.toFixed(2)}×`.padStart(19)}   ≥${scenario.goal.toFixed(1)}×  ${(met ? 'yes' : 'NO').padEnd(4)}  ${cpuRatio.padStart(8)}`);
  }
  return allMet;
}

// ---------------------------------------------------------------------------------------------------------------

async function main() {
  installCleanupHandlers();
  const scenarios = CONFIG.scenarios ? SCENARIOS.filter((s) => CONFIG.scenarios.includes(s.id)) : SCENARIOS;
  if (scenarios.length === 0) throw new Error(`BENCH_SCENARIOS="${process.env.BENCH_SCENARIOS}" names none of: ${SCENARIOS.map((s) => s.id).join(', ')}`);
  // server and load generator already share the cores; anything else running skews the figures, so say so up front
  const busy = await machineBusy();
  if (busy > 0.1) log(`warning: the machine is ${(busy * 100).toFixed(0)}% busy before the start (${cpus().length} cores); figures will be noisy`);
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
  const allMet = printReport(results);

  await cleanupAll(); // mockgate writes its --cpu-prof profile as it stops
  if (CONFIG.cpuProfDir) log(`\nmockgate CPU profile written to ${CONFIG.cpuProfDir}`);

  const failed = results.some(({ runs }) => [...runs.bare, ...runs.mockgate].some((r) => r.failures > 0 || r.wrongSize));
  if (failed) {
    process.stderr.write('\nbench: FAILED — some responses were errors, non-2xx, or not the expected response (see "failed")\n');
    process.exit(1);
  }
  if (CONFIG.strict && !allMet) process.exit(1);
  process.exit(0); // the management API's keep-alive sockets would otherwise hold the process open a few seconds
}

main().catch(async (err) => {
  if (wasInterrupted()) return; // the signal handler is stopping everything and sets the exit code
  process.stderr.write(`\nbench: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  await cleanupAll();
  process.exit(1);
});
