// The gRPC plugin: a gRPC listener serving the methods of each endpoint's protos (a spec uploaded through POST …/specs,
// or to PUT /api/v2/endpoints/{e}/protos) through its rules; the `grpc_method` condition and the `grpc` action; answers
// generated from the protos for calls no rule answers; server reflection.
import { CONTRACT_VERSION, definePlugin } from '../../core/contract.js';
import { generatedStep } from './generated-step.js';
import { grpcAction } from './grpc-action.js';
import { grpcMethodCondition } from './grpc-method-condition.js';
import { grpcListener } from './listener.js';
import { protosImporter } from './protos-importer.js';
import { protosDocument } from './protos.js';

export default definePlugin({
  name: 'grpc',
  contract: CONTRACT_VERSION,
  conditions: [grpcMethodCondition],
  actions: [grpcAction],
  documents: [protosDocument],
  importers: [protosImporter],
  listeners: [grpcListener],
  fallbacks: [generatedStep],
});
