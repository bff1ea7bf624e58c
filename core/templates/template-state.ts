// The endpoint's state as templates use it, applied directly on the thread that owns the store: by the bridge for a
// worker's call, or ahead of a render for a template whose state calls are known when it is written.
import type { StateType, TemplateState } from '../contract.js';
import { checkStateValue, type StateService } from '../state/state-service.js';

export function templateState(state: StateService, endpoint: string): TemplateState {
  return {
    get: (type, key) => state.get(endpoint, type, key)?.value,
    set(type: StateType, key: string, value: unknown) {
      checkStateValue(type, value, `${type} "${key}"`);
      state.upsert(endpoint, [{ type, key, value }]);
    },
    delete(type, key) {
      state.deleteItems(endpoint, [{ type, key }]);
    },
    increment: (key, by) => state.addToCounter(endpoint, key, by).value as number,
    list: (op, key, value) => listOperation(state, endpoint, op, key, value),
  };
}

/** Reads, changes and writes back in one synchronous step, so no other call interleaves. */
function listOperation(state: StateService, endpoint: string, op: string, key: string, value: unknown): unknown {
  const current = state.get(endpoint, 'list', key)?.value;
  const list = Array.isArray(current) ? [...(current as unknown[])] : [];
  const save = (): void => void state.upsert(endpoint, [{ type: 'list', key, value: list }]);
  switch (op) {
    case 'push':
      list.push(value);
      break;
    case 'push-unique':
      if (list.some((item) => sameValue(item, value))) return list.length;
      list.push(value);
      break;
    case 'unshift':
      list.unshift(value);
      break;
    case 'pop':
    case 'shift': {
      if (list.length === 0) return undefined;
      const taken = op === 'pop' ? list.pop() : list.shift();
      save();
      return taken;
    }
    case 'get':
      return value === undefined ? list : list.at(Number(value));
    case 'size':
      return list.length;
    case 'contains':
      return list.some((item) => sameValue(item, value));
    case 'delete': {
      const at = list.findIndex((item) => sameValue(item, value));
      if (at < 0) return list.length;
      list.splice(at, 1);
      break;
    }
    case 'reset':
      list.length = 0;
      break;
    default:
      throw new Error(`unknown list operation "${op}"`);
  }
  save();
  return list.length;
}

/** Template arguments arrive as text or numbers: "3" finds 3, and objects compare by their JSON. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return String(a) === String(b);
}
