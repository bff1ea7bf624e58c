// Template helpers of the graphql plugin, run inside the template worker: the request's operation name, a variable by
// dotted path, and the query text. A request that is not valid GraphQL gives '' (or the variable's default).
import { defineHelpers, type TemplateData, type TemplateRoot } from '../../core/contract.js';
import { readGraphql, type GraphqlOperation } from './operation.js';

/** Handlebars passes its options last; `data.root` is the template's root context. */
interface Options {
  data: TemplateData;
}

/** Read once per render, however many helpers of the template ask. */
const operations = new WeakMap<TemplateRoot, GraphqlOperation | null>();

function operationOf(options: Options): GraphqlOperation | undefined {
  const root = options.data.root;
  let op = operations.get(root);
  if (op === undefined) {
    const { method, headers, query, body } = root.request;
    const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);
    op = readGraphql({
      method,
      contentType: first(headers['content-type']),
      body: () => body ?? '',
      param: (name) => (Object.hasOwn(query, name) ? first(query[name]) : undefined),
    }) ?? null;
    operations.set(root, op);
  }
  return op ?? undefined;
}

/** `a.b.0.c`: own properties only; undefined when a step is missing. */
function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const step of path.split('.').filter((s) => s !== '')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, step)) return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

export default defineHelpers({
  /** `{{graphqlOperation}}`: the operation name, '' when there is none. */
  graphqlOperation: (options: Options): string => operationOf(options)?.name ?? '',

  /** `{{graphqlVariable 'input.id' ['default']}}`: a variable by dotted path; the default (or '') when missing or null. */
  graphqlVariable: (...args: unknown[]): unknown => {
    const options = args[args.length - 1] as Options;
    const [path, fallback] = args.slice(0, -1);
    const value = valueAt(operationOf(options)?.variables, String(path ?? ''));
    return value ?? fallback ?? '';
  },

  /** `{{graphqlQuery}}`: the query text, '' when the request is not GraphQL. */
  graphqlQuery: (options: Options): string => operationOf(options)?.query ?? '',
});
