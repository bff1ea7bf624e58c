// Renders templates on a piscina pool of worker threads. A render past the time limit is aborted, which terminates
// that worker (piscina starts a fresh one): a runaway template costs its own request, not the server.
import { Piscina } from 'piscina';
import type { TemplateRoot } from '../contract.js';
import { MockgateError } from '../errors.js';
import { poolWorker } from '../start-worker.js';
import type { StateService } from '../state/state-service.js';
import { newId } from '../ids.js';
import type { RenderResult, RenderTask, RenderWorkerData } from '../../workers/render-template.js';
import type { CheckedTemplate } from './check-template.js';
import { StateBridge } from './state-bridge.js';

// renders in flight at once, each with a slot where its worker notes when it started
const SLOTS = 1 << 16;
// a render still waiting for a worker after this long gives up
const MAX_QUEUE_MS = 30_000;

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
}

export class RenderPool {
  readonly stats: RenderStats = { renders: 0, timeouts: 0, errors: 0 };
  #pool: Piscina<RenderTask, RenderResult> | undefined;
  #bridge: StateBridge | undefined;
  readonly #startTimes = new Float64Array(new SharedArrayBuffer(SLOTS * Float64Array.BYTES_PER_ELEMENT));
  readonly #freeSlots: number[] = Array.from({ length: SLOTS }, (_, i) => SLOTS - 1 - i);

  constructor(private readonly settings: TemplateSettings, private readonly helperModules: readonly URL[],
    private readonly state: StateService) {}

  /** Started on the first render: a server whose rules use no template runs no worker. */
  #start(): Piscina<RenderTask, RenderResult> {
    const { settings } = this;
    this.#bridge = new StateBridge(`mockgate-state-${newId()}`, this.state);
    const data: RenderWorkerData = {
      helperModules: this.helperModules.map((url) => url.href),
      stateChannel: this.#bridge.channelName,
      cacheSize: settings.cacheSize,
      maxRepeat: settings.maxRepeat,
      startTimes: this.#startTimes.buffer as SharedArrayBuffer,
      ...(settings.fakerSeed === undefined ? {} : { fakerSeed: settings.fakerSeed }),
    };
    const { filename, workerData } = poolWorker(WORKER, data);
    return (this.#pool = new Piscina({
      filename,
      workerData,
      minThreads: settings.poolSize,
      maxThreads: settings.poolSize,
      idleTimeout: Number.POSITIVE_INFINITY,
      resourceLimits: { maxOldGenerationSizeMb: settings.workerHeapMb },
    }));
  }

  async render(template: CheckedTemplate, root: TemplateRoot): Promise<string> {
    this.stats.renders++;
    let result = await this.#run(template.key, undefined, root);
    if ('miss' in result) result = await this.#run(template.key, template.source, root);
    if ('text' in result) return result.text;
    this.stats.errors++;
    throw new MockgateError('template_error', `the response template failed: ${'error' in result ? result.error : 'the worker lost it'}`);
  }

  /**
   * The time limit counts from when a worker starts the task (it notes the time in the task's slot), not from when it
   * was queued: a render waiting behind a runaway template, or for a worker still starting, is not cut off for it.
   */
  async #run(key: string, source: string | undefined, root: TemplateRoot): Promise<RenderResult> {
    const slot = this.#freeSlots.pop();
    if (slot === undefined) throw new MockgateError('template_error', `more than ${SLOTS} renders are waiting for a worker`);
    const { timeoutMs } = this.settings;
    const starts = this.#startTimes;
    starts[slot] = 0;
    const queued = Date.now();
    const deadline = new AbortController();
    let overran = false;
    const check = (): void => {
      const started = starts[slot]!;
      const now = Date.now();
      const left = started === 0 ? Math.min(timeoutMs, queued + MAX_QUEUE_MS - now) : started + timeoutMs - now;
      if (left > 0) return void (timer = setTimeout(check, left));
      overran = started !== 0;
      deadline.abort();
    };
    let timer = setTimeout(check, timeoutMs);
    const task: RenderTask = source === undefined ? { key, slot, root } : { key, slot, source, root };
    try {
      return await (this.#pool ?? this.#start()).run(task, { signal: deadline.signal });
    } catch (err) {
      if ((err as Error).name === 'AbortError') {
        this.stats.timeouts++;
        throw new MockgateError('template_timeout', overran
          ? `the response template ran longer than ${timeoutMs} ms and was stopped`
          : `no template worker was free for ${MAX_QUEUE_MS} ms`);
      }
      this.stats.errors++;
      throw new MockgateError('template_error', `the response template failed: ${(err as Error).message}`);
    } finally {
      clearTimeout(timer);
      this.#freeSlots.push(slot);
    }
  }

  async close(): Promise<void> {
    await this.#pool?.destroy();
    this.#bridge?.close();
  }
}
