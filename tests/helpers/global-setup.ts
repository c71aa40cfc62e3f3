/** Starts the test dev server once for the whole run (integration tests connect to it). */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { readDevConfig } from '../../src/temporal/config';
import { ensureDevServer, stopDevServer } from '../../src/temporal/dev-server';
import { TEST_STATE, writeTestConfig } from './test-server';

export default async function globalSetup(): Promise<void> {
  process.env.GRIDBATCH_DEV_CONFIG = writeTestConfig();
  delete process.env.TEMPORAL_ADDRESS;
  const cfg = readDevConfig();
  await stopDevServer(cfg);
  rmSync(join(TEST_STATE, 'test.sqlite'), { force: true });
  await ensureDevServer(cfg, 90_000);
}
