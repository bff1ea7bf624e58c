// Templates are parsed when a rule is written: syntax errors, unknown helpers, partials and literal arguments a helper
// can never accept are refused then, with the reason; what the template reads decides what each render is sent.
import { createHash } from 'node:crypto';
import Handlebars from 'handlebars';
import type { TemplateRef } from '../contract.js';
import type { Argument } from '../../workers/helpers/helper-kit.js';
import { BODY_HELPERS, BUILTIN_HELPERS, HEADER_HELPERS, HELPER_CHECKS, STATE_HELPERS } from '../../workers/helpers/index.js';

type Node = hbs.AST.Node;
type Expression = hbs.AST.Expression;

export interface StateCall {
  readonly helper: string;
  readonly args: ReadonlyArray<string | number | boolean>;
}

export interface CheckedTemplate extends TemplateRef {
  /** It reads request headers (a header helper, a plugin helper, or `request.headers`). */
  readonly needsHeaders: boolean;
  /**
   * Its state helper calls, in order, when every one runs exactly once per render (outside any block) with literal
   * arguments: the main thread then applies them before the render instead of answering the worker call by call.
   */
  readonly stateCalls?: readonly StateCall[];
}

interface Findings {
  body: boolean;
  headers: boolean;
  stateCalls: StateCall[];
  /** Some state call is conditional, repeated or has an argument known only at render time. */
  dynamicState: boolean;
}

/** Where a node sits: how deep, and whether it may run other than exactly once per render. */
interface Place {
  depth: number;
  conditional: boolean;
}

export interface TemplateLimits {
  maxRepeat: number;
}

const HANDLEBARS_HELPERS = new Set(['if', 'unless', 'each', 'with', 'lookup', 'log']);
const MAX_SOURCE_CHARS = 1 << 20;
const MAX_DEPTH = 64;

export class TemplateChecker {
  readonly #known: ReadonlySet<string>;

  constructor(private readonly pluginHelpers: ReadonlySet<string>, private readonly limits: TemplateLimits) {
    this.#known = new Set([...HANDLEBARS_HELPERS, ...Object.keys(BUILTIN_HELPERS), ...pluginHelpers]);
  }

  /** Throws an Error whose message says what is wrong and where (line:column). */
  check(source: string): CheckedTemplate {
    if (source.length > MAX_SOURCE_CHARS) throw new Error(`a template may have at most ${MAX_SOURCE_CHARS} characters`);
    let program: hbs.AST.Program;
    try {
      program = Handlebars.parse(source);
    } catch (err) {
      throw new Error(`template syntax error: ${conciseParseError((err as Error).message)}`);
    }
    const found: Findings = { body: false, headers: false, stateCalls: [], dynamicState: false };
    this.#visit(program, { depth: 0, conditional: false }, found);
    const key = createHash('sha1').update(source).digest('base64url');
    const checked = { key, source, needsBody: found.body, needsHeaders: found.headers };
    return found.dynamicState || found.stateCalls.length === 0 ? checked : { ...checked, stateCalls: found.stateCalls };
  }

  #visit(node: Node | undefined, place: Place, found: Findings): void {
    if (node === undefined) return;
    const { depth } = place;
    const inner: Place = { ...place, depth: depth + 1 };
    if (depth > MAX_DEPTH) throw new Error(`template blocks and expressions nest deeper than ${MAX_DEPTH} levels`);
    const at = (n: Node): string => `line ${n.loc.start.line}, column ${n.loc.start.column + 1}`;
    switch (node.type) {
      case 'Program':
        for (const statement of (node as hbs.AST.Program).body) this.#visit(statement, inner, found);
        return;
      case 'MustacheStatement':
      case 'SubExpression':
      case 'BlockStatement': {
        const call = node as unknown as { path: Expression; params: Expression[]; hash?: hbs.AST.Hash; program?: hbs.AST.Program; inverse?: hbs.AST.Program };
        const name = call.path.type === 'PathExpression' ? (call.path as hbs.AST.PathExpression).original : undefined;
        const hasArguments = call.params.length > 0 || (call.hash?.pairs.length ?? 0) > 0;
        if (name !== undefined && (hasArguments || node.type === 'SubExpression' || this.#known.has(name))) {
          if (!this.#known.has(name)) throw new Error(`unknown template helper "${name}" at ${at(node)}`);
          const args = this.#checkCall(name, call.params, at(node));
          if (BODY_HELPERS.has(name) || this.pluginHelpers.has(name)) found.body = true;
          if (HEADER_HELPERS.has(name) || this.pluginHelpers.has(name)) found.headers = true;
          // a plugin helper may call state itself, in an order only the render knows
          if (this.pluginHelpers.has(name)) found.dynamicState = true;
          if (STATE_HELPERS.has(name)) {
            const literal = args.every((a) => a.literal) && (call.hash?.pairs.length ?? 0) === 0;
            if (literal && !place.conditional) found.stateCalls.push({ helper: name, args: args.map((a) => (a as { value: string }).value) });
            else found.dynamicState = true;
          }
        }
        this.#visit(call.path, inner, found);
        for (const param of call.params) this.#visit(param, inner, found);
        // hash values are evaluated in an order of Handlebars' choosing: treat them as conditional
        for (const pair of call.hash?.pairs ?? []) this.#visit(pair.value, { ...inner, conditional: true }, found);
        this.#visit(call.program, { ...inner, conditional: true }, found);
        this.#visit(call.inverse, { ...inner, conditional: true }, found);
        return;
      }
      case 'PathExpression': {
        const path = node as hbs.AST.PathExpression;
        const [head, second] = path.parts;
        // `request.body…` / `request.headers…` read from the root context (also as `@root.request…`)
        if (head === 'request' && second === 'body') found.body = true;
        if (head === 'request' && second === 'headers') found.headers = true;
        if (head === 'request' && second === undefined) found.body = found.headers = true;
        return;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement':
        throw new Error(`partials are not supported (${at(node)})`);
      case 'Decorator':
      case 'DecoratorBlock':
        throw new Error(`decorators are not supported (${at(node)})`);
      default:
        return;
    }
  }

  /** Runs the helper's write-time check; returns its arguments as the check saw them. */
  #checkCall(name: string, params: readonly Expression[], where: string): Argument[] {
    const args: Argument[] = params.map((p) =>
      p.type === 'StringLiteral' || p.type === 'NumberLiteral' || p.type === 'BooleanLiteral'
        ? { literal: true, value: (p as hbs.AST.StringLiteral).value }
        : { literal: false });
    const problem = HELPER_CHECKS[name]?.(args, this.limits);
    if (problem !== undefined) throw new Error(`${name}: ${problem} (${where})`);
    return args;
  }
}

/** Handlebars' parse errors list every token it expected; keep where it failed and what it found. */
function conciseParseError(message: string): string {
  const [where = '', context = '', caret = '', expected = ''] = message.split('\n');
  const found = / got '([^']+)'/.exec(expected)?.[1];
  const column = caret.indexOf('^');
  const near = column >= 0 ? ` near "${context.slice(Math.max(0, column - 20), column + 10)}"` : '';
  const unexpected = found === 'EOF' ? 'the template ends inside an open block or expression' : `unexpected ${found}`;
  return `${where.replace(/:$/, '')}${near}${found === undefined ? (expected ? `: ${expected}` : '') : `: ${unexpected}`}`;
}
