/**
 * Stops the test dev server (unless GRIDBATCH_KEEP_TEST_SERVER is set, to look at the Web UI) and
 * prints one line naming the test groups skipped for a missing tool and how to install it.
 */
import { rmSync } from 'node:fs';
import { readDevConfig } from '../../src/temporal/config';
import { stopDevServer } from '../../src/temporal/dev-server';
import { skippedSummary } from './requirements';
import { stopLeftoverS3Servers } from './s3-server';
import { testStateDir, writeTestConfig } from './test-server';

export default async function globalTeardown(): Promise<void> {
  const skipped = skippedSummary();
  if (skipped) console.warn(`\n${skipped}`);
  stopLeftoverS3Servers(); // S3 servers of test files that ended without stopping theirs
  if (process.env.GRIDBATCH_KEEP_TEST_SERVER) return;
  process.env.GRIDBATCH_DEV_CONFIG = writeTestConfig();
  await stopDevServer(readDevConfig());
  rmSync(testStateDir(), { recursive: true, force: true });
}
