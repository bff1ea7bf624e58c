// Which endpoint a request addresses: Host `<name>.<base-domain>[:port]`, or the path prefix `/e/<name>/`.
import type { IncomingMessage } from 'node:http';
import { ENDPOINT_NAME } from './endpoints.js';

export interface EndpointTarget {
  name: string;
  /** Endpoint-relative URL, with its query string. */
  url: string;
  /** The prefix the client used before it: `/e/<name>`, or '' when routed by host. */
  mountPath: string;
}

export function createEndpointResolver(baseDomain: string): (req: IncomingMessage) => EndpointTarget | undefined {
  const suffix = `.${baseDomain.toLowerCase()}`;
  return (req) => {
    const url = req.url ?? '/';
    const host = req.headers.host;
    if (host !== undefined) {
      const colon = host.lastIndexOf(':');
      const hostname = (colon > host.lastIndexOf(']') ? host.slice(0, colon) : host).toLowerCase();
      if (hostname.endsWith(suffix)) {
        const name = hostname.slice(0, -suffix.length);
        if (ENDPOINT_NAME.test(name)) return { name, url, mountPath: '' };
      }
    }
    if (!url.startsWith('/e/')) return undefined;
    let end = 3;
    while (end < url.length && url[end] !== '/' && url[end] !== '?') end++;
    const name = url.slice(3, end);
    if (!ENDPOINT_NAME.test(name)) return undefined;
    const rest = url.slice(end);
    return { name, url: rest.startsWith('/') ? rest : `/${rest}`, mountPath: `/e/${name}` };
  };
}
