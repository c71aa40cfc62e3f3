/** Where scripts/ensure-test-server.cjs puts the launcher of Temporal's Java test server. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Keep in step with VERSION in scripts/ensure-test-server.cjs. */
export const TEST_SERVER_VERSION = '1.31.0';

export function testServerLauncher(): string {
  const root = resolve(__dirname, '..', '..');
  const tools = process.env.GRIDBATCH_TOOLS_DIR ? resolve(process.env.GRIDBATCH_TOOLS_DIR) : join(root, '.tools');
  return join(tools, 'temporal-test-server', TEST_SERVER_VERSION, 'temporal-test-server');
}

/** Why the Java test server cannot start here, or undefined when its launcher is in place. */
export function testServerMissing(): string | undefined {
  const path = testServerLauncher();
  return existsSync(path) ? undefined : `no launcher at ${path}`;
}
