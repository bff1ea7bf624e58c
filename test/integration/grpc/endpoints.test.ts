// Which endpoint a gRPC call reaches (metadata, :authority, the one endpoint defining the method), methods appearing
// and disappearing with the protos, server reflection, and protos and rules kept across a restart.
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientOf, GREETER, grpcStatus, metadataOf, serverStream, startGrpcMockgate, unary, uploadProtos, type GreeterClient, type GrpcMockgate,
} from './greeter.js';

const REFLECTION_PROTO = new URL('../../../node_modules/@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto', import.meta.url).pathname;

const sayRule = (message: string, method = 'greeter.Greeter/SayHello') => ({
  enabled: true, method: '*', conditions: [{ type: 'grpc_method', value: method }],
  action: { type: 'grpc', callType: 'unary', responses: [{ body: JSON.stringify({ message }) }] },
});

async function addRule(mg: GrpcMockgate, endpoint: string, rule: object): Promise<void> {
  const res = await mg.api.post(`/api/v2/endpoints/${endpoint}/rules`, rule);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

describe('endpoint of a call', () => {
  let mg: GrpcMockgate;
  const clients: grpc.Client[] = [];
  const track = <C extends grpc.Client>(c: C): C => (clients.push(c), c);
  beforeAll(async () => {
    mg = await startGrpcMockgate();
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await mg?.close();
  });

  it('one endpoint defining the method is reached without naming it; two need x-mockgate-endpoint or the authority', async () => {
    await uploadProtos(mg.api, 'alpha');
    await addRule(mg, 'alpha', sayRule('from alpha'));
    const client = track(clientOf(mg.grpcUrl));
    expect((await unary(client, 'SayHello', { name: 'x' })).response.message).toBe('from alpha');

    await uploadProtos(mg.api, 'beta');
    await addRule(mg, 'beta', sayRule('from beta'));
    const ambiguous = await unary(client, 'SayHello', { name: 'x' });
    expect(ambiguous.error?.code).toBe(grpcStatus.INVALID_ARGUMENT);
    expect(ambiguous.error?.details).toMatch(/x-mockgate-endpoint/);

    expect((await unary(client, 'SayHello', { name: 'x' }, metadataOf({ 'x-mockgate-endpoint': 'beta' }))).response.message).toBe('from beta');
    const byAuthority = track(clientOf(mg.grpcUrl, undefined, undefined, { 'grpc.default_authority': 'alpha.localhost' }));
    expect((await unary(byAuthority, 'SayHello', { name: 'x' })).response.message).toBe('from alpha');
  });

  it('an endpoint that does not define the method is UNIMPLEMENTED, though another does', async () => {
    await uploadProtos(mg.api, 'gamma', ['greeter/farewell.proto', 'greeter/types.proto']);
    const client = track(clientOf(mg.grpcUrl));
    const { error } = await unary(client, 'SayHello', { name: 'x' }, metadataOf({ 'x-mockgate-endpoint': 'gamma' }));
    expect(error?.code).toBe(grpcStatus.UNIMPLEMENTED);
    expect(error?.details).toMatch(/gamma/);
  });

  it('a path that streams in one endpoint and not in another is served to both', async () => {
    await uploadProtos(mg.api, 'streamer', ['greeter/streaming-hello.proto', 'greeter/types.proto']);
    await addRule(mg, 'streamer', {
      ...sayRule(''), action: { type: 'grpc', callType: 'server_streaming', responses: [{ body: '{"message": "s1"}' }, { body: '{"message": "s2"}' }] },
    });
    const streaming = track(clientOf(mg.grpcUrl, 'greeter.Greeter', 'greeter/streaming-hello.proto'));
    const { messages } = await serverStream(streaming, 'SayHello', { name: 'x' }, metadataOf({ 'x-mockgate-endpoint': 'streamer' }));
    expect(messages.map((m) => m.message)).toEqual(['s1', 's2']);
    const client = track(clientOf(mg.grpcUrl));
    expect((await unary(client, 'SayHello', { name: 'x' }, metadataOf({ 'x-mockgate-endpoint': 'alpha' }))).response.message).toBe('from alpha');
  });

  it('methods follow the protos: added when they are replaced, UNIMPLEMENTED once they are deleted', async () => {
    await uploadProtos(mg.api, 'delta');
    await addRule(mg, 'delta', sayRule('bye', 'greeter.Farewell/SayGoodbye'));
    const md = metadataOf({ 'x-mockgate-endpoint': 'delta' });
    const farewell = track(clientOf(mg.grpcUrl, 'greeter.Farewell', 'greeter/farewell.proto'));
    expect((await unary(farewell, 'SayGoodbye', { name: 'x' }, md)).error?.code).toBe(grpcStatus.UNIMPLEMENTED);

    await uploadProtos(mg.api, 'delta', [...GREETER, 'greeter/farewell.proto']);
    expect((await unary(farewell, 'SayGoodbye', { name: 'x' }, md)).response.message).toBe('bye');

    expect((await mg.api.delete('/api/v2/endpoints/delta/protos')).status).toBe(200);
    expect((await unary(farewell, 'SayGoodbye', { name: 'x' }, md)).error?.code).toBe(grpcStatus.UNIMPLEMENTED);
  });

  it('answers server reflection with the services of the endpoint', async () => {
    const loaded = grpc.loadPackageDefinition(loadSync(REFLECTION_PROTO, { keepCase: true })) as any;
    const reflection = track(new loaded.grpc.reflection.v1.ServerReflection(new URL(mg.grpcUrl).host, grpc.credentials.createInsecure()));
    await uploadProtos(mg.api, 'delta-2', [...GREETER, 'greeter/farewell.proto']);
    const call = reflection.ServerReflectionInfo(metadataOf({ 'x-mockgate-endpoint': 'delta-2' }));
    const answer = new Promise<any>((resolve, reject) => {
      call.once('data', resolve);
      call.once('error', reject);
    });
    call.write({ list_services: '' });
    const services = (await answer).list_services_response.service.map((s: { name: string }) => s.name);
    call.end();
    expect(services).toEqual(expect.arrayContaining(['greeter.Greeter', 'greeter.Farewell']));
  });
});

describe('restart', () => {
  it('serves the same protos and rules from the same data directory', async () => {
    const first = await startGrpcMockgate();
    let client: GreeterClient | undefined;
    try {
      await uploadProtos(first.api, 'kept');
      await addRule(first, 'kept', sayRule('still here'));
    } finally {
      await first.close({ removeData: false });
    }
    const second = await startGrpcMockgate({ dataDir: first.dataDir });
    try {
      client = clientOf(second.grpcUrl);
      expect((await unary(client, 'SayHello', { name: 'x' }, metadataOf({ 'x-mockgate-endpoint': 'kept' }))).response.message).toBe('still here');
    } finally {
      client?.close();
      await second.close();
    }
  });
});
