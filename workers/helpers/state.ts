// State helpers, as Beeceptor names them: step counters, key-value data and lists of the endpoint. Every call is applied
// by the main thread, which owns the store, so concurrent requests never lose an update: ahead of the render when the
// template's state calls are all unconditional with literal arguments (their answers travel with the task), otherwise
// when the worker reaches them (a synchronous round trip, see state-client.ts).
import type { TemplateState } from '../../core/contract.js';
import { dataOf, isMissing, splitArgs, type HelperCheck, type Helper } from './helper-kit.js';

const COUNTER_OPS = ['inc', 'dec', 'get', 'set', 'reset'];
const DATA_OPS = ['get', 'set', 'delete'];
const LIST_OPS = ['push', 'push-unique', 'unshift', 'pop', 'shift', 'get', 'all', 'size', 'length', 'contains', 'delete', 'reset'];

function integer(value: unknown, what: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (!Number.isSafeInteger(n)) throw new Error(`${what} must be a whole number, got ${JSON.stringify(value)}`);
  return n as number;
}

const opCheck = (ops: readonly string[], helper: string): HelperCheck => ([op, name]) => {
  if (op?.literal && !ops.includes(String(op.value))) return `unknown operation "${op.value}"; use one of ${ops.join(', ')}`;
  if (op === undefined || name === undefined) return `needs an operation and a name: {{${helper} '${ops[0]}' 'name' …}}`;
  return undefined;
};

type StateHelper = (args: readonly unknown[], state: TemplateState) => unknown;

/** What each state helper does, given the endpoint's state: run by the worker, or ahead of the render by the main thread. */
const STATE_HELPERS: Readonly<Record<string, StateHelper>> = {
  /** `{{step-counter 'inc|dec|get|set|reset' 'name' value}}`: prints the counter's value after the operation. */
  'step-counter': ([op, name, value], state) => {
    const key = String(name);
    switch (op) {
      case 'inc':
        return state.increment(key, isMissing(value) ? 1 : integer(value, 'the step'));
      case 'dec':
        return state.increment(key, -(isMissing(value) ? 1 : integer(value, 'the step')));
      case 'get':
        return (state.get('counter', key) as number | undefined) ?? 0;
      case 'set':
      case 'reset': {
        const next = isMissing(value) && op === 'reset' ? 0 : integer(value, 'the value');
        state.set('counter', key, next);
        return next;
      }
      default:
        throw new Error(`step-counter: unknown operation "${String(op)}"`);
    }
  },

  /** `{{data-store 'get|set|delete' 'key' value}}`: get prints the value (or `value` as a default); set and delete print nothing. */
  'data-store': ([op, key, value], state) => {
    switch (op) {
      case 'get':
        return state.get('string', String(key)) ?? (isMissing(value) ? '' : value);
      case 'set':
        state.set('string', String(key), value ?? null);
        return '';
      case 'delete':
        state.delete('string', String(key));
        return '';
      default:
        throw new Error(`data-store: unknown operation "${String(op)}"`);
    }
  },

  /**
   * `{{list 'op' 'name' value}}`: push, push-unique, unshift, delete and reset print nothing; pop and shift print the
   * item taken; get prints the list (or the item at an index, negative from the end); size and contains print a value.
   */
  list: ([op, name, value], state) => {
    const key = String(name);
    switch (op) {
      case 'push':
      case 'push-unique':
      case 'unshift':
      case 'delete':
      case 'reset':
        state.list(op, key, value);
        return '';
      case 'pop':
      case 'shift':
      case 'size':
      case 'contains':
        return state.list(op, key, value);
      case 'length':
        return state.list('size', key);
      case 'get':
      case 'all':
        return isMissing(value) || op === 'all' ? state.list('get', key) : state.list('get', key, integer(value, 'the index'));
      default:
        throw new Error(`list: unknown operation "${String(op)}"`);
    }
  },
};

export const STATE_HELPER_NAMES: readonly string[] = Object.keys(STATE_HELPERS);

/** A state helper's answer worked out before the render: its value, or the error it raised. */
export type PresetAnswer = { value: unknown } | { error: string };

/**
 * Runs the state helper calls of a template in order and returns their answers; stops after the first that fails
 * (the render fails there, so the calls after it never happen).
 */
export function presetAnswers(calls: ReadonlyArray<{ helper: string; args: readonly unknown[] }>, state: TemplateState): PresetAnswer[] {
  const answers: PresetAnswer[] = [];
  for (const { helper, args } of calls) {
    try {
      answers.push({ value: STATE_HELPERS[helper]!(args, state) });
    } catch (err) {
      answers.push({ error: (err as Error).message });
      break;
    }
  }
  return answers;
}

/** Uses the next preset answer when the main thread worked them out, else asks the main thread now. */
const helper = (name: string): Helper => (...all) => {
  const { args, options } = splitArgs(all);
  const data = dataOf(options);
  if (data.presets === undefined) return STATE_HELPERS[name]!(args, data.state);
  const answer = data.presets[data.presetsUsed++];
  if (answer === undefined) throw new Error(`${name}: more state calls than the template was checked for`);
  if ('error' in answer) throw new Error(answer.error);
  return answer.value;
};

export default Object.fromEntries(STATE_HELPER_NAMES.map((name) => [name, helper(name)])) as Record<string, Helper>;

export const checks: Record<string, HelperCheck> = {
  'step-counter': opCheck(COUNTER_OPS, 'step-counter'),
  'data-store': opCheck(DATA_OPS, 'data-store'),
  list: opCheck(LIST_OPS, 'list'),
};
