/**
 * The prebuilt workflow bundle: built once, then read from the cache; the key changes with any
 * workflow source file, so a changed workflow never runs an old bundle.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  cachedWorkflowBundle,
  withoutSourcesContent,
  workflowSourceHash,
  workflowsPath,
} from '../../src/temporal/workflow-bundle';

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

  test('the bundle keeps an inline source map with its sources and mappings, without their text', async () => {
    const { code } = await cachedWorkflowBundle(workflowsPath(), join(tmp, 'cache'));
    const at = code.lastIndexOf('//# sourceMappingURL=data:application/json;charset=utf-8;base64,');
    expect(at).toBeGreaterThan(0);
    const map = JSON.parse(Buffer.from(code.slice(at).split('base64,')[1], 'base64').toString('utf8')) as {
      sources: string[];
      mappings: string;
      sourcesContent?: unknown;
    };
    expect(map.sources.some((s) => s.endsWith('workflows/pipeline.ts'))).toBe(true);
    expect(map.mappings.length).toBeGreaterThan(1000);
    expect(map.sourcesContent).toBeUndefined();
    // the code before the map is the bundler's, byte for byte
    const full = { version: 3, sources: ['a.ts'], mappings: 'AAAA', sourcesContent: ['const a = 1;'] };
    const bundled = `var a = 1;\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(full)).toString('base64')}`;
    const stripped = withoutSourcesContent(bundled);
    expect(stripped.startsWith('var a = 1;\n//# sourceMappingURL=data:application/json;base64,')).toBe(true);
    expect(JSON.parse(Buffer.from(stripped.split('base64,')[1], 'base64').toString('utf8'))).toEqual({
      version: 3,
      sources: ['a.ts'],
      mappings: 'AAAA',
    });
    expect(withoutSourcesContent('var a = 1;\n')).toBe('var a = 1;\n');
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
