// The main thread's side of template state access: template workers post calls on a broadcast channel; each is
// applied here, synchronously and in arrival order, by the one owner of the store, and answered before the next.
import { BroadcastChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { StateType } from '../contract.js';
import type { StateService } from '../state/state-service.js';
import { templateState } from './template-state.js';

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
    const state = templateState(this.state, endpoint);
    switch (op) {
      case 'get':
        return state.get(args[0] as StateType, String(args[1]));
      case 'set':
        return state.set(args[0] as StateType, String(args[1]), args[2]);
      case 'delete':
        return state.delete(args[0] as StateType, String(args[1]));
      case 'increment':
        return state.increment(String(args[0]), Number(args[1]));
      case 'list':
        return state.list(String(args[0]), String(args[1]), args[2]);
    }
  }
}
