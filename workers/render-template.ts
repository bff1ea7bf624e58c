// The piscina task that renders templates: one Handlebars environment per worker thread with the built-in helpers,
// the plugins' helper modules and a bounded cache of compiled templates.
import { threadId, workerData } from 'node:worker_threads';
import type { Faker } from '@faker-js/faker';
import Handlebars from 'handlebars';
import type { HelperDelegate, TemplateDelegate } from 'handlebars';
import type { TemplateRoot } from '../core/contract.js';
import { BUILTIN_HELPERS, type BuiltinData } from './helpers/index.js';
import { createStateClient } from './state-client.js';

export interface RenderWorkerData {
  /** Plugin helper modules, as URLs. */
  helperModules: string[];
  /** The broadcast channel of the main thread's state bridge. */
  stateChannel: string;
  /** Compiled templates kept per worker. */
  cacheSize: number;
  /** Largest `repeat` count. */
  maxRepeat: number;
  /** When set, faker is seeded with it before every render: the same template and request give the same text. */
  fakerSeed?: number;
  /** Per task slot: when it started (epoch ms, -1 once rendered), so its time limit excludes queueing … */
  startTimes: SharedArrayBuffer;
  /** … and which thread runs it, so the main thread can terminate that one. */
  threads: SharedArrayBuffer;
}

export interface RenderTask {
  key: string;
  /** This task's slot in `startTimes`. */
  slot: number;
  /** Sent again only after the worker answered `miss`. */
  source?: string;
  root: TemplateRoot;
}

export type RenderResult = { text: string } | { miss: true } | { error: string };

const config = workerData as RenderWorkerData;
const hbs = Handlebars.create();
hbs.registerHelper(BUILTIN_HELPERS as Record<string, HelperDelegate>);
for (const href of config.helperModules) {
  const { default: helpers } = (await import(href)) as { default: Record<string, HelperDelegate> };
  hbs.registerHelper(helpers);
}

const startTimes = new Float64Array(config.startTimes);
const threads = new Int32Array(config.threads);
const compiled = new Map<string, TemplateDelegate>();
const stateOf = createStateClient(config.stateChannel);
const fakers = new Map<string, Promise<Faker>>();
const fakerFor = (locale: string): Promise<Faker> => {
  let faker = fakers.get(locale);
  if (faker === undefined) {
    faker = import(`@faker-js/faker/locale/${locale}`).then((m: { faker: Faker }) => m.faker);
    fakers.set(locale, faker);
  }
  return faker;
};
await fakerFor('en');

function templateFor(task: RenderTask): TemplateDelegate | undefined {
  let template = compiled.get(task.key);
  if (template !== undefined) {
    // most recently used last: the first key is the one to evict
    compiled.delete(task.key);
    compiled.set(task.key, template);
    return template;
  }
  if (task.source === undefined) return undefined;
  template = hbs.compile(task.source);
  if (compiled.size >= config.cacheSize) compiled.delete(compiled.keys().next().value!);
  compiled.set(task.key, template);
  return template;
}

export default async function render(task: RenderTask): Promise<RenderResult> {
  threads[task.slot] = threadId;
  startTimes[task.slot] = Date.now();
  try {
    const template = templateFor(task);
    if (template === undefined) return { miss: true };
    const faker = await fakerFor(task.root.endpoint.locale);
    if (config.fakerSeed !== undefined) faker.seed(config.fakerSeed);
    const data: Omit<BuiltinData, 'root'> = { state: stateOf(task.root.endpoint.name), faker, maxRepeat: config.maxRepeat };
    return { text: template(task.root, { data }) };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  } finally {
    startTimes[task.slot] = -1;
  }
}
