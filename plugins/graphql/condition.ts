// `graphql` condition (the document's GraphQLCondition): equals, contains, regex on the request's GraphQL operation name;
// contains and regex fall back to the query text when the operation has no name. Not valid GraphQL: never matches.
import { defineCondition, headerValue, type Matcher, type MockRequest } from '../../core/contract.js';
import { readGraphql, type GraphqlOperation } from './operation.js';

interface GraphqlCondition {
  type: 'graphql';
  operator: 'equals' | 'contains' | 'regex';
  value: string;
}

/** Each request is read (and its query parsed) at most once, however many rules look at it. */
const operations = new WeakMap<MockRequest, GraphqlOperation | null>();

export function operationOf(req: MockRequest): GraphqlOperation | undefined {
  let op = operations.get(req);
  if (op === undefined) {
    op = readGraphql({
      method: req.method,
      contentType: headerValue(req, 'content-type'),
      body: () => req.text(),
      param: (name) => req.query.get(name) ?? undefined,
    }) ?? null;
    operations.set(req, op);
  }
  return op ?? undefined;
}

/** What contains and regex look at: the operation name, or the query text when there is none. */
const subject = (op: GraphqlOperation): string => (op.name !== '' ? op.name : op.query);

export const graphqlCondition = defineCondition<GraphqlCondition>({
  type: 'graphql',
  // the query comes in the body, except for GET; GraphQL usually shares one path, so there is no index hint
  needs: ['body'],
  schema: {
    type: 'object',
    required: ['type', 'operator', 'value'],
    additionalProperties: false,
    properties: {
      type: { const: 'graphql' },
      operator: { enum: ['equals', 'contains', 'regex'] },
      value: { type: 'string', maxLength: 4096 },
    },
  },

  compile({ operator, value }, cx): Matcher {
    switch (operator) {
      case 'equals':
        // '' equals an operation without a name (an anonymous one, or several without operationName)
        return (req) => operationOf(req)?.name === value;
      case 'contains':
        return (req) => {
          const op = operationOf(req);
          return op !== undefined && subject(op).includes(value);
        };
      case 'regex': {
        const re = cx.regex(value, 'value');
        return (req) => {
          const op = operationOf(req);
          return op !== undefined && re.test(subject(op));
        };
      }
    }
  },
});
