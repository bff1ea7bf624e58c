// One upload API for every kind of description: OpenAPI, WSDL, protos (a zip of them here) and a GraphQL SDL each
// import through POST …/specs and answer their own protocol; a new spec of another kind replaces the old one.
import { readFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settleJob, uploadSpec } from '../../helpers/specs.js';
import { clientOf, metadataOf, startGrpcMockgate, unary, type GrpcMockgate } from '../grpc/greeter.js';

const fixture = (path: string): Buffer => readFileSync(new URL(`../../fixtures/${path}`, import.meta.url));

let mg: GrpcMockgate;
beforeAll(async () => {
  mg = await startGrpcMockgate();
});
afterAll(() => mg.close());

async function importAs(endpoint: string, name: string, bytes: Uint8Array | string) {
  const accepted = await uploadSpec(mg, endpoint, name, Buffer.from(bytes));
  const job = await settleJob(mg, endpoint, accepted.jobId);
  expect(job.status, job.message).toBe('COMPLETED');
  return { accepted, job, spec: (await mg.api.get(`/api/v2/endpoints/${endpoint}/specs`)).body.data };
}

const soapAdd = (endpoint: string) => fetch(`${mg.url}/e/${endpoint}/calculator.asmx`, {
  method: 'POST',
  headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: 'http://tempuri.org/Add' },
  body: '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Add xmlns="http://tempuri.org/"><intA>1</intA><intB>2</intB></Add></soap:Body></soap:Envelope>',
});

describe('spec kinds through POST …/specs', () => {
  it('OpenAPI: job type oas, spec type openapi, operations answered under the base path', async () => {
    const { accepted, spec } = await importAs('k-oas', 'petstore.yaml', fixture('openapi/petstore-v3.yaml'));
    expect(accepted.type).toBe('oas');
    expect(spec.type).toBe('openapi');
    expect(spec.operations).toContain('GET /pet/{petId}');
    const res = await fetch(`${mg.url}/e/k-oas/api/v3/pet/7`, { headers: { api_key: 'secret' } }); // the operation's security
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: expect.any(String) });
  });

  it('WSDL: a SOAP call naming an operation is answered from its output message', async () => {
    const { accepted, spec } = await importAs('k-wsdl', 'calculator.wsdl', fixture('wsdl/calculator.wsdl'));
    expect(accepted.type).toBe('wsdl');
    expect(spec).toMatchObject({ type: 'wsdl', operations: expect.arrayContaining(['Add', 'Subtract']) });
    const res = await soapAdd('k-wsdl');
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/<(\w+:)?AddResult>-?\d+<\/(\w+:)?AddResult>/);
  });

  it('protos: a zip of a folder of them; calls are answered from the output type', async () => {
    const zip = zipSync({
      'protos/greeter/greeter.proto': fixture('protos/greeter/greeter.proto'),
      'protos/greeter/types.proto': fixture('protos/greeter/types.proto'),
    });
    const { accepted, spec } = await importAs('k-grpc', 'greeter.zip', zip);
    expect(accepted.type).toBe('grpc');
    expect(spec).toMatchObject({ type: 'grpc', operations: expect.arrayContaining(['greeter.Greeter/SayHello']) });
    const client = clientOf(mg.grpcUrl);
    try {
      const { response, error } = await unary(client, 'SayHello', { name: 'Ada' }, metadataOf({ 'x-mockgate-endpoint': 'k-grpc' }));
      expect(error).toBeUndefined();
      expect(typeof response.message).toBe('string');
    } finally {
      client.close();
    }
  });

  it('GraphQL: an SDL under any name; GraphQL requests are answered from its types', async () => {
    const { accepted, spec } = await importAs('k-gql', 'schema.txt', 'type Query { hello(name: String): String! }');
    expect(accepted.type).toBe('graphql');
    expect(spec).toEqual(expect.objectContaining({ type: 'graphql', operations: ['query hello'] }));
    const res = await fetch(`${mg.url}/e/k-gql/graphql`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ hello(name: "x") }' }),
    });
    expect(typeof ((await res.json()) as any).data.hello).toBe('string');
  });

  it('a spec of another kind replaces the one there was: the old one stops answering, its document is gone', async () => {
    await importAs('k-swap', 'calculator.wsdl', fixture('wsdl/calculator.wsdl'));
    expect((await soapAdd('k-swap')).status).toBe(200);
    await importAs('k-swap', 'petstore.yaml', fixture('openapi/petstore-v3.yaml'));
    expect((await mg.api.get('/api/v2/endpoints/k-swap/specs')).body.data.type).toBe('openapi');
    expect((await mg.api.get('/api/v2/endpoints/k-swap/wsdl')).status).toBe(404);
    const soap = await soapAdd('k-swap');
    expect(await soap.text()).not.toMatch(/AddResult/);
  });
});
