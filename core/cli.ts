#!/usr/bin/env node
// `npm start`: parse flags and environment, start mockgate, print one line per listener, stop cleanly on a signal.
import { USAGE, configFromArgs, isLoopback, type MockgateConfig } from './config.js';
import { createMockgate } from './index.js';
import { createLogger } from './logger.js';

async function main(): Promise<void> {
  let config: MockgateConfig | undefined;
  try {
    config = configFromArgs(process.argv.slice(2), process.env);
  } catch (err) {
    process.stderr.write(`mockgate: ${(err as Error).message}\n\n${USAGE}`);
    process.exit(1);
  }
  if (config === undefined) {
    process.stdout.write(USAGE);
    return;
  }
  if (!config.apiKey && !isLoopback(config.host)) {
    process.stderr.write(`mockgate: refusing to listen on ${config.host} without an API key: anyone who can reach it could ` +
      'change its mocks. Set --api-key (or MOCKGATE_API_KEY), or listen on 127.0.0.1.\n');
    process.exit(1);
  }
  const log = createLogger(config.logLevel);
  const mockgate = await createMockgate(config, { log });
  const urls = await mockgate.listen();
  for (const url of urls) process.stdout.write(`mockgate listening on ${url}\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    mockgate.close().then(() => process.exit(0), (err: unknown) => {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`mockgate: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
