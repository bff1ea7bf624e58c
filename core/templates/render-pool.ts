// Renders templates on a piscina pool of worker threads. Tasks are pipelined to the workers (several in each one's
// queue), and the time limit is kept here: a render past it gets its worker terminated (piscina starts a fresh one),
// so a runaway template costs its own request, not the server.
import { serialize } from 'node:v8';
import { Piscina } from 'piscina';
import type { TemplateRoot } from '../contract.js';
import { MockgateError } from '../errors.js';
import { poolWorker } from '../start-worker.js';
import type { StateService } from '../state/state-service.js';
import { newId } from '../ids.js';
import type { RenderResult, RenderTask, RenderWorkerData } from '../../workers/render-template.js';
import type { CheckedTemplate } from './check-template.js';
import { StateBridge } from './state-bridge.js';

// renders in flight at once, each with a slot where its worker notes when it started and finished
const SLOTS = 1 << 16;
// tasks queued in each worker: a worker takes the next without waiting for the main thread to hand it over
const TASKS_PER_WORKER = 16;

const WORKER = new URL(`../../workers/render-template${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

export interface TemplateSettings {
  /** Worker threads. */
  poolSize: number;
  /** A render is cut off after this long. */
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
  /** Size of a render task as posted to a worker (structured-clone bytes), sampled every 1024th render. */
  taskBytes: number;
}

export class RenderPool {
  readonly stats: RenderStats = { renders: 0, timeouts: 0, errors: 0, taskBytes: 0 };
  #pool: Piscina<RenderTask, RenderResult> | undefined;
  #bridge: StateBridge | undefined;
  readonly #slots = {
    /** Epoch ms when a worker started the task; 0 while queued, -1 once rendered. */
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
    let result = await this.#run(template.key, undefined, root);
    if ('miss' in result) result = await this.#run(template.key, template.source, root);
    if ('text' in result) return result.text;
    this.stats.errors++;
    throw new MockgateError('template_error', `the response template failed: ${'error' in result ? result.error : 'the worker lost it'}`);
  }

  async close(): Promise<void> {
    await this.#pool?.destroy();
    this.#bridge?.close();
  }

  /** Started on the first render: a server whose rules use no template runs no worker. */
  #start(): Piscina<RenderTask, RenderResult> {
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
      concurrentTasksPerWorker: TASKS_PER_WORKER,
      idleTimeout: Number.POSITIVE_INFINITY,
      resourceLimits: { maxOldGenerationSizeMb: settings.workerHeapMb },
      recordTiming: false,
    }));
  }

  /**
   * The time limit counts from when a worker starts the task, not from when it was queued: a render waiting behind a
   * runaway template, or for a worker still starting, is not cut off for it. When a worker is terminated, the tasks
   * queued behind the runaway in it never started: they are run again once.
   */
  async #run(key: string, source: string | undefined, root: TemplateRoot, again = false): Promise<RenderResult> {
    const slots = this.#slots;
    const slot = slots.free.pop();
    if (slot === undefined) throw new MockgateError('template_error', `more than ${SLOTS} renders are waiting for a worker`);
    const { timeoutMs } = this.settings;
    slots.started[slot] = 0;
    const pool = this.#pool ?? this.#start();
    let overran = false;
    const check = (): void => {
      const started = slots.started[slot]!;
      if (started === -1) return;
      const left = started === 0 ? timeoutMs : started + timeoutMs - Date.now();
      if (left > 0) return void (timer = setTimeout(check, left));
      overran = true;
      void pool.threads.find((worker) => worker.threadId === slots.thread[slot])?.terminate();
    };
    let timer = setTimeout(check, timeoutMs);
    const task: RenderTask = source === undefined ? { key, slot, root } : { key, slot, source, root };
    if (source === undefined && (this.stats.renders & 1023) === 1) this.stats.taskBytes = serialize(task).length;
    try {
      return await pool.run(task);
    } catch (err) {
      if (overran) {
        this.stats.timeouts++;
        throw new MockgateError('template_timeout', `the response template ran longer than ${timeoutMs} ms and was stopped`);
      }
      if (slots.started[slot] === 0 && !again) return this.#run(key, source, root, true);
      this.stats.errors++;
      throw new MockgateError('template_error', `the response template failed: ${(err as Error).message}`);
    } finally {
      clearTimeout(timer);
      slots.free.push(slot);
    }
  }
}
