// The piscina task that prepares an uploaded spec off the main thread: imports the importer's `prepare` module and
// runs it, posting each stage it reports on the job's port.
import type { MessagePort } from 'node:worker_threads';
import type { PrepareSpec, PreparedSpec, SpecFile, SpecOptions } from '../core/contract.js';

export interface PrepareTask {
  /** URL of the importer's prepare module. */
  module: string;
  file: SpecFile;
  options: SpecOptions;
  progress: MessagePort;
}

export interface StageMessage {
  stage: string;
  progress: number;
  message?: string;
}

/** The first message of every job: the main thread's time limit starts here. */
export const STARTED = '(started)';

export default async function prepareSpec({ module, file, options, progress }: PrepareTask): Promise<PreparedSpec> {
  progress.postMessage({ stage: STARTED, progress: 0 } satisfies StageMessage);
  try {
    const prepare = (await import(module) as { default: PrepareSpec }).default;
    const prepared = await prepare(file, {
      stage: (stage, at, message) => progress.postMessage({ stage, progress: at, ...(message === undefined ? {} : { message }) } satisfies StageMessage),
    }, options);
    return { text: prepared.text, operations: [...prepared.operations], ...(prepared.result ? { result: { ...prepared.result } } : {}) };
  } finally {
    progress.close();
  }
}
