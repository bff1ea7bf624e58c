// Which endpoint a request addresses: an endpoint's custom domain, Host `<name>.<base-domain>[:port]`, or the path prefix `/e/<name>/`.
import type { IncomingMessage } from 'node:http';
import { ENDPOINT_NAME } from './endpoints.js';

export interface EndpointTarget {
  name: string;
  /** Endpoint-relative URL, with its query string. */
  url: string;
  /** The prefix the client used before it: `/e/<name>`, or '' when routed by host. */
  mountPath: string;
}

/**
 * `customDomains` (lower-case domain → endpoint name) is read live, so settings changes apply to the next request.
 * A custom domain wins over `<name>.<base-domain>`; the base domain itself always stays the management API's.
 */
export function createEndpointResolver(baseDomain: string,
  customDomains: ReadonlyMap<string, string> = new Map()): (req: IncomingMessage) => EndpointTarget | undefined {
  const base = baseDomain.toLowerCase();
  const suffix = `.${base}`;
  return (req) => {
    const url = req.url ?? '/';
    const host = req.headers.host;
    if (host !== undefined) {
      const colon = host.lastIndexOf(':');
      const hostname = (colon > host.lastIndexOf(']') ? host.slice(0, colon) : host).toLowerCase();
      if (customDomains.size > 0 && hostname !== base) {
        const name = customDomains.get(hostname);
        if (name !== undefined) return { name, url, mountPath: '' };
      }
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
