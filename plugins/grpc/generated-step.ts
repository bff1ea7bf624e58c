// The fallback step that answers gRPC calls no rule answered, for any method of the endpoint's protos: a sample message
// of the output type (a few for a streaming answer), so a client works before any rule exists.
import type { FallbackStep } from '../../core/contract.js';
import { planResponse } from './call-plan.js';
import { compileProtos, PROTOS_PATH } from './protos.js';
import { sampleMessage } from './sample-message.js';

const STREAMED_SAMPLES = 3;

export const generatedStep: FallbackStep = {
  name: 'grpc-generated',
  // after the proxy target (20) and the GraphQL (30) and WSDL (32) specs
  order: 34,
  compile(endpoint) {
    const text = endpoint.document(PROTOS_PATH);
    if (text === undefined) return undefined;
    const { methods } = compileProtos(text);
    return (ex) => {
      if (ex.request.transport !== 'grpc') return false;
      const method = methods.get(ex.request.path.slice(1));
      if (method === undefined) return false;
      const samples = method.serverStreaming ? STREAMED_SAMPLES : 1;
      ex.annotate({ behavior: 'grpc' });
      ex.respond(planResponse({ status: 0, messages: Array.from({ length: samples }, () => sampleMessage(method.responseType)) }));
      return true;
    };
  },
};
