// Module boundaries: a plugin imports from the core only core/contract.js and no other plugin; the core names no plugin
// except in core/plugins/builtin-plugins.ts. Plain fs + regex over import/export-from statements and import('literal').
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE = /\.(?:[cm]?ts|[cm]?js)$/;
const CONTRACT = join(ROOT, 'core', 'contract.js');
const PLUGINS = join(ROOT, 'plugins');
const BUILTIN_LIST = join(ROOT, 'core', 'plugins', 'builtin-plugins.ts');

// A statement starts a line or follows `;`, so `// import … from '…'` comments and prose in strings do not count.
const STATIC_SPECIFIER = /(?:^|[;\n])[ \t]*(?:import|export)\s+(?:type\s+)?(?:[\w$*{},\s]+?\s+from\s*)?['"]([^'"\n]+)['"]/g;
const DYNAMIC_SPECIFIER = /\bimport\s*\(\s*(['"`])([^'"`\n$]+)\1\s*\)/g;

function importSpecifiers(source: string): string[] {
  return [...source.matchAll(STATIC_SPECIFIER)].map((m) => m[1]!).concat([...source.matchAll(DYNAMIC_SPECIFIER)].map((m) => m[2]!));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

interface Import {
  file: string;
  specifier: string;
  /** Absolute target for a relative specifier; undefined for packages and node: built-ins. */
  target: string | undefined;
}

function importsOf(file: string): Import[] {
  return importSpecifiers(readFileSync(file, 'utf8')).map((specifier) => ({
    file: relative(ROOT, file),
    specifier,
    target: specifier.startsWith('.') ? resolve(dirname(file), specifier) : undefined,
  }));
}

const isInside = (path: string, dir: string): boolean => path === dir || path.startsWith(dir + sep);
const show = ({ file, specifier }: Import): string => `${file} imports "${specifier}"`;

/** A plugin folder may import its own files, packages, node: built-ins and core/contract.js (by relative path). */
function isAllowedInPlugin(pluginDir: string, { specifier, target }: Import): boolean {
  if (target === undefined) return specifier !== 'mockgate' && !specifier.startsWith('mockgate/');
  return isInside(target, pluginDir) || target === CONTRACT;
}

describe('importSpecifiers', () => {
  it('finds static, type-only, multi-line, re-export, side-effect and literal dynamic imports', () => {
    const source = [
      "import a from './a.js';",
      "import type { B } from './b.js';",
      'import {',
      '  c,',
      '  type C,',
      "} from './c.js';",
      "export { d } from './d.js'; export * from './e.js';",
      "import './f.js';",
      "const g = await import('./g.js');",
      'const h = await import(`./h.js`);',
      "// import z from './commented-out.js';",
      "const text = 'we import nothing from \"./prose.js\"';",
      'const dynamic = await import(variable);',
    ].join('\n');
    expect(importSpecifiers(source)).toEqual(['./a.js', './b.js', './c.js', './d.js', './e.js', './f.js', './g.js', './h.js']);
  });
});

describe('plugins', () => {
  const folders = readdirSync(PLUGINS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

  it('exist, so the checks below are not vacuous', () => {
    expect(folders.length).toBeGreaterThan(0);
    expect(importsOf(join(PLUGINS, 'rest', 'index.ts')).map((i) => i.target)).toContain(CONTRACT);
  });

  it('may import their own files, packages and core/contract.js, nothing else', () => {
    const own = join(PLUGINS, 'demo');
    const allowed = (file: string, specifier: string): boolean => isAllowedInPlugin(own, {
      file,
      specifier,
      target: specifier.startsWith('.') ? resolve(own, dirname(file), specifier) : undefined,
    });
    expect(allowed('index.ts', '../../core/contract.js')).toBe(true);
    expect(allowed('conditions/x.ts', '../../../core/contract.js')).toBe(true);
    expect(allowed('conditions/x.ts', '../actions/y.js')).toBe(true);
    expect(allowed('index.ts', 'path-to-regexp')).toBe(true);
    expect(allowed('index.ts', 'node:net')).toBe(true);
    expect(allowed('index.ts', '../../core/errors.js')).toBe(false);
    expect(allowed('index.ts', '../../core/plugins/registry.js')).toBe(false);
    expect(allowed('index.ts', '../rest/conditions/header.js')).toBe(false);
    expect(allowed('index.ts', '../demo-extra/index.js')).toBe(false);
    expect(allowed('index.ts', '../../test/helpers/start-mockgate.js')).toBe(false);
    expect(allowed('index.ts', 'mockgate/dist/core/contract.js')).toBe(false);
  });

  it.each(folders)('%s imports from the core only core/contract.js, and nothing from another plugin', (name) => {
    const own = join(PLUGINS, name);
    const violations = sourceFiles(own).flatMap(importsOf).filter((i) => !isAllowedInPlugin(own, i)).map(show);
    expect(violations).toEqual([]);
  });
});

describe('core', () => {
  it('imports no plugin code, except the built-in plugin list', () => {
    const files = sourceFiles(join(ROOT, 'core'));
    expect(files).toContain(BUILTIN_LIST);
    const violations = files
      .filter((file) => file !== BUILTIN_LIST)
      .flatMap(importsOf)
      .filter(({ target }) => target !== undefined && isInside(target, PLUGINS))
      .map(show);
    expect(violations).toEqual([]);
  });

  it('names every built-in plugin through its index.js only', () => {
    const targets = importsOf(BUILTIN_LIST).filter(({ target }) => target !== undefined && isInside(target, PLUGINS));
    expect(targets.length).toBeGreaterThan(0);
    for (const { target } of targets) expect(relative(PLUGINS, target!)).toMatch(/^[a-z][a-z0-9-]*[\\/]index\.js$/);
  });
});
