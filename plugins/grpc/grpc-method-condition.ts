// `grpc_method` condition: the document's GrpcMethodCondition (`value` only: equals), plus mockgate's `operator`
// (`equals`, `contains`, `regex`). It compares the full method name, `package.Service/Method`, of gRPC calls only.
import { defineCondition, type IndexHint, type Matcher } from '../../core/contract.js';

interface GrpcMethodCondition {
  type: 'grpc_method';
  operator?: 'equals' | 'contains' | 'regex';
  value: string;
}

/** `/pkg.Svc/M` and `pkg.Svc/M` name the same method. */
const withoutSlash = (value: string): string => (value.startsWith('/') ? value.slice(1) : value);

export const grpcMethodCondition = defineCondition<GrpcMethodCondition>({
  type: 'grpc_method',
  schema: {
    type: 'object',
    required: ['type', 'value'],
    additionalProperties: false,
    properties: {
      type: { const: 'grpc_method' },
      operator: { enum: ['equals', 'contains', 'regex'] },
      value: { type: 'string', minLength: 1, maxLength: 1024 },
    },
  },

  // a gRPC call's endpoint-relative path is `/<method>`, so an exact method is an exact path
  hint({ operator, value }): IndexHint | undefined {
    return operator === undefined || operator === 'equals' ? { exactPath: `/${withoutSlash(value)}` } : undefined;
  },

  compile({ operator = 'equals', value }, cx): Matcher {
    switch (operator) {
      case 'equals': {
        const path = `/${withoutSlash(value)}`;
        return (req) => req.transport === 'grpc' && req.path === path;
      }
      case 'contains':
        return (req) => req.transport === 'grpc' && req.path.slice(1).includes(value);
      case 'regex': {
        const re = cx.regex(value, 'value');
        return (req) => req.transport === 'grpc' && re.test(req.path.slice(1));
      }
    }
  },
});
