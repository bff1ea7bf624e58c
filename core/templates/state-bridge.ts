// The main thread's side of template state access: template workers post calls on a broadcast channel; each is
// applied here, synchronously and in arrival order, by the one owner of the store, and answered before the next.
import { BroadcastChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { StateType } from '../contract.js';
import { checkStateValue, type StateService } from '../state/state-service.js';

export interface StateCall {
  seq: number;
  thread: number;
  /** An Int32Array's buffer the caller blocks on: set to 1 once the reply is posted. */
  flag: SharedArrayBuffer;
  endpoint: string;
  op: 'get' | 'set' | 'delete' | 'increment' | 'list';
  args: unknown[];
}

export interface StateReply {
  seq: number;
  value?: unknown;
  error?: string;
}

const MAX_REPLY_CHANNELS = 64;

export class StateBridge {
  readonly #requests: BroadcastChannel;
  readonly #replies = new Map<number, BroadcastChannel>();

  constructor(readonly channelName: string, private readonly state: StateService) {
    this.#requests = new BroadcastChannel(channelName);
    this.#requests.unref();
    this.#requests.onmessage = (event) => this.#answer((event as { data: StateCall }).data);
  }

  /** Answers the calls already waiting, now, instead of when the event loop next gets to them. */
  drain(): void {
    // receiveMessageOnPort takes a BroadcastChannel too (node ≥ 15.12); @types/node only declares MessagePort
    const port = this.#requests as unknown as MessagePort;
    for (let received = receiveMessageOnPort(port); received; received = receiveMessageOnPort(port)) {
      this.#answer(received.message as StateCall);
    }
  }

  close(): void {
    this.#requests.close();
    for (const channel of this.#replies.values()) channel.close();
    this.#replies.clear();
  }

  #answer(call: StateCall): void {
    let reply: StateReply;
    try {
      reply = { seq: call.seq, value: this.#apply(call) };
    } catch (err) {
      reply = { seq: call.seq, error: (err as Error).message };
    }
    this.#replyChannel(call.thread).postMessage(reply);
    const flag = new Int32Array(call.flag);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  }

  #replyChannel(thread: number): BroadcastChannel {
    let channel = this.#replies.get(thread);
    if (channel === undefined) {
      // workers cut off by a timeout are replaced under new thread ids: keep the map small
      if (this.#replies.size >= MAX_REPLY_CHANNELS) this.#dropReplyChannels();
      channel = new BroadcastChannel(`${this.channelName}:${thread}`);
      channel.unref();
      this.#replies.set(thread, channel);
    }
    return channel;
  }

  #dropReplyChannels(): void {
    for (const channel of this.#replies.values()) channel.close();
    this.#replies.clear();
  }

  #apply({ endpoint, op, args }: StateCall): unknown {
    switch (op) {
      case 'get':
        return this.state.get(endpoint, args[0] as StateType, String(args[1]))?.value;
      case 'set': {
        const [type, key, value] = args as [StateType, string, unknown];
        checkStateValue(type, value, `${type} "${key}"`);
        this.state.upsert(endpoint, [{ type, key: String(key), value }]);
        return undefined;
      }
      case 'delete':
        this.state.deleteItems(endpoint, [{ type: args[0] as StateType, key: String(args[1]) }]);
        return undefined;
      case 'increment':
        return this.state.addToCounter(endpoint, String(args[0]), Number(args[1])).value;
      case 'list':
        return this.#list(endpoint, String(args[0]), String(args[1]), args[2]);
    }
  }

  /** List operations: read, change and write back in one synchronous step, so no other call interleaves. */
  #list(endpoint: string, op: string, key: string, value: unknown): unknown {
    const current = this.state.get(endpoint, 'list', key)?.value;
    const list = Array.isArray(current) ? [...(current as unknown[])] : [];
    const save = (): void => void this.state.upsert(endpoint, [{ type: 'list', key, value: list }]);
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
}

/** Template arguments arrive as text or numbers: "3" finds 3, and objects compare by their JSON. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return String(a) === String(b);
}
