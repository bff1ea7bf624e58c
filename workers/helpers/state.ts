// State helpers, as Beeceptor names them: step counters, key-value data and lists of the endpoint. Each call is applied
// by the main thread (see state-client.ts), so concurrent requests never lose an update.
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

export default {
  /** `{{step-counter 'inc|dec|get|set|reset' 'name' value}}`: prints the counter's value after the operation. */
  'step-counter': ((...all) => {
    const { args: [op, name, value], options } = splitArgs(all);
    const state = dataOf(options).state;
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
  }) as Helper,

  /** `{{data-store 'get|set|delete' 'key' value}}`: get prints the value; set and delete print nothing. */
  'data-store': ((...all) => {
    const { args: [op, key, value], options } = splitArgs(all);
    const state = dataOf(options).state;
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
  }) as Helper,

  /**
   * `{{list 'op' 'name' value}}`: push, push-unique, unshift, delete and reset print nothing; pop and shift print the
   * item taken; get prints the list (or the item at an index, negative from the end); size and contains print a value.
   */
  list: ((...all) => {
    const { args: [op, name, value], options } = splitArgs(all);
    const state = dataOf(options).state;
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
  }) as Helper,
};

export const checks: Record<string, HelperCheck> = {
  'step-counter': opCheck(COUNTER_OPS, 'step-counter'),
  'data-store': opCheck(DATA_OPS, 'data-store'),
  list: opCheck(LIST_OPS, 'list'),
};
