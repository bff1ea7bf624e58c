// Child processes and temp dirs of the benchmark, and their cleanup on every way out: normal end, error, Ctrl-C.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const children = new Set();
const tempDirs = new Set();
const STDERR_KEEP = 8192;

/** A temp dir that is removed at exit whatever happens. */
export function makeTempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

/** Spawns `node <args>` and tracks it; the tail of its stderr is kept for error messages. */
export function spawnNode(label, args, options = {}) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  child.label = label;
  child.stderrTail = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    child.stderrTail = (child.stderrTail + chunk).slice(-STDERR_KEEP);
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Resolves with the URL a server prints as `… listening on <url>`; rejects if it exits or stays silent. */
export async function waitForListening(child, timeoutMs = 15000) {
  return (await waitForListeners(child, ['http'], timeoutMs)).http;
}

/**
 * Resolves with the URL of each scheme a server prints as `… listening on <scheme>://…` (mockgate prints its HTTP one,
 * then one per protocol listener, e.g. `grpc://…`), as `{ http: …, grpc: … }`; rejects if it exits or stays silent.
 */
export function waitForListeners(child, schemes, timeoutMs = 15000) {
  return new Promise((resolve, reject) => {
    let out = '';
    const urls = {};
    const fail = (why) => {
      cleanup();
      reject(new Error(`${child.label} ${why}\n--- stdout ---\n${out}\n--- stderr ---\n${child.stderrTail}`));
    };
    const onData = (chunk) => {
      out += chunk;
      for (const [, url, scheme] of out.matchAll(/listening on ((\w+):\/\/\S+)\n/g)) urls[scheme] ??= url;
      if (schemes.every((scheme) => urls[scheme] !== undefined)) {
        cleanup();
        resolve(urls);
      }
    };
    const onExit = (code, signal) => fail(`exited (code ${code}, signal ${signal}) before listening`);
    const timer = setTimeout(() => fail(`did not print "listening on ${schemes.join(' and ')}://…" within ${timeoutMs} ms`), timeoutMs);
    function cleanup() {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      // keep draining stdout so a chatty child never blocks on a full pipe
      child.stdout.resume();
    }
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Runs `node <args>` to completion; resolves with its stdout, rejects on a non-zero exit. */
export function runNode(label, args) {
  return new Promise((resolve, reject) => {
    const child = spawnNode(label, args);
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => (out += chunk));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${label} failed (code ${code}, signal ${signal})\n${child.stderrTail}`));
    });
  });
}

/** SIGTERM (so a server can flush, e.g. a --cpu-prof profile), then SIGKILL after `graceMs`. */
export async function stopChild(child, graceMs = 5000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Stops every child still running and removes the temp dirs. Safe to call more than once. */
export async function cleanupAll() {
  await Promise.all([...children].map((c) => stopChild(c)));
  removeTempDirs();
}

function removeTempDirs() {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

/** Last resort on `exit`, where only synchronous work runs: kill what is left, remove the dirs. */
function cleanupSync() {
  for (const child of children) child.kill('SIGKILL');
  removeTempDirs();
}

let interrupted = false;
/** True once Ctrl-C / SIGTERM started the shutdown: failures after that are its consequence, not worth reporting. */
export const wasInterrupted = () => interrupted;

/** Installs the handlers: Ctrl-C / SIGTERM stop the children and exit; `exit` always runs the synchronous sweep. */
export function installCleanupHandlers() {
  process.once('exit', cleanupSync);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (interrupted) return; // a second Ctrl-C while cleaning up: let the first one finish
      interrupted = true;
      process.stderr.write(`\nbench: ${signal}, stopping servers and load generator…\n`);
      cleanupAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
}
