// A plugin's spec importer: found by the registry from the uploaded file; its preparation runs in the spec worker.
import { describe, expect, it } from 'vitest';
import type { SpecFile } from '../../core/contract.js';
import { createRegistry } from '../../core/plugins/registry.js';
import rest from '../../plugins/rest/index.js';
import importerPlugin from '../fixtures/plugins/importer-plugin.js';

const file = (name: string, text = ''): SpecFile => ({ name, contentType: 'application/octet-stream', bytes: Buffer.from(text) });

describe('spec importer registered by a plugin', () => {
  it('is listed and found by what the upload looks like (here, its extension)', async () => {
    const registry = await createRegistry([rest, importerPlugin]);
    expect(registry.importers.map((i) => i.kind)).toEqual(['demo']);
    expect(registry.findImporter(file('orders.demo'))?.kind).toBe('demo');
    expect(registry.findImporter(file('ORDERS.DEMO'))?.kind).toBe('demo');
    expect(registry.findImporter(file('orders.yaml'))).toBeUndefined();
    expect(registry.findImporter(file('demo'))).toBeUndefined();
  });
});
