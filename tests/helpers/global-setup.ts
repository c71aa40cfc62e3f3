/** Starts the test dev server once for the whole run (integration tests connect to it). */
import { rmSync } from 'node:fs';
import { readDevConfig } from '../../src/temporal/config';
import { ensureDevServer } from '../../src/temporal/dev-server';
import { freePortPair, testStateDir, writeTestConfig } from './test-server';

export default async function globalSetup(): Promise<void> {
  const port = await freePortPair();
  process.env.GRIDBATCH_TEST_PORT = String(port);
  rmSync(testStateDir(port), { recursive: true, force: true });
  process.env.GRIDBATCH_DEV_CONFIG = writeTestConfig(port);
  delete process.env.TEMPORAL_ADDRESS;
  await ensureDevServer(readDevConfig(), 90_000);
}
