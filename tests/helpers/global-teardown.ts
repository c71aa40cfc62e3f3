/** Stops the test dev server (unless GRIDBATCH_KEEP_TEST_SERVER is set, to look at the Web UI). */
import { rmSync } from 'node:fs';
import { readDevConfig } from '../../src/temporal/config';
import { stopDevServer } from '../../src/temporal/dev-server';
import { testStateDir, writeTestConfig } from './test-server';

export default async function globalTeardown(): Promise<void> {
  if (process.env.GRIDBATCH_KEEP_TEST_SERVER) return;
  process.env.GRIDBATCH_DEV_CONFIG = writeTestConfig();
  await stopDevServer(readDevConfig());
  rmSync(testStateDir(), { recursive: true, force: true });
}
