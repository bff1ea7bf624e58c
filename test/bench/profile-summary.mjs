// Summarises a V8 .cpuprofile (e.g. from `BENCH_CPU_PROF=/tmp/prof npm run bench`): where the busy time went.
//
//   node test/bench/profile-summary.mjs <file.cpuprofile | dir> [--top 25] [--filter core/]
//
// Prints the busy time split by area (mockgate's core/ and plugins/, node's internals, dependencies, GC), then the
// top functions by self time and mockgate's own functions by inclusive time. dist/ positions are mapped back to the
// TypeScript sources through the build's source maps, so the names point at core/… and plugins/… lines.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' }, filter: { type: 'string' } },
});
if (positionals.length !== 1) {
  process.stderr.write('usage: node test/bench/profile-summary.mjs <file.cpuprofile | dir> [--top N] [--filter TEXT]\n');
  process.exit(2);
}
const TOP = Number(values.top);

/** The newest .cpuprofile of a dir, or the file itself. */
function profilePath(target) {
  if (!statSync(target).isDirectory()) return target;
  const files = readdirSync(target).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(target, f));
  if (files.length === 0) throw new Error(`no .cpuprofile in ${target}`);
  return files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

// ---------------------------------------------------------------------------------------------------------------
// Naming: "function (file:line)", with dist/ mapped to the .ts source

const sourceMaps = new Map();
function sourceMapOf(file) {
  if (!sourceMaps.has(file)) {
    let map;
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
    } catch {
      map = undefined; // no map: keep the dist position
    }
    sourceMaps.set(file, map);
  }
  return sourceMaps.get(file);
}

function location({ url, lineNumber, columnNumber }) {
  if (!url) return '';
  if (!url.startsWith('file://')) return `${url}:${lineNumber + 1}`;
  const file = fileURLToPath(url);
  const entry = file.includes(`${ROOT}/dist/`) ? sourceMapOf(file)?.findEntry(lineNumber, columnNumber) : undefined;
  if (entry?.originalSource) {
    const source = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : resolve(file, '..', entry.originalSource);
    return `${relative(ROOT, source)}:${entry.originalLine + 1}`;
  }
  return `${relative(ROOT, file)}:${lineNumber + 1}`;
}

const nameOf = (frame) => `${frame.functionName || '(anonymous)'}${frame.url ? ` (${location(frame)})` : ''}`;

function areaOf({ url, functionName }) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native / V8 builtins)';
  if (url.startsWith('node:')) return 'node internals';
  if (url.includes('/node_modules/')) return `dependency ${/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)[1]}`;
  if (url.includes('/dist/core/')) return 'mockgate core/';
  if (url.includes('/dist/plugins/')) return 'mockgate plugins/';
  return url;
}

// ---------------------------------------------------------------------------------------------------------------
// Aggregation

function analyse(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  const inclusive = new Map();
  const areas = new Map();
  const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);
  let busy = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i + 1] ?? 0; // the time until the next sample belongs to this one
    const frame = byId.get(id).callFrame;
    if (frame.functionName === '(idle)') return void (idle += us);
    busy += us;
    add(self, nameOf(frame), us);
    add(areas, areaOf(frame), us);
    // inclusive: once per function on the stack, so recursion is not counted twice
    const seen = new Set();
    for (let node = id; node !== undefined; node = parent.get(node)) {
      const name = nameOf(byId.get(node).callFrame);
      if (!seen.has(name)) {
        seen.add(name);
        add(inclusive, name, us);
      }
    }
  });
  return { busy, idle, self, inclusive, areas };
}

const ms = (us) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
const pct = (us, total) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
const sorted = (map) => [...map.entries()].sort((a, b) => b[1] - a[1]);

function print(path, { busy, idle, self, inclusive, areas }) {
  const out = (line) => process.stdout.write(`${line}\n`);
  out(`${path}\nbusy ${ms(busy)}, idle ${ms(idle)}; percentages are of busy time\n`);
  out('busy time by area:');
  for (const [area, us] of sorted(areas)) out(`  ${pct(us, busy)} ${ms(us)}  ${area}`);
  out(`\ntop ${TOP} functions by self time:`);
  for (const [name, us] of sorted(self).filter(([n]) => !values.filter || n.includes(values.filter)).slice(0, TOP)) {
    out(`  ${pct(us, busy)} ${ms(us)}  ${name}`);
  }
  out(`\nmockgate's own functions (core/, plugins/) by inclusive time:`);
  const own = sorted(inclusive).filter(([n]) => /\((core|plugins)\//.test(n) && (!values.filter || n.includes(values.filter)));
  for (const [name, us] of own.slice(0, TOP)) out(`  ${pct(us, busy)} ${ms(us)}  ${name}`);
}

const path = profilePath(positionals[0]);
print(path, analyse(JSON.parse(readFileSync(path, 'utf8'))));
