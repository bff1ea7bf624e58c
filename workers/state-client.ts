// The template worker's side of state access: each call posts to the main thread, which owns the store, and blocks
// on a shared flag until the answer is there — so a helper stays synchronous and every operation is applied in order.
import { BroadcastChannel, receiveMessageOnPort, threadId, type MessagePort } from 'node:worker_threads';
import type { StateType, TemplateState } from '../core/contract.js';
import type { StateCall, StateReply } from '../core/templates/state-bridge.js';

const ANSWER_WAIT_MS = 5000;

export function createStateClient(channelName: string): (endpoint: string) => TemplateState {
  let requests: BroadcastChannel | undefined;
  // receiveMessageOnPort takes a BroadcastChannel too (node ≥ 15.12); @types/node only declares MessagePort
  let replies: MessagePort | undefined;
  const flag = new Int32Array(new SharedArrayBuffer(4));
  let seq = 0;

  const call = (endpoint: string, op: StateCall['op'], args: unknown[]): unknown => {
    if (requests === undefined) {
      requests = new BroadcastChannel(channelName);
      const channel = new BroadcastChannel(`${channelName}:${threadId}`);
      channel.unref();
      requests.unref();
      replies = channel as unknown as MessagePort;
    }
    seq += 1;
    Atomics.store(flag, 0, 0);
    const message: StateCall = { seq, thread: threadId, flag: flag.buffer as SharedArrayBuffer, endpoint, op, args };
    requests.postMessage(message);
    if (Atomics.wait(flag, 0, 0, ANSWER_WAIT_MS) === 'timed-out') throw new Error(`the state store did not answer within ${ANSWER_WAIT_MS} ms`);
    // a reply to an earlier call that timed out may still be queued: skip it
    for (let received = receiveMessageOnPort(replies!); received; received = receiveMessageOnPort(replies!)) {
      const reply = received.message as StateReply;
      if (reply.seq !== seq) continue;
      if (reply.error !== undefined) throw new Error(reply.error);
      return reply.value;
    }
    throw new Error('the state store answered nothing');
  };

  return (endpoint) => ({
    get: (type: StateType, key: string) => call(endpoint, 'get', [type, key]),
    set: (type: StateType, key: string, value: unknown) => void call(endpoint, 'set', [type, key, value]),
    delete: (type: StateType, key: string) => void call(endpoint, 'delete', [type, key]),
    increment: (key: string, by: number) => call(endpoint, 'increment', [key, by]) as number,
    list: (op: string, key: string, value?: unknown) => call(endpoint, 'list', [op, key, value]),
  });
}
