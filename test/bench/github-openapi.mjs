// The document of the `oas-import` scenario: GitHub's REST API description (OpenAPI 3.0, about 13 MB of JSON), from
// the npm package @octokit/openapi. Not a dependency (28 MB packed): fetched once with `npm pack` into
// node_modules/.cache/mockgate-bench/, where only the one file is kept and then reused.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const GITHUB_OPENAPI_VERSION = '23.0.2';
const PACKAGE = `@octokit/openapi@${GITHUB_OPENAPI_VERSION}`;
const FILE = 'package/generated/api.github.com.json';
const CACHE = resolve(dirname(fileURLToPath(import.meta.url)), '../../node_modules/.cache/mockgate-bench', `octokit-openapi-${GITHUB_OPENAPI_VERSION}`);

/** The path of api.github.com.json, fetched and extracted first if it is not in the cache yet. */
export function githubOpenapi() {
  const path = join(CACHE, FILE);
  if (existsSync(path)) return path;
  mkdirSync(CACHE, { recursive: true });
  const packed = execFileSync('npm', ['pack', PACKAGE, '--silent', '--pack-destination', CACHE], { encoding: 'utf8' });
  const tarball = join(CACHE, packed.trim().split('\n').at(-1));
  execFileSync('tar', ['-xzf', tarball, '-C', CACHE, FILE]);
  rmSync(tarball);
  return path;
}
