/**
 * The warm-up of a small study's solve thread (src/activities/thread-warmup.ts, warmSolveThread in
 * solve-pool.ts): the tiny study of the same grid, task and layout is materialized and solved by
 * the study's own code (read back with pyarrow-free checks: files and job counts), on the real
 * solve pool; the warm-up removes its folder, and stops at the study's first solve task.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { closeSolvePool, runChunkInPool, warmSolveThread } from '../../src/activities/solve-pool';
import { warmStudy } from '../../src/activities/thread-warmup';
import { openScenarioSource } from '../../src/io/scenario-source';
import { walkFiles } from '../../src/io/walk-files';

const CASE118 = resolve(__dirname, '..', '..', 'examples', 'cases', 'case118.m');
const tmp = mkdtempSync(join(tmpdir(), 'gridbatch-warmup-test-'));
// the warm-up's folders go to os.tmpdir(): this suite's own, so another process's warm-up on the
// same machine cannot show up among them
const tmpBefore = process.env.TMPDIR;
process.env.TMPDIR = tmp;
afterAll(() => {
  if (tmpBefore === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = tmpBefore;
  rmSync(tmp, { recursive: true, force: true });
});

const warmFolders = () => new Set(readdirSync(tmpdir()).filter((f) => f.startsWith('gridbatch-warm-')));

describe('the tiny study of a warm-up, in process', () => {
  test.each(['bucket', 'scenario_id'] as const)(
    '%s layout: materialized, its jobs solved and written, its manifest written',
    async (layout) => {
      const dir = join(tmp, layout);
      const base = { dir, gridFile: CASE118, task: 'pf_dc' as const, partitionBy: layout, scenarios: 6 };
      expect(await warmStudy({ ...base, step: 'materialize' })).toBe(0);
      const head = openScenarioSource(join(dir, 'out')).head;
      expect(head.num_scenarios).toBe(6);
      expect(head.partition_by).toBe(layout);
      expect(await warmStudy({ ...base, step: { from: 0, to: 4 } })).toBe(4);
      expect(await warmStudy({ ...base, step: 'manifest' })).toBe(0);
      expect(existsSync(join(dir, 'out', 'batch_manifest.parquet'))).toBe(true);
      expect(await warmStudy({ ...base, step: { from: 4, to: 6 } })).toBe(2);
      const parquet: string[] = [];
      walkFiles(join(dir, 'out', 'results'), (f) => f.endsWith('.parquet') && parquet.push(f));
      // bucket: one file per table and step; scenario_id: one per table and scenario
      expect(parquet.length).toBe(layout === 'bucket' ? 2 * 4 : 6 * 4);
    },
  );
});

describe('warmSolveThread on the solve pool', () => {
  beforeAll(async () => closeSolvePool());
  afterEach(async () => closeSolvePool());

  test('solves its jobs in steps and removes its folder', async () => {
    const before = warmFolders();
    const solved = await warmSolveThread({
      gridFile: CASE118,
      task: 'pf_dc',
      partitionBy: 'bucket',
      jobs: 10,
      stepJobs: 4,
    });
    expect(solved).toBe(10);
    expect([...warmFolders()].filter((f) => !before.has(f))).toEqual([]);
  });

  test("stops at the study's first solve task (which waits for at most one step)", async () => {
    const before = warmFolders();
    const warm = warmSolveThread({ gridFile: CASE118, task: 'pf_dc', partitionBy: 'bucket', jobs: 32, stepJobs: 4 });
    // a chunk of a study that is not there: the thread reports it, the warm-up has stopped
    const missing = join(tmp, 'not-materialized');
    await expect(
      runChunkInPool({
        outDir: missing,
        task: 'pf_dc',
        scenarioIndex: 0,
        scenarioId: 'x',
        chunk: 0,
        sliceStart: 0,
        sliceEnd: 1,
      }),
    ).rejects.toThrow();
    expect(await warm).toBe(0);
    expect(existsSync(missing)).toBe(false);
    expect([...warmFolders()].filter((f) => !before.has(f))).toEqual([]);
  });

  test('closing the pool ends a running warm-up after its step, never inside it', async () => {
    let ended = false;
    const warm = warmSolveThread({ gridFile: CASE118, task: 'pf_dc', partitionBy: 'bucket', jobs: 32, stepJobs: 4 });
    void warm.then(() => (ended = true));
    await new Promise((r) => setTimeout(r, 50));
    await closeSolvePool();
    // the pool was destroyed only after the warm-up had ended (between two steps)
    expect(ended).toBe(true);
    expect(await warm).toBeLessThan(32);
  });
});
