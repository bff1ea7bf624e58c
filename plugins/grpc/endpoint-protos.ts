// The protos each endpoint holds, compiled, and which endpoints define each method path: what the gRPC server serves.
import type { CompiledProtos, ProtoMethod } from './protos.js';

/** grpc-js's name for how a method streams. */
export type CallKind = 'unary' | 'clientStream' | 'serverStream' | 'bidi';

export function kindOf(method: ProtoMethod): CallKind {
  if (method.clientStreaming) return method.serverStreaming ? 'bidi' : 'clientStream';
  return method.serverStreaming ? 'serverStream' : 'unary';
}

/** `onPath` hears how a path is to be served now: its kind, 'bidi' when endpoints disagree, undefined when none defines it. */
type PathListener = (path: string, kind: CallKind | undefined) => void;

export class EndpointProtos {
  readonly #byEndpoint = new Map<string, CompiledProtos>();
  /** `/pkg.Svc/Method` → the endpoints defining it, with its kind in each. */
  readonly #definers = new Map<string, Map<string, CallKind>>();

  constructor(private readonly onPath: PathListener) {}

  /** Replaces an endpoint's protos (undefined: it has none now). */
  set(endpoint: string, protos: CompiledProtos | undefined): void {
    const touched = new Set<string>();
    for (const key of this.#byEndpoint.get(endpoint)?.methods.keys() ?? []) {
      const path = `/${key}`;
      this.#definers.get(path)?.delete(endpoint);
      touched.add(path);
    }
    if (protos === undefined) this.#byEndpoint.delete(endpoint);
    else this.#byEndpoint.set(endpoint, protos);
    for (const [key, method] of protos?.methods ?? []) {
      const path = `/${key}`;
      let definers = this.#definers.get(path);
      if (definers === undefined) this.#definers.set(path, (definers = new Map()));
      definers.set(endpoint, kindOf(method));
      touched.add(path);
    }
    for (const path of touched) this.onPath(path, this.#kindOf(path));
  }

  get(endpoint: string): CompiledProtos | undefined {
    return this.#byEndpoint.get(endpoint);
  }

  /** The method at `/pkg.Svc/Method` in an endpoint's protos. */
  method(endpoint: string, path: string): ProtoMethod | undefined {
    return this.#byEndpoint.get(endpoint)?.methods.get(path.slice(1));
  }

  /** The endpoints whose protos define the path. */
  definers(path: string): string[] {
    return [...(this.#definers.get(path)?.keys() ?? [])];
  }

  /** The endpoint holding protos when exactly one does. */
  soleEndpoint(): string | undefined {
    return this.#byEndpoint.size === 1 ? this.#byEndpoint.keys().next().value : undefined;
  }

  #kindOf(path: string): CallKind | undefined {
    const definers = this.#definers.get(path);
    if (definers === undefined || definers.size === 0) {
      this.#definers.delete(path);
      return undefined;
    }
    const [first, ...rest] = definers.values();
    // the wire format is the same for every kind: a bidi handler serves them all
    return rest.every((k) => k === first) ? first : 'bidi';
  }
}
