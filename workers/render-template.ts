// The piscina task that renders templates: one Handlebars environment per worker thread with the built-in helpers,
// the plugins' helper modules and a bounded cache of compiled templates. A task is a batch of renders (those that
// arrived in one turn of the main thread's event loop), so one message carries many of them.
import { threadId, workerData } from 'node:worker_threads';
import type { Faker } from '@faker-js/faker';
import Handlebars from 'handlebars';
import type { HelperDelegate, TemplateDelegate } from 'handlebars';
import type { TemplateRoot } from '../core/contract.js';
import { BUILTIN_HELPERS, type BuiltinData } from './helpers/index.js';
import type { PresetAnswer } from './helpers/state.js';
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

export interface RenderJob {
  key: string;
  /** This render's slot in `startTimes` and `threads`. */
  slot: number;
  /** Sent again only after the worker answered `miss`. */
  source?: string;
  root: TemplateRoot;
  /** The answers of the template's state calls, when the main thread applied them ahead of the render. */
  presets?: PresetAnswer[];
}

export type RenderResult = { text: string } | { miss: true } | { error: string };

const config = workerData as RenderWorkerData;
const helpers: Record<string, HelperDelegate> = { ...(BUILTIN_HELPERS as Record<string, HelperDelegate>) };
for (const href of config.helperModules) Object.assign(helpers, ((await import(href)) as { default: Record<string, HelperDelegate> }).default);

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

/**
 * Each template gets a Handlebars environment holding only the helpers it calls: Handlebars copies (and wraps) every
 * helper of the environment on each render, which with the whole library costs more than the render itself.
 */
function compile(source: string): TemplateDelegate {
  const ast = Handlebars.parse(source);
  const env = Handlebars.create();
  for (const name of calledNames(ast)) if (Object.hasOwn(helpers, name)) env.registerHelper(name, helpers[name]!);
  return env.compile(ast);
}

/** The names in call position: `{{name …}}`, `{{#name}}`, `(name …)`. */
function calledNames(node: unknown, names = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const child of node) calledNames(child, names);
  } else if (node !== null && typeof node === 'object') {
    const { type, path } = node as { type?: string; path?: { type?: string; original?: unknown } };
    if ((type === 'MustacheStatement' || type === 'BlockStatement' || type === 'SubExpression') && path?.type === 'PathExpression') {
      names.add(String(path.original));
    }
    for (const value of Object.values(node)) if (value !== null && typeof value === 'object') calledNames(value, names);
  }
  return names;
}

function templateFor(task: RenderJob): TemplateDelegate | undefined {
  let template = compiled.get(task.key);
  if (template !== undefined) {
    // most recently used last: the first key is the one to evict
    compiled.delete(task.key);
    compiled.set(task.key, template);
    return template;
  }
  if (task.source === undefined) return undefined;
  template = compile(task.source);
  if (compiled.size >= config.cacheSize) compiled.delete(compiled.keys().next().value!);
  compiled.set(task.key, template);
  return template;
}

export default async function renderAll(jobs: RenderJob[]): Promise<RenderResult[]> {
  const results: RenderResult[] = [];
  for (const job of jobs) results.push(await render(job));
  return results;
}

async function render(task: RenderJob): Promise<RenderResult> {
  threads[task.slot] = threadId;
  startTimes[task.slot] = Date.now();
  try {
    const template = templateFor(task);
    if (template === undefined) return { miss: true };
    const faker = await fakerFor(task.root.endpoint.locale);
    if (config.fakerSeed !== undefined) faker.seed(config.fakerSeed);
    const data: Omit<BuiltinData, 'root'> = {
      state: stateOf(task.root.endpoint.name), faker, maxRepeat: config.maxRepeat, presets: task.presets, presetsUsed: 0,
    };
    return { text: template(task.root, { data }) };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  } finally {
    startTimes[task.slot] = -1;
  }
}
