// Reads a GraphQL request the way GraphQL-over-HTTP servers do, shared by the condition (a MockRequest) and the
// template helpers (the template's request view): GET/HEAD `?query=…&operationName=…&variables=…`, POST
// `application/graphql` (the body is the query; operationName and variables may come in the query string), and any
// other POST body as JSON `{query, operationName, variables}`.
import { Kind, parse, type DefinitionNode, type OperationDefinitionNode } from 'graphql';
import { memoizeByText } from '../../core/contract.js';

/** A request that is valid GraphQL: its query parsed, its operation name worked out. */
export interface GraphqlOperation {
  /** The query text, as sent. */
  readonly query: string;
  /** `operationName` when given, else the name of the document's only operation; '' when there is none. */
  readonly name: string;
  /** The variables object, or undefined when none were sent. */
  readonly variables: Readonly<Record<string, unknown>> | undefined;
}

/** What the reader needs of a request, whichever side of the worker boundary it is on. */
export interface GraphqlInput {
  method: string;
  contentType: string | undefined;
  /** The body as text ('' when there is none). */
  body(): string;
  /** A query string parameter (the first when repeated), or undefined. */
  param(name: string): string | undefined;
}

/** The request's GraphQL operation, or undefined when it is not valid GraphQL. Never throws. */
export function readGraphql(input: GraphqlInput): GraphqlOperation | undefined {
  try {
    const fields = requestFields(input);
    return fields === undefined ? undefined : operationOf(fields);
  } catch {
    // a document nested deep enough to exhaust the stack, say: not a request we can read
    return undefined;
  }
}

interface RequestFields {
  query: string;
  operationName: string | undefined;
  variables: Record<string, unknown> | undefined;
}

function requestFields(input: GraphqlInput): RequestFields | undefined {
  const method = input.method.toUpperCase();
  if (method === 'GET' || method === 'HEAD') return fromParams(input.param('query'), input);
  const type = (input.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/graphql') return fromParams(input.body(), input);
  let json: unknown;
  try {
    json = JSON.parse(input.body());
  } catch {
    return undefined;
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const { query, operationName, variables } = json as Record<string, unknown>;
  if (typeof query !== 'string') return undefined;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return undefined;
  if (variables !== undefined && variables !== null && !isObject(variables)) return undefined;
  return { query, operationName: operationName || undefined, variables: (variables ?? undefined) as Record<string, unknown> | undefined };
}

/** The query from the URL or the body; operationName and variables from the query string. */
function fromParams(query: string | undefined, input: GraphqlInput): RequestFields | undefined {
  if (query === undefined) return undefined;
  const text = input.param('variables');
  let variables: Record<string, unknown> | undefined;
  if (text !== undefined && text !== '') {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed !== null && !isObject(parsed)) return undefined;
      variables = parsed ?? undefined;
    } catch {
      return undefined;
    }
  }
  return { query, operationName: input.param('operationName') || undefined, variables };
}

/** The name of a query's only operation ('' when anonymous, or when there are several); null when it does not parse. */
const soleOperationName = memoizeByText((query): string | null => {
  let document;
  try {
    document = parse(query, { noLocation: true });
  } catch {
    return null;
  }
  const operations = document.definitions.filter((d: DefinitionNode): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return operations.length === 1 ? operations[0]!.name?.value ?? '' : '';
}, 256);

function operationOf({ query, operationName, variables }: RequestFields): GraphqlOperation | undefined {
  if (query.trim() === '') return undefined;
  const sole = soleOperationName(query);
  if (sole === null) return undefined;
  return { query, name: operationName ?? sole, variables };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
