// A plugin's spec importer: found by the registry from the uploaded file, reporting job stages as it parses.
import { describe, expect, it } from 'vitest';
import type { JobProgress, SpecFile } from '../../core/contract.js';
import { createRegistry } from '../../core/plugins/registry.js';
import rest from '../../plugins/rest/index.js';
import importerPlugin from '../fixtures/plugins/importer-plugin.js';

const file = (name: string, text = ''): SpecFile => ({ name, contentType: 'application/octet-stream', bytes: Buffer.from(text) });

function recordingJob(): JobProgress & { stages: Array<[string, number, string | undefined]> } {
  const stages: Array<[string, number, string | undefined]> = [];
  return { stages, stage: (name, progress, message) => void stages.push([name, progress, message]) };
}

describe('spec importer registered by a plugin', () => {
  it('is listed and found by file name extension', async () => {
    const registry = await createRegistry([rest, importerPlugin]);
    expect(registry.importers.map((i) => i.kind)).toEqual(['demo']);
    expect(registry.findImporter(file('orders.demo'))?.kind).toBe('demo');
    expect(registry.findImporter(file('ORDERS.DEMO'))?.kind).toBe('demo');
    expect(registry.findImporter(file('orders.yaml'))).toBeUndefined();
    expect(registry.findImporter(file('demo'))).toBeUndefined();
  });

  it('imports the operations and reports its stages', async () => {
    const registry = await createRegistry([importerPlugin]);
    const spec = file('orders.demo', '# orders\nGET /orders\nPOST /orders\n\nDELETE /orders/7\n');
    const job = recordingJob();
    const imported = await registry.findImporter(spec)!.import(spec, job);
    expect(imported.operations).toBe(3);
    expect(job.stages).toEqual([
      ['parse', 0, undefined],
      ['parse', 1, '3 operations'],
    ]);
  });

  it('rejects a malformed spec with validation_error naming the file and the line', async () => {
    const registry = await createRegistry([importerPlugin]);
    const spec = file('broken.demo', 'GET /orders\nFETCH orders\n');
    const job = recordingJob();
    await expect(registry.findImporter(spec)!.import(spec, job)).rejects.toMatchObject({
      code: 'validation_error',
      message: expect.stringContaining('broken.demo: operation 2 "FETCH orders"'),
    });
    expect(job.stages).toEqual([['parse', 0, undefined]]);
  });
});
