// Starts worker threads from a module URL; under the test runner the module is TypeScript source, loaded through tsx.
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startWorker(module: URL, options: WorkerOptions = {}): Worker {
  if (!module.pathname.endsWith('.ts')) return new Worker(module, options);
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(module.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** The file and worker data to give piscina for a task module (its default export is the task). */
export function poolWorker<D extends object>(module: URL, workerData: D): { filename: string; workerData: D & { tsModule?: string } } {
  if (!module.pathname.endsWith('.ts')) return { filename: fileURLToPath(module), workerData };
  return { filename: fileURLToPath(new URL('./ts-worker.mjs', import.meta.url)), workerData: { ...workerData, tsModule: module.href } };
}
