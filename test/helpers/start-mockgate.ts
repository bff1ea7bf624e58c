// Starts a real mockgate on port 0 with a fresh data directory; returns its URL, a small API client and close().
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig, type MockgateConfig } from '../../core/config.js';
import { createMockgate, type Mockgate, type MockgateOptions } from '../../core/index.js';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface ApiClient {
  get<T = any>(path: string): Promise<ApiResponse<T>>;
  post<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>>;
  put<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>>;
  patch<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>>;
  delete<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>>;
  /** Sends `raw` exactly as given (e.g. malformed JSON). */
  send<T = any>(method: string, path: string, raw: string | Buffer, headers?: Record<string, string>): Promise<ApiResponse<T>>;
}

export interface RunningMockgate {
  url: string;
  /** The plugins' listeners, e.g. `grpc://127.0.0.1:<port>`. */
  listenerUrls: string[];
  dataDir: string;
  api: ApiClient;
  mockgate: Mockgate;
  /** Stops the server; keeps the data directory unless `removeData` is true (the default). */
  close(options?: { removeData?: boolean }): Promise<void>;
}

export interface StartOptions extends MockgateOptions {
  config?: Partial<MockgateConfig>;
  /** Reuse a data directory (restart tests). */
  dataDir?: string;
  /** Sent as Authorization by the API client. */
  authorization?: string;
}

export async function startMockgate(options: StartOptions = {}): Promise<RunningMockgate> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'mockgate-test-'));
  const config = resolveConfig({ port: 0, grpcPort: 0, host: '127.0.0.1', logLevel: 'silent', ...options.config, dataDir });
  const mockgate = await createMockgate(config, options);
  const [url, ...listenerUrls] = await mockgate.listen();
  const api = createApiClient(url!, options.authorization);
  return {
    url: url!,
    listenerUrls,
    dataDir,
    api,
    mockgate,
    async close({ removeData = true } = {}) {
      await mockgate.close();
      if (removeData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function createApiClient(baseUrl: string, authorization?: string): ApiClient {
  const send = async (method: string, path: string, raw?: string | Buffer, extra: Record<string, string> = {}): Promise<ApiResponse> => {
    const headers: Record<string, string> = { ...extra };
    if (authorization !== undefined) headers['authorization'] = authorization;
    if (raw !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
    const res = await fetch(baseUrl + path, { method, headers, body: raw });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body };
  };
  const json = (method: string) => (path: string, body?: unknown) =>
    send(method, path, body === undefined ? undefined : JSON.stringify(body));
  return {
    get: json('GET'),
    post: json('POST'),
    put: json('PUT'),
    patch: json('PATCH'),
    delete: json('DELETE'),
    send,
  };
}

/** A v2 mock rule with one condition. */
export function mockRule(condition: Record<string, unknown>,
  response: { status?: number; body?: string; headers?: Array<{ key: string; value: string; templated?: boolean }>; templated?: boolean } = {},
  extra: Record<string, unknown> = {}) {
  return {
    enabled: true,
    method: '*',
    conditions: [condition],
    action: { type: 'mock', status: response.status ?? 200, headers: response.headers ?? [], body: response.body ?? 'ok',
      ...(response.templated === undefined ? {} : { templated: response.templated }) },
    ...extra,
  };
}
