// The template settings of the command line and environment: defaults, flags, and refusal of impossible values.
import { describe, expect, it } from 'vitest';
import { configFromArgs } from '../../../core/config.js';

describe('template configuration', () => {
  it('has the documented defaults', () => {
    expect(configFromArgs([], {})).toMatchObject({
      templatePoolSize: 0, templateTimeoutMs: 1000, templateMaxRepeat: 1000, templateCacheSize: 1000, templateWorkerHeapMb: 256,
    });
    expect(configFromArgs([], {})!.fakerSeed).toBeUndefined();
  });

  it('takes every template flag, and the faker seed from the environment', () => {
    const config = configFromArgs(['--template-pool-size', '3', '--template-timeout-ms', '250', '--template-max-repeat', '50',
      '--template-cache-size', '10', '--template-worker-heap-mb', '64'], { MOCKGATE_FAKER_SEED: '42' });
    expect(config).toMatchObject({
      templatePoolSize: 3, templateTimeoutMs: 250, templateMaxRepeat: 50, templateCacheSize: 10, templateWorkerHeapMb: 64, fakerSeed: 42,
    });
    expect(configFromArgs(['--faker-seed', '7'], { MOCKGATE_FAKER_SEED: '42' })!.fakerSeed).toBe(7);
  });

  it.each([
    [['--template-timeout-ms', '5'], /templateTimeoutMs/],
    [['--template-pool-size', '100'], /templatePoolSize/],
    [['--template-max-repeat', 'lots'], /templateMaxRepeat/],
    [['--faker-seed', '1.5'], /fakerSeed/],
  ])('refuses %j', (argv, message) => {
    expect(() => configFromArgs(argv, {})).toThrow(message);
  });
});
