/**
 * CI never turns green by skipping: a jest run with CI=true on a machine without Chromium (a
 * binary path that does not exist stands in for the missing package) fails before any test, in
 * one line naming Chromium and how to install it. Without CI the same run passes and ends with
 * the one summary line of what was skipped.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const JEST = resolve(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');

function jestRun(ci: boolean, testFile: string): { status: number | null; out: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, GRIDBATCH_CHROMIUM: resolve(ROOT, 'no-such-chromium') };
  // what this run's globalSetup passed on must not leak into the child run
  delete env.GRIDBATCH_OPTIONAL_TOOLS;
  delete env.GRIDBATCH_TEST_PORT;
  delete env.GRIDBATCH_DEV_CONFIG;
  if (ci) env.CI = 'true';
  else delete env.CI;
  const r = spawnSync(process.execPath, [JEST, '--runInBand', testFile], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

test('CI=true without Chromium fails in one line naming Chromium', () => {
  const r = jestRun(true, 'tests/workflows/solve-placement.test.ts');
  expect(r.status).not.toBe(0);
  const lines = r.out.split('\n').filter((l) => l.includes('tools the tests need are missing'));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^CI=true and tools the tests need are missing: Chromium \(apt-get install -y chromium/);
  expect(r.out).not.toMatch(/Tests:\s+\d+ passed/); // no test ran
}, 300_000);

test('without CI the Chromium tests are skipped and one line says so', () => {
  const r = jestRun(false, 'tests/report/screenshot.test.ts');
  expect(r.status).toBe(0);
  expect(r.out).toMatch(/Tests:\s+1 skipped, 1 total/);
  expect(r.out.split('\n').filter((l) => l.startsWith('SKIPPED: '))).toEqual([
    'SKIPPED: Chromium missing, skipped tests/report/screenshot.test.ts (install: apt-get install -y chromium (or set GRIDBATCH_CHROMIUM to a Chromium binary))',
  ]);
}, 300_000);
