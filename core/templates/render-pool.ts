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
    let result = await this.#run({ key: template.key, root });
    if ('miss' in result) result = await this.#run({ key: template.key, source: template.source, root });
    if ('text' in result) return result.text;
    this.stats.errors++;
    throw new MockgateError('template_error', `the response template failed: ${'error' in result ? result.error : 'the worker lost it'}`);
  }

  async #run(task: RenderTask): Promise<RenderResult> {
    try {
      return await (this.#pool ?? this.#start()).run(task, { signal: AbortSignal.timeout(this.settings.timeoutMs) });
    } catch (err) {
      if ((err as Error).name === 'AbortError') {
        this.stats.timeouts++;
        throw new MockgateError('template_timeout', `the response template ran longer than ${this.settings.timeoutMs} ms and was stopped`);
      }
      this.stats.errors++;
      throw new MockgateError('template_error', `the response template failed: ${(err as Error).message}`);
    }
  }

  async close(): Promise<void> {
    await this.#pool?.destroy();
    this.#bridge?.close();
  }
}
