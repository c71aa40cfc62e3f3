/**
 * Before any test: checks the optional tools (with CI=true a missing one fails the run here, in
 * one line naming what to install) and starts the test dev server once for the whole run
 * (integration tests connect to it).
 */
import { rmSync } from 'node:fs';
import { readDevConfig } from '../../src/temporal/config';
import { ensureDevServer } from '../../src/temporal/dev-server';
import { checkOptionalTools, inCi, missingToolsLine } from './requirements';
import { freePortPair, testStateDir, writeTestConfig } from './test-server';

export default async function globalSetup(): Promise<void> {
  const missing = checkOptionalTools();
  if (inCi() && Object.keys(missing).length > 0) {
    const line = `CI=true and tools the tests need are missing: ${missingToolsLine(missing)}`;
    const e = new Error(line);
    e.stack = line; // the one line is the whole message: no stack trace
    throw e;
  }
  const port = await freePortPair();
  process.env.GRIDBATCH_TEST_PORT = String(port);
  rmSync(testStateDir(port), { recursive: true, force: true });
  process.env.GRIDBATCH_DEV_CONFIG = writeTestConfig(port);
  delete process.env.TEMPORAL_ADDRESS;
  await ensureDevServer(readDevConfig(), 90_000);
}
