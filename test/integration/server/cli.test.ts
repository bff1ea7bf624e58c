// The command line: prints one line per listener, honours flags and environment, refuses unsafe hosts, stops cleanly.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const CLI = ['--import', 'tsx', 'core/cli.ts'];
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [...CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const m = /mockgate listening on (http:\/\/[^\s]+)/.exec(stdout);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  listening.catch(() => undefined); // tests that expect an exit never await it
  return { child, listening, exited, output: () => ({ stdout, stderr }) };
}

const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'mockgate-cli-'));
  dirs.push(d);
  return d;
};

describe('cli', () => {
  it('--port 0 prints the chosen port; SIGTERM answers in-flight requests, then exits 0', async () => {
    const dir = tempDir();
    const p = run(['--port', '0', '--grpc-port', '0', '--data-dir', dir, '--log-level', 'warn']);
    const url = await p.listening;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url).not.toMatch(/:0$/);
    await fetch(`${url}/api/v2/endpoints/slow/rules`, {
      method: 'POST',
      body: JSON.stringify({ enabled: true, conditions: [{ type: 'path', operator: 'equals', value: '/s' }], action: { type: 'mock', status: 200, headers: [], body: 'done', delay: 60000 } }),
    });
    const inFlight = fetch(`${url}/e/slow/s`).then((r) => r.text());
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    p.child.kill('SIGTERM');
    expect(await inFlight).toBe('done');
    expect(await p.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('takes its settings from MOCKGATE_* variables', async () => {
    const dir = tempDir();
    const p = run([], { MOCKGATE_PORT: '0', MOCKGATE_DATA_DIR: dir, MOCKGATE_LOG_LEVEL: 'warn', MOCKGATE_API_KEY: 'env-key-123456' });
    const url = await p.listening;
    expect((await fetch(`${url}/api/v2/endpoints`)).status).toBe(401);
    expect((await fetch(`${url}/api/v2/endpoints`, { headers: { authorization: 'env-key-123456' } })).status).toBe(200);
    p.child.kill('SIGINT');
    expect(await p.exited).toBe(0);
  });

  it('refuses a non-loopback host without an API key', async () => {
    const p = run(['--host', '0.0.0.0', '--port', '0', '--grpc-port', '0', '--data-dir', tempDir()]);
    expect(await p.exited).toBe(1);
    expect(p.output().stderr).toMatch(/refusing to listen on 0\.0\.0\.0 without an API key/);
  });

  it('rejects unknown flags and bad values with usage', async () => {
    const unknown = run(['--bogus']);
    expect(await unknown.exited).toBe(1);
    expect(unknown.output().stderr).toMatch(/Usage: mockgate/);
    const badPort = run(['--port', 'abc', '--data-dir', tempDir()]);
    expect(await badPort.exited).toBe(1);
    expect(badPort.output().stderr).toMatch(/port/);
  });
});
