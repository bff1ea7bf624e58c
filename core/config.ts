// Server configuration: defaults and schema from config/config.schema.json, then environment, then command line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Ajv } from 'ajv';
import { PACKAGE_ROOT } from './package-root.js';

export interface MockgateConfig {
  host: string;
  port: number;
  grpcPort: number;
  dataDir: string;
  apiKey?: string;
  baseDomain: string;
  autoCreateEndpoints: boolean;
  maxBodyBytes: number;
  maxBlobBytes: number;
  maxSpecBytes: number;
  specTimeoutMs: number;
  journal: boolean;
  journalMaxBodyBytes: number;
  journalMaxEntries: number;
  journalRetentionDays: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  shutdownTimeoutMs: number;
  templatePoolSize: number;
  templateTimeoutMs: number;
  templateMaxRepeat: number;
  templateCacheSize: number;
  templateWorkerHeapMb: number;
  fakerSeed?: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  plugins: string[];
}

const schema = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'config', 'config.schema.json'), 'utf8')) as object;
const validate = new Ajv({ useDefaults: true, coerceTypes: true, allErrors: true }).compile(schema);

/** Fills defaults and checks types; throws an Error naming each bad setting. */
export function resolveConfig(partial: Partial<MockgateConfig> = {}): MockgateConfig {
  const config: Record<string, unknown> = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined && v !== ''));
  if (!validate(config)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath.slice(1) || 'config'} ${e.message}`);
    throw new Error(`invalid configuration: ${problems.join('; ')}`);
  }
  return config as unknown as MockgateConfig;
}

const FLAGS = {
  port: { type: 'string' },
  'grpc-port': { type: 'string' },
  host: { type: 'string' },
  'data-dir': { type: 'string' },
  'api-key': { type: 'string' },
  'base-domain': { type: 'string' },
  'max-body-bytes': { type: 'string' },
  'max-blob-bytes': { type: 'string' },
  'max-spec-bytes': { type: 'string' },
  'spec-timeout-ms': { type: 'string' },
  'journal-max-body-bytes': { type: 'string' },
  'journal-max-entries': { type: 'string' },
  'journal-retention-days': { type: 'string' },
  'log-level': { type: 'string' },
  'template-pool-size': { type: 'string' },
  'template-timeout-ms': { type: 'string' },
  'template-max-repeat': { type: 'string' },
  'template-cache-size': { type: 'string' },
  'template-worker-heap-mb': { type: 'string' },
  'faker-seed': { type: 'string' },
  plugin: { type: 'string', multiple: true },
  'no-auto-create': { type: 'boolean' },
  'no-journal': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const USAGE = `Usage: mockgate [options]

  --port <n>            HTTP port (MOCKGATE_PORT; default 8080; 0 picks a free port)
  --grpc-port <n>       gRPC port (MOCKGATE_GRPC_PORT; default 50051; 0 picks a free port)
  --host <addr>         interface (MOCKGATE_HOST; default 127.0.0.1)
  --data-dir <dir>      SQLite data directory (MOCKGATE_DATA_DIR; default ./data)
  --api-key <key>       key for /api calls (MOCKGATE_API_KEY); required on a non-loopback host
  --base-domain <name>  <endpoint>.<name> reaches an endpoint (MOCKGATE_BASE_DOMAIN; default localhost)
  --max-body-bytes <n>  largest request body kept by the data plane (default 10485760)
  --max-blob-bytes <n>  largest blob upload (MOCKGATE_MAX_BLOB_BYTES; default 52428800)
  --max-spec-bytes <n>  largest specification upload (default 2621440)
  --spec-timeout-ms <n> a specification import fails after this long (default 300000)
  --journal-max-body-bytes <n>  bodies are journaled up to this size (default 1048576)
  --journal-max-entries <n>     journal entries kept per endpoint (default 10000)
  --journal-retention-days <n>  journal entries older than this are purged (default 10)
  --template-pool-size <n>      template worker threads (default: CPU count − 1, at least 1)
  --template-timeout-ms <n>     a template render is stopped after this long (default 1000)
  --template-max-repeat <n>     largest {{#repeat}} count (default 1000)
  --template-cache-size <n>     compiled templates each worker keeps (default 1000)
  --template-worker-heap-mb <n> heap limit of a template worker (default 256)
  --faker-seed <n>      seed faker before every render: reproducible templated responses (MOCKGATE_FAKER_SEED)
  --log-level <level>   fatal, error, warn, info, debug, trace or silent (MOCKGATE_LOG_LEVEL; default info)
  --plugin <path|pkg>   load an extra plugin (repeatable)
  --no-auto-create      answer 404 for unknown endpoints instead of creating them
  --no-journal          record nothing (the history APIs answer empty lists)
  -h, --help            this text
`;

/** Command line over environment over defaults. Returns undefined when help was asked for. */
export function configFromArgs(argv: readonly string[], env: NodeJS.ProcessEnv): MockgateConfig | undefined {
  const { values } = parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false });
  if (values.help) return undefined;
  return resolveConfig({
    port: (values.port ?? env['MOCKGATE_PORT']) as unknown as number,
    grpcPort: (values['grpc-port'] ?? env['MOCKGATE_GRPC_PORT']) as unknown as number,
    host: values.host ?? env['MOCKGATE_HOST'],
    dataDir: values['data-dir'] ?? env['MOCKGATE_DATA_DIR'],
    apiKey: values['api-key'] ?? env['MOCKGATE_API_KEY'],
    baseDomain: values['base-domain'] ?? env['MOCKGATE_BASE_DOMAIN'],
    maxBodyBytes: values['max-body-bytes'] as unknown as number,
    maxBlobBytes: (values['max-blob-bytes'] ?? env['MOCKGATE_MAX_BLOB_BYTES']) as unknown as number,
    maxSpecBytes: values['max-spec-bytes'] as unknown as number,
    specTimeoutMs: values['spec-timeout-ms'] as unknown as number,
    journalMaxBodyBytes: values['journal-max-body-bytes'] as unknown as number,
    journalMaxEntries: values['journal-max-entries'] as unknown as number,
    journalRetentionDays: values['journal-retention-days'] as unknown as number,
    templatePoolSize: values['template-pool-size'] as unknown as number,
    templateTimeoutMs: values['template-timeout-ms'] as unknown as number,
    templateMaxRepeat: values['template-max-repeat'] as unknown as number,
    templateCacheSize: values['template-cache-size'] as unknown as number,
    templateWorkerHeapMb: values['template-worker-heap-mb'] as unknown as number,
    fakerSeed: (values['faker-seed'] ?? env['MOCKGATE_FAKER_SEED']) as unknown as number,
    logLevel: (values['log-level'] ?? env['MOCKGATE_LOG_LEVEL']) as MockgateConfig['logLevel'],
    plugins: values.plugin,
    autoCreateEndpoints: values['no-auto-create'] ? false : undefined,
    journal: values['no-journal'] ? false : undefined,
  });
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/;

export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host);
}
