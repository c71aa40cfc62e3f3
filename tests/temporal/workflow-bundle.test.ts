/**
 * The prebuilt workflow bundle: built once, then read from the cache; the key changes with any
 * workflow source file, so a changed workflow never runs an old bundle.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cachedWorkflowBundle, workflowSourceHash, workflowsPath } from '../../src/temporal/workflow-bundle';

describe('cached workflow bundle', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'gb-bundle-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  test('the first call builds and caches the bundle, the next one reads the same code from the cache', async () => {
    const cache = join(tmp, 'cache');
    const first = await cachedWorkflowBundle(workflowsPath(), cache);
    expect(first.hit).toBe(false);
    expect(first.path && existsSync(first.path)).toBe(true);
    expect(first.code).toContain('studyPipeline');
    expect(first.code).toContain('scenarioRun');
    const t0 = performance.now();
    const second = await cachedWorkflowBundle(workflowsPath(), cache);
    expect(second.hit).toBe(true);
    expect(second.path).toBe(first.path);
    expect(second.code).toBe(first.code);
    expect(performance.now() - t0).toBeLessThan(5_000); // no webpack run (a build takes seconds)
    expect(readdirSync(cache).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 120_000);

  test('the cache key changes when any workflow source changes, and only then', () => {
    const copy = join(tmp, 'workflows');
    cpSync(dirname(workflowsPath()), copy, { recursive: true });
    const entry = join(copy, 'index.ts');
    const before = workflowSourceHash(entry);
    expect(workflowSourceHash(entry)).toBe(before);
    writeFileSync(join(copy, 'scenario.ts'), '// changed\n', { flag: 'a' });
    expect(workflowSourceHash(entry)).not.toBe(before);
  });
});
