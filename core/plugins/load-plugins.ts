// Loads user plugins named in the configuration: file paths (relative to the working directory) or package names.
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MockgateError } from '../errors.js';

export async function loadUserPlugins(specifiers: readonly string[]): Promise<unknown[]> {
  const plugins: unknown[] = [];
  for (const specifier of specifiers) {
    const isPath = specifier.startsWith('.') || isAbsolute(specifier);
    const target = isPath ? pathToFileURL(resolve(specifier)).href : specifier;
    try {
      plugins.push(((await import(target)) as { default?: unknown }).default);
    } catch (err) {
      throw new MockgateError('plugin_invalid', `plugin "${specifier}" failed to load: ${(err as Error).message}`);
    }
  }
  return plugins;
}
