// Renders templates on a piscina pool of worker threads. The renders that arrive in one turn of the event loop go to
// the workers as one batch per worker (one message each way instead of one per render), and a watchdog keeps the
// time limit: a render past it gets its worker terminated (piscina starts a fresh one), so a runaway template costs
// its own request, not the server.
import { serialize } from 'node:v8';
import { Piscina } from 'piscina';
import type { TemplateRoot } from '../contract.js';
import { MockgateError } from '../errors.js';
import { newId } from '../ids.js';
import { poolWorker } from '../start-worker.js';
import type { StateService } from '../state/state-service.js';
import type { RenderJob, RenderResult, RenderWorkerData } from '../../workers/render-template.js';
import { presetAnswers } from '../../workers/helpers/state.js';
import type { CheckedTemplate } from './check-template.js';
import { StateBridge } from './state-bridge.js';
import { templateState } from './template-state.js';

// renders in flight at once, each with a slot where its worker notes when it started and finished
const SLOTS = 1 << 16;

const WORKER = new URL(`../../workers/render-template${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

export interface TemplateSettings {
  /** Worker threads. */
  poolSize: number;
  /** A render is cut off after this long (give or take a quarter of it: the watchdog looks that often). */
  timeoutMs: number;
  /** Compiled templates each worker keeps. */
  cacheSize: number;
  /** Largest `repeat` count. */
  maxRepeat: number;
  fakerSeed?: number;
  /** Heap limit of each worker, so a template that builds a huge string loses its worker, not the process. */
  workerHeapMb: number;
}

export interface RenderStats {
  /** Renders asked of the pool (a non-templated response never counts). */
  renders: number;
  timeouts: number;
  errors: number;
  /** Size of one render as posted to a worker (structured-clone bytes), sampled every 1024th render. */
  taskBytes: number;
}

interface Pending {
  readonly job: RenderJob;
  readonly resolve: (result: RenderResult) => void;
  readonly reject: (err: Error) => void;
  /** Sent again already, after its worker died under it without it being the cause. */
  readonly retried: boolean;
  overran: boolean;
}

export class RenderPool {
  readonly stats: RenderStats = { renders: 0, timeouts: 0, errors: 0, taskBytes: 0 };
  #pool: Piscina<RenderJob[], RenderResult[]> | undefined;
  #bridge: StateBridge | undefined;
  #queue: Pending[] = [];
  readonly #inFlight = new Set<Pending>();
  #watchdog: NodeJS.Timeout | undefined;
  readonly #slots = {
    /** Epoch ms when a worker started the render; 0 while queued, -1 once rendered. */
    started: new Float64Array(new SharedArrayBuffer(SLOTS * Float64Array.BYTES_PER_ELEMENT)),
    /** The thread rendering it. */
    thread: new Int32Array(new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT)),
    free: Array.from({ length: SLOTS }, (_, i) => SLOTS - 1 - i),
  };

  constructor(private readonly settings: TemplateSettings, private readonly helperModules: readonly URL[],
    private readonly state: StateService) {}

  async render(template: CheckedTemplate, root: TemplateRoot): Promise<string> {
    this.stats.renders++;
    // a worker may be blocked on a state call that arrived while this thread was busy: answer it now
    this.#bridge?.drain();
    const presets = template.stateCalls && presetAnswers(template.stateCalls, templateState(this.state, root.endpoint.name));
    const job: RenderJob = { key: template.key, slot: -1, root };
    if (presets !== undefined) job.presets = presets;
    if ((this.stats.renders & 1023) === 1) this.stats.taskBytes = serialize(job).length;
    let result = await this.#submit(job, false);
    if ('miss' in result) result = await this.#submit({ ...job, source: template.source }, false);
    if ('text' in result) return result.text;
    this.stats.errors++;
    throw new MockgateError('template_error', `the response template failed: ${'error' in result ? result.error : 'the worker lost it'}`);
  }

  async close(): Promise<void> {
    clearTimeout(this.#watchdog);
    await this.#pool?.destroy();
    this.#bridge?.close();
  }

  /** Started on the first render: a server whose rules use no template runs no worker. */
  #start(): Piscina<RenderJob[], RenderResult[]> {
    const { settings } = this;
    this.#bridge = new StateBridge(`mockgate-state-${newId()}`, this.state);
    const data: RenderWorkerData = {
      helperModules: this.helperModules.map((url) => url.href),
      stateChannel: this.#bridge.channelName,
      cacheSize: settings.cacheSize,
      maxRepeat: settings.maxRepeat,
      startTimes: this.#slots.started.buffer as SharedArrayBuffer,
      threads: this.#slots.thread.buffer as SharedArrayBuffer,
      ...(settings.fakerSeed === undefined ? {} : { fakerSeed: settings.fakerSeed }),
    };
    const { filename, workerData } = poolWorker(WORKER, data);
    return (this.#pool = new Piscina({
      filename,
      workerData,
      minThreads: settings.poolSize,
      maxThreads: settings.poolSize,
      // batches queue in each worker, which takes the next without waiting for this thread to hand it over
      concurrentTasksPerWorker: 8,
      idleTimeout: Number.POSITIVE_INFINITY,
      resourceLimits: { maxOldGenerationSizeMb: settings.workerHeapMb },
      recordTiming: false,
    }));
  }

  #submit(job: RenderJob, retried: boolean): Promise<RenderResult> {
    return new Promise((resolve, reject) => {
      if (this.#queue.push({ job, resolve, reject, retried, overran: false }) === 1) setImmediate(() => this.#flush());
    });
  }

  /** Sends what queued during this turn of the event loop: one batch per worker. */
  #flush(): void {
    const pool = this.#pool ?? this.#start();
    const queued = this.#queue;
    this.#queue = [];
    const size = Math.ceil(queued.length / this.settings.poolSize);
    for (let i = 0; i < queued.length; i += size) this.#send(pool, queued.slice(i, i + size));
  }

  #send(pool: Piscina<RenderJob[], RenderResult[]>, batch: Pending[]): void {
    const slots = this.#slots;
    for (const pending of batch) {
      const slot = slots.free.pop();
      if (slot === undefined) {
        pending.reject(new MockgateError('template_error', `more than ${SLOTS} renders are waiting for a worker`));
        continue;
      }
      pending.job.slot = slot;
      slots.started[slot] = 0;
      this.#inFlight.add(pending);
    }
    const sent = batch.filter((pending) => pending.job.slot >= 0);
    this.#watch();
    const done = (): void => {
      for (const { job } of sent) slots.free.push(job.slot);
      for (const pending of sent) this.#inFlight.delete(pending);
    };
    pool.run(sent.map((pending) => pending.job)).then((results) => {
      done();
      sent.forEach((pending, i) => pending.resolve(results[i]!));
    }, (err: Error) => {
      done();
      for (const pending of sent) this.#lost(pending, err);
    });
  }

  /** Its worker died: the render that overran is a timeout; the others in the batch are sent once more. */
  #lost(pending: Pending, err: Error): void {
    if (pending.overran) {
      this.stats.timeouts++;
      return pending.reject(new MockgateError('template_timeout',
        `the response template ran longer than ${this.settings.timeoutMs} ms and was stopped`));
    }
    if (!pending.retried) return void this.#submit({ ...pending.job, slot: -1 }, true).then(pending.resolve, pending.reject);
    this.stats.errors++;
    pending.reject(new MockgateError('template_error', `the response template failed: ${err.message}`));
  }

  /** While renders are in flight, looks every quarter of the time limit for one that has run past it. */
  #watch(): void {
    if (this.#watchdog !== undefined) return;
    const every = Math.max(5, Math.floor(this.settings.timeoutMs / 4));
    const look = (): void => {
      this.#watchdog = undefined;
      const now = Date.now();
      const stuck = new Set<number>();
      for (const pending of this.#inFlight) {
        const started = this.#slots.started[pending.job.slot]!;
        if (started > 0 && now - started > this.settings.timeoutMs) {
          pending.overran = true;
          stuck.add(this.#slots.thread[pending.job.slot]!);
        }
      }
      for (const worker of this.#pool?.threads ?? []) if (stuck.has(worker.threadId)) void worker.terminate();
      if (this.#inFlight.size > 0) this.#watchdog = setTimeout(look, every);
    };
    this.#watchdog = setTimeout(look, every);
  }
}
