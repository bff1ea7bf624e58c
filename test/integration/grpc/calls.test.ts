// gRPC calls through an endpoint's rules, with real grpc-js clients generated from the same protos: each call kind,
// statuses, metadata both ways, deadlines, broken input, answers generated without rules, and the journal.
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientOf, clientStream, grpcStatus, metadataOf, nextOf, protosUpload, serverStream, startGrpcMockgate, unary, uploadProtos,
  type GreeterClient, type GrpcMockgate,
} from './greeter.js';

let mg: GrpcMockgate;
let client: GreeterClient;
let raw: grpc.Client;
beforeAll(async () => {
  mg = await startGrpcMockgate();
  client = clientOf(mg.grpcUrl);
  raw = new grpc.Client(new URL(mg.grpcUrl).host, grpc.credentials.createInsecure());
});
afterAll(async () => {
  client?.close();
  raw?.close();
  await mg?.close();
});

let endpoints = 0;
/** A fresh endpoint holding the greeter protos and these rules, and metadata naming it. */
async function endpointWith(...rules: object[]): Promise<{ name: string; md: (extra?: Record<string, string>) => grpc.Metadata }> {
  const name = `greet-${++endpoints}`;
  await uploadProtos(mg.api, name);
  for (const rule of rules) {
    const res = await mg.api.post(`/api/v2/endpoints/${name}/rules`, rule);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  return { name, md: (extra = {}) => metadataOf({ 'x-mockgate-endpoint': name, ...extra }) };
}

const grpcRule = (method: string, action: object, conditions: object[] = []) => ({
  enabled: true, method: '*', conditions: [{ type: 'grpc_method', value: `greeter.Greeter/${method}` }, ...conditions],
  action: { type: 'grpc', callType: 'unary', ...action },
});

const identity = (b: Buffer): Buffer => b;
/** A unary call sending raw bytes: what a broken client would send. */
function rawUnary(path: string, bytes: Buffer, md: grpc.Metadata): Promise<grpc.ServiceError | Buffer> {
  return new Promise((resolve) => {
    raw.makeUnaryRequest(path, identity, identity, bytes, md, (err, value) => resolve(err ?? value!));
  });
}

/** The journal entries of an endpoint once `count` are written (the journal writes off the response path). */
async function journal(endpoint: string, count: number): Promise<any[]> {
  let entries: any[] = [];
  for (let i = 0; i < 100 && entries.length < count; i++) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    entries = (await mg.api.get(`/api/v2/endpoints/${endpoint}/requests`)).body.data;
  }
  return entries;
}

describe('protos upload', () => {
  it('takes a set of files (201, 200 when replaced) and refuses one that does not compile, naming file and line', async () => {
    expect((await mg.api.put('/api/v2/endpoints/upload/protos', protosUpload('greeter/greeter.proto', 'greeter/types.proto'))).status).toBe(201);
    expect((await mg.api.put('/api/v2/endpoints/upload/protos', protosUpload('greeter/greeter.proto', 'greeter/types.proto'))).status).toBe(200);
    const bad = await mg.api.put('/api/v2/endpoints/upload/protos', { files: { 'broken.proto': 'syntax = "proto3";\nmessage A {\n  string x = ;\n}\n' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_error');
    expect(bad.body.error.message).toMatch(/broken\.proto line 3/);
  });
});

describe('unary', () => {
  it('answers from a grpc rule, enums and numbers as the client expects', async () => {
    const { md } = await endpointWith(grpcRule('SayHello', { responses: [{ body: '{"message": "hi", "count": 2, "mood": "HAPPY"}' }] }));
    const { response, error } = await unary(client, 'SayHello', { name: 'ada' }, md());
    expect(error).toBeUndefined();
    expect(response).toEqual({ message: 'hi', count: 2, mood: 'HAPPY' });
  });

  it('ends with the rule status and message, and sends the response metadata', async () => {
    const { md } = await endpointWith(
      grpcRule('SayHello', { status: 5, statusMessage: 'no such greeting', responses: [{ body: '', metadata: '{"x-trace": "t-1"}' }] }));
    const { error, metadata } = await unary(client, 'SayHello', { name: 'ada' }, md());
    expect(error?.code).toBe(grpcStatus.NOT_FOUND);
    expect(error?.details).toBe('no such greeting');
    expect(metadata?.get('x-trace')).toEqual(['t-1']);
  });

  it('matches request metadata with a header condition and the request message with body_param', async () => {
    const { md } = await endpointWith(
      grpcRule('SayHello', { responses: [{ body: '{"message": "acme"}' }] }, [{ type: 'header', key: 'x-tenant', operator: 'equals', value: 'acme' }]),
      grpcRule('SayHello', { responses: [{ body: '{"message": "tagged"}' }] }, [{ type: 'body_param', key: 'tags', operator: 'contains', value: 'vip' }]),
      grpcRule('SayHello', { responses: [{ body: '{"message": "anyone"}' }] }),
    );
    expect((await unary(client, 'SayHello', { name: 'a' }, md({ 'x-tenant': 'acme' }))).response.message).toBe('acme');
    expect((await unary(client, 'SayHello', { name: 'a', tags: ['x', 'vip'] }, md())).response.message).toBe('tagged');
    expect((await unary(client, 'SayHello', { name: 'a' }, md({ 'x-tenant': 'other' }))).response.message).toBe('anyone');
  });

  it('renders a templated response with the request message', async () => {
    const { md } = await endpointWith(grpcRule('SayHello', {
      templated: true, responses: [{ body: `{"message": "hello {{body 'name'}}", "count": {{body 'times'}} }`, metadata: `{"x-name": "{{body 'name'}}"}` }],
    }));
    const { response, metadata } = await unary(client, 'SayHello', { name: 'ada', times: 3 }, md());
    expect(response).toMatchObject({ message: 'hello ada', count: 3 });
    expect(metadata?.get('x-name')).toEqual(['ada']);
  });

  it('answers from a mock rule: a 2xx JSON body is the message, other statuses map to gRPC codes', async () => {
    const mock = (status: number, body: string, value: string) => ({
      enabled: true, method: 'POST', conditions: [{ type: 'path', operator: 'equals', value }],
      action: { type: 'mock', status, headers: [{ key: 'x-from', value: 'mock' }], body },
    });
    const { md } = await endpointWith(
      mock(200, '{"message": "from mock"}', '/greeter.Greeter/SayHello'),
      mock(503, 'down for maintenance', '/greeter.Greeter/StreamHellos'),
      mock(200, '{"count": "many"}', '/greeter.Greeter/CollectHellos'),
    );
    const ok = await unary(client, 'SayHello', { name: 'a' }, md());
    expect(ok.response.message).toBe('from mock');
    expect(ok.metadata?.get('x-from')).toEqual(['mock']);
    const down = await serverStream(client, 'StreamHellos', { name: 'a' }, md());
    expect(down.error?.code).toBe(grpcStatus.UNAVAILABLE);
    expect(down.error?.details).toBe('down for maintenance');
    const misfit = await clientStream(client, 'CollectHellos', [{ name: 'a' }], md());
    expect(misfit.error?.code).toBe(grpcStatus.INTERNAL);
    expect(misfit.error?.details).toMatch(/count/);
  });

  it('refuses a non-JSON body or bad metadata when the rule is written, with a pointer', async () => {
    const { name } = await endpointWith();
    const body = await mg.api.post(`/api/v2/endpoints/${name}/rules`, grpcRule('SayHello', { responses: [{ body: '{}' }, { body: 'not json' }] }));
    expect(body.status).toBe(400);
    expect(body.body.error.parameter).toBe('/action/responses/1/body');
    const metadata = await mg.api.post(`/api/v2/endpoints/${name}/rules`, grpcRule('SayHello', { responses: [{ body: '{}', metadata: '{"a": 1}' }] }));
    expect(metadata.status).toBe(400);
    expect(metadata.body.error.parameter).toBe('/action/responses/0/metadata');
    const count = await mg.api.post(`/api/v2/endpoints/${name}/rules`,
      grpcRule('StreamHellos', { callType: 'server_streaming', streamCount: { min: 3, max: 2 }, responses: [{ body: '{}' }] }));
    expect(count.status).toBe(400);
    expect(count.body.error.parameter).toBe('/action/streamCount/min');
  });
});

describe('streams', () => {
  it('server streaming sends a count within streamCount, cycling through the responses', async () => {
    const { md } = await endpointWith(grpcRule('StreamHellos', {
      callType: 'server_streaming', streamCount: { min: 2, max: 4 }, responses: [{ body: '{"message": "a"}' }, { body: '{"message": "b"}' }],
    }));
    const counts = new Set<number>();
    for (let i = 0; i < 12; i++) {
      const { messages, error } = await serverStream(client, 'StreamHellos', { name: 'x' }, md());
      expect(error).toBeUndefined();
      expect(messages.length).toBeGreaterThanOrEqual(2);
      expect(messages.length).toBeLessThanOrEqual(4);
      expect(messages.map((m) => m.message)).toEqual(['a', 'b', 'a', 'b'].slice(0, messages.length));
      counts.add(messages.length);
    }
    expect(counts.size).toBeGreaterThan(1);
  });

  it('server streaming with singleResponseRepeated repeats the first response, then ends with the status', async () => {
    const { md } = await endpointWith(grpcRule('StreamHellos', {
      callType: 'server_streaming', singleResponseRepeated: true, status: 14, statusMessage: 'gone',
      responses: [{ body: '{"message": "same"}' }, { body: '{"message": "never"}' }, { body: '{"message": "never"}' }],
    }));
    const { messages, error } = await serverStream(client, 'StreamHellos', { name: 'x' }, md());
    expect(messages.map((m) => m.message)).toEqual(['same', 'same', 'same']);
    expect(error?.code).toBe(grpcStatus.UNAVAILABLE);
    expect(error?.details).toBe('gone');
  });

  it('client streaming is matched on its first message and journals them all', async () => {
    const { name, md } = await endpointWith(
      grpcRule('CollectHellos', { callType: 'client_streaming', responses: [{ body: '{"message": "first was ada"}' }] },
        [{ type: 'body_param', key: 'name', operator: 'equals', value: 'ada' }]),
      grpcRule('CollectHellos', { callType: 'client_streaming', responses: [{ body: '{"message": "someone else"}' }] }),
    );
    expect((await clientStream(client, 'CollectHellos', [{ name: 'ada' }, { name: 'bob' }], md())).response.message).toBe('first was ada');
    expect((await clientStream(client, 'CollectHellos', [{ name: 'bob' }, { name: 'ada' }, { name: 'cy' }], md())).response.message).toBe('someone else');
    const [latest] = await journal(name, 2);
    const verbose = (await mg.api.get(`/api/v2/endpoints/${name}/requests/${latest.id}`)).body;
    expect(verbose.request.messages.map((m: any) => m.body.name)).toEqual(['bob', 'ada', 'cy']);
    expect(verbose.response.messages.map((m: any) => m.body.message)).toEqual(['someone else']);
  });

  it('bidi answers each message with the next response, until the client ends', async () => {
    const { md } = await endpointWith(grpcRule('Chat', {
      callType: 'bidirectional_streaming', responses: [{ body: '{"message": "one"}' }, { body: '{"message": "two"}' }],
    }));
    const call = client['Chat']!(md());
    const next = nextOf<any>(call, 'data');
    const ended = new Promise((resolve) => call.on('status', resolve));
    const heard: string[] = [];
    for (const name of ['a', 'b', 'c']) {
      call.write({ name });
      heard.push((await next()).message);
    }
    call.end();
    expect(heard).toEqual(['one', 'two', 'one']);
    expect(((await ended) as grpc.StatusObject).code).toBe(grpcStatus.OK);
  });

  it('bidi with streamCount ends after that many answers, whatever the client still sends', async () => {
    const { md } = await endpointWith(grpcRule('Chat', {
      callType: 'bidirectional_streaming', streamCount: { min: 2, max: 2 }, responses: [{ body: '{"message": "pong"}' }],
    }));
    const call = client['Chat']!(md());
    const messages: string[] = [];
    call.on('data', (m: any) => messages.push(m.message));
    const ended = new Promise<grpc.StatusObject>((resolve) => call.on('status', resolve));
    call.write({ name: 'a' });
    call.write({ name: 'b' });
    call.write({ name: 'c' });
    expect((await ended).code).toBe(grpcStatus.OK);
    expect(messages).toEqual(['pong', 'pong']);
    call.end();
  });
});

describe('failures', () => {
  it('a deadline shorter than the rule delay: the client gets DEADLINE_EXCEEDED, the server keeps serving', async () => {
    const { md } = await endpointWith(
      grpcRule('SayHello', { delay: 3000, responses: [{ body: '{"message": "late"}' }] }),
      grpcRule('StreamHellos', { callType: 'server_streaming', responses: [{ body: '{"message": "quick"}' }] }),
    );
    const started = Date.now();
    const { error } = await unary(client, 'SayHello', { name: 'a' }, md(), { deadline: Date.now() + 200 });
    expect(error?.code).toBe(grpcStatus.DEADLINE_EXCEEDED);
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await serverStream(client, 'StreamHellos', { name: 'a' }, md())).messages).toEqual([expect.objectContaining({ message: 'quick' })]);
  });

  it('malformed request bytes end the call with INTERNAL; the server goes on', async () => {
    const { md } = await endpointWith(grpcRule('SayHello', { responses: [{ body: '{"message": "fine"}' }] }));
    const err = await rawUnary('/greeter.Greeter/SayHello', Buffer.from([0xff, 0xff, 0xff]), md());
    expect((err as grpc.ServiceError).code).toBe(grpcStatus.INTERNAL);
    expect((err as grpc.ServiceError).details).toMatch(/HelloRequest/);
    expect((await unary(client, 'SayHello', { name: 'a' }, md())).response.message).toBe('fine');
  });

  it('a method no endpoint defines is UNIMPLEMENTED', async () => {
    const { md } = await endpointWith();
    expect(((await rawUnary('/greeter.Greeter/Nope', Buffer.alloc(0), md())) as grpc.ServiceError).code).toBe(grpcStatus.UNIMPLEMENTED);
  });
});

describe('without rules', () => {
  it('answers from the protos: a sample message, a few on a stream; journaled as grpc with the messages', async () => {
    const { name, md } = await endpointWith();
    const { response, error } = await unary(client, 'SayHello', { name: 'ada' }, md());
    expect(error).toBeUndefined();
    expect(typeof response.message).toBe('string');
    expect(['MOOD_UNSPECIFIED', 'HAPPY', 'GRUMPY']).toContain(response.mood);
    const stream = await serverStream(client, 'StreamHellos', { name: 'ada' }, md());
    expect(stream.messages.length).toBeGreaterThan(1);

    const entries = await journal(name, 2);
    expect(entries.map((e) => e.behavior)).toEqual(['grpc', 'grpc']);
    expect(entries.map((e) => e.path)).toEqual(['/greeter.Greeter/StreamHellos', '/greeter.Greeter/SayHello']);
    const unaryEntry = (await mg.api.get(`/api/v2/endpoints/${name}/requests/${entries[1].id}`)).body;
    expect(unaryEntry.request.messages).toEqual([expect.objectContaining({ body: { name: 'ada' }, timestamp: expect.any(String) })]);
    expect(unaryEntry.request.messages[0].headers['x-mockgate-endpoint']).toBe(name);
    expect(unaryEntry.response.messages).toHaveLength(1);
    expect(unaryEntry.response.messages[0].body.message).toBe(response.message);
    expect(unaryEntry.response.headers['grpc-status']).toBe('0');
  });
});
