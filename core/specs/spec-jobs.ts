// Spec uploads as jobs: detected by the plugins' importers, prepared one at a time on a worker thread, then stored as
// the importer's endpoint document (which its fallback step compiles) with a small record of what the endpoint's spec
// is. An endpoint holds one spec: a new one replaces the old, whatever its kind.
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { Logger, PreparedSpec, SpecFile, SpecImporter, SpecOptions } from '../contract.js';
import type { Endpoints } from '../endpoints/endpoints.js';
import { MockgateError } from '../errors.js';
import { newId } from '../ids.js';
import type { Registry } from '../plugins/registry.js';
import { poolWorker } from '../start-worker.js';
import { STARTED, type PrepareTask, type StageMessage } from '../../workers/prepare-spec.js';

const WORKER = new URL(`../../workers/prepare-spec${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/** The core's own document of an endpoint: which spec it holds. */
export const SPEC_RECORD_PATH = 'specs';
/** Jobs are kept in memory, this many per endpoint, newest first. */
const JOBS_KEPT = 50;

export type JobStatus = 'QUEUED' | 'PROCESSING' | 'COMPLETED' | 'FAILED';

/** The `Job` of the OpenAPI document. `type` is absent when no importer recognised the upload. */
export interface Job {
  jobId: string;
  type?: string;
  status: JobStatus;
  message: string;
  progress: number;
  currentStage: string;
  result?: Record<string, number>;
  createdAt: string;
  completedAt?: string;
  failedAt?: string;
}

export interface SpecRecord {
  kind: string;
  type: string;
  document: string;
  intelligenceMock: boolean;
  operations: string[];
  jobId: string;
  uploadedAt: string;
}

export interface SpecJobSettings {
  /** A spec still preparing after this long fails, and its worker is stopped. */
  timeoutMs: number;
  /** Heap of the preparing worker: a spec bomb costs the job, not the server. */
  workerHeapMb: number;
}

interface Queued {
  readonly job: Job;
  readonly endpoint: string;
  readonly importer: SpecImporter;
  readonly file: SpecFile;
  readonly options: SpecOptions;
  readonly done: (outcome: Job) => void;
}

export class SpecJobs {
  readonly #jobs = new Map<string, Job[]>();
  readonly #queue: Queued[] = [];
  #running = false;
  #pool: Piscina<PrepareTask, PreparedSpec> | undefined;
  readonly #closing = new AbortController();

  constructor(
    private readonly endpoints: Endpoints,
    private readonly registry: Registry,
    private readonly log: Logger,
    private readonly settings: SpecJobSettings,
  ) {}

  /**
   * Accepts an upload as a QUEUED job and runs it in turn; `finished` settles when it is COMPLETED or FAILED. An upload
   * no importer recognises is a job that has FAILED already.
   */
  submit(endpoint: string, file: SpecFile, options: SpecOptions,
    importer = this.registry.findImporter(file)): { job: Job; finished: Promise<Job> } {
    this.endpoints.getOrCreate(endpoint);
    const job: Job = {
      jobId: `job-${newId()}`,
      ...(importer ? { type: importer.kind } : {}),
      status: 'QUEUED',
      message: importer ? `Job queued for ${importer.kind} processing` : '',
      progress: 0,
      currentStage: 'queued',
      createdAt: new Date().toISOString(),
    };
    this.#keep(endpoint, job);
    if (importer === undefined) {
      const kinds = this.registry.importers.map((i) => i.specType).join(', ');
      this.#fail(job, `"${file.name}" is not a specification of a known kind (${kinds || 'no importer is loaded'})`);
      return { job: { ...job }, finished: Promise.resolve(job) };
    }
    const snapshot = { ...job };
    const finished = new Promise<Job>((done) => this.#queue.push({ job, endpoint, importer, file, options, done }));
    void this.#next();
    return { job: snapshot, finished };
  }

  job(endpoint: string, jobId: string): Job | undefined {
    return this.#jobs.get(endpoint)?.find((j) => j.jobId === jobId);
  }

  spec(endpoint: string): SpecRecord | undefined {
    const text = this.endpoints.get(endpoint)?.document(SPEC_RECORD_PATH);
    return text === undefined ? undefined : JSON.parse(text) as SpecRecord;
  }

  /** Removes the endpoint's spec: its document stops answering. False when it held none. */
  remove(endpoint: string): boolean {
    const spec = this.spec(endpoint);
    if (spec === undefined) return false;
    this.endpoints.setDocument(endpoint, spec.document, undefined);
    this.endpoints.setDocument(endpoint, SPEC_RECORD_PATH, undefined);
    return true;
  }

  /** The document at `path` went away by its own DELETE: so did the spec it was. */
  documentRemoved(endpoint: string, path: string): void {
    if (this.spec(endpoint)?.document === path) this.endpoints.setDocument(endpoint, SPEC_RECORD_PATH, undefined);
  }

  async close(): Promise<void> {
    this.#closing.abort();
    for (const queued of this.#queue.splice(0)) queued.done(this.#fail(queued.job, 'the server stopped before the job ran'));
    await this.#pool?.destroy();
  }

  async #next(): Promise<void> {
    if (this.#running) return;
    const queued = this.#queue.shift();
    if (queued === undefined) return;
    this.#running = true;
    try {
      queued.done(await this.#run(queued));
    } finally {
      this.#running = false;
      void this.#next();
    }
  }

  async #run({ job, endpoint, importer, file, options }: Queued): Promise<Job> {
    Object.assign(job, { status: 'PROCESSING', message: `Preparing ${file.name}`, currentStage: 'starting', progress: 1 });
    const { port1, port2 } = new MessageChannel();
    // the time limit counts from when the worker starts this job, not from a cold worker's start-up
    const timeout = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    port1.on('message', ({ stage, progress, message }: StageMessage) => {
      timer ??= setTimeout(() => timeout.abort(), this.settings.timeoutMs);
      if (job.status !== 'PROCESSING' || stage === STARTED) return;
      job.currentStage = stage;
      // a stage reports 0–100 of the preparation, which spans 1–95 of the job; progress never moves back
      job.progress = Math.max(job.progress, Math.min(95, 1 + Math.round(Math.max(0, Math.min(100, progress)) * 0.94)));
      if (message !== undefined) job.message = message;
    });
    const signal = AbortSignal.any([this.#closing.signal, timeout.signal]);
    try {
      const prepared = await this.#workers().run(
        { module: importer.prepare.href, file, options, progress: port2 } satisfies PrepareTask,
        { transferList: [port2], signal },
      );
      Object.assign(job, { currentStage: 'storing', progress: 96 });
      this.#store(endpoint, importer, prepared, options, job.jobId);
      const result = { operations: prepared.operations.length, ...prepared.result };
      return Object.assign(job, {
        status: 'COMPLETED', progress: 100, currentStage: 'completed', result, completedAt: new Date().toISOString(),
        message: `${importer.specType} specification imported: ${result.operations} operations`,
      });
    } catch (err) {
      const timedOut = signal.aborted && !this.#closing.signal.aborted;
      const message = timedOut ? `preparing the specification took longer than ${this.settings.timeoutMs} ms`
        : this.#closing.signal.aborted ? 'the server stopped while the job ran' : (err as Error).message;
      this.log.info({ endpoint, jobId: job.jobId, err: message }, 'spec import failed');
      return this.#fail(job, message);
    } finally {
      clearTimeout(timer);
      port1.close();
    }
  }

  /** Compiling the new document may still refuse it; only then is the record written and an older spec removed. */
  #store(endpoint: string, importer: SpecImporter, prepared: PreparedSpec, options: SpecOptions, jobId: string): void {
    const before = this.spec(endpoint);
    this.endpoints.setDocument(endpoint, importer.document, prepared.text);
    const record: SpecRecord = {
      kind: importer.kind, type: importer.specType, document: importer.document, intelligenceMock: options.intelligenceMock,
      operations: [...prepared.operations], jobId, uploadedAt: new Date().toISOString(),
    };
    this.endpoints.setDocument(endpoint, SPEC_RECORD_PATH, JSON.stringify(record));
    if (before !== undefined && before.document !== importer.document) this.endpoints.setDocument(endpoint, before.document, undefined);
  }

  #fail(job: Job, message: string): Job {
    return Object.assign(job, { status: 'FAILED', message, failedAt: new Date().toISOString() });
  }

  #keep(endpoint: string, job: Job): void {
    const jobs = this.#jobs.get(endpoint) ?? [];
    jobs.unshift(job);
    if (jobs.length > JOBS_KEPT) jobs.length = JOBS_KEPT;
    this.#jobs.set(endpoint, jobs);
  }

  /** One worker, started on the first upload and let go when idle. */
  #workers(): Piscina<PrepareTask, PreparedSpec> {
    if (this.#pool === undefined) {
      const { filename, workerData } = poolWorker(WORKER, {});
      this.#pool = new Piscina({
        filename, workerData, minThreads: 0, maxThreads: 1, idleTimeout: 30_000,
        resourceLimits: { maxOldGenerationSizeMb: this.settings.workerHeapMb },
      });
    }
    return this.#pool;
  }
}

/** The upload a document's own path carries, run as a spec job and awaited; a failure is the caller's 400. */
export async function importDocument(jobs: SpecJobs, endpoint: string, importer: SpecImporter, file: SpecFile): Promise<void> {
  const { finished } = jobs.submit(endpoint, file, { intelligenceMock: jobs.spec(endpoint)?.intelligenceMock ?? false }, importer);
  const job = await finished;
  if (job.status === 'FAILED') throw new MockgateError('validation_error', job.message);
}
