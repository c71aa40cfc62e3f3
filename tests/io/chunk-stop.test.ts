/**
 * Cooperative stop of a solve chunk (src/solvers/stop.ts) on the real solve pool, with KLU as the
 * LU where it is installed (with CI=true it must be) and with the TypeScript LU: a job over
 * --job-timeout ends as a failed job ("job timeout after N s") and the chunk goes on; a cancel
 * (the activity's abort signal) ends the chunk within a second or two, writes nothing, and the
 * same thread solves the next chunk. A thread ended inside KLU's native code used to take the
 * process down: were that to happen here, the jest process dies and the suite fails.
 *
 * The diverging job: case14 at 6x load (specs-ops/case14-collapse.yaml) with 2,000,000 Newton
 * iterations allowed runs for minutes.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { materializeStudy } from '../../src/activities/materialize';
import { closeSolvePool, runChunkInPool } from '../../src/activities/solve-pool';
import { layout } from '../../src/io/layout';
import type { ChunkRef } from '../../src/contracts/workflow-types';
import { luBackends, useLuBackend } from '../helpers/lu-backends';

const SPEC = resolve(__dirname, '..', 'fixtures', 'specs-ops', 'case14-collapse.yaml');
const tmp = mkdtempSync(join(tmpdir(), 'gridbatch-chunk-stop-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Chunk of scenario `id` (0 base, 1 collapse) with both time slices. */
function chunkOf(name: string, scenarioIndex: 0 | 1, solver: ChunkRef['solver']): ChunkRef {
  const outDir = join(tmp, name);
  materializeStudy({ batchId: name, specPath: SPEC, outDir, task: 'pf_ac', options: {} });
  return {
    outDir,
    task: 'pf_ac',
    scenarioIndex,
    scenarioId: scenarioIndex === 0 ? 'base' : 'collapse',
    chunk: 0,
    sliceStart: 0,
    sliceEnd: 2,
    solver,
  };
}

function records(ref: ChunkRef): { status: string; error: string | null }[] {
  return JSON.parse(readFileSync(layout.jobRecord(ref.outDir, 'pf_ac', ref.scenarioId, ref.chunk), 'utf8')) as {
    status: string;
    error: string | null;
  }[];
}

describe.each(luBackends('cooperative chunk stop'))('LU %s', (backend) => {
  useLuBackend(backend);
  // the pool's threads copy the environment when they start: a fresh pool per backend
  beforeAll(async () => closeSolvePool());
  afterAll(async () => closeSolvePool());

  test('a job over --job-timeout is a failed job with that reason; the chunk goes on', async () => {
    const ref = chunkOf(`timeout-${backend}`, 1, { maxIt: 2_000_000, jobTimeoutS: 1 });
    const t0 = Date.now();
    await expect(runChunkInPool(ref)).resolves.toEqual({ ok: 0, failed: 2 });
    // two jobs of 1 s each, plus the thread's start
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(records(ref)).toEqual([
      expect.objectContaining({ status: 'failed', error: 'job timeout after 1 s (--job-timeout)' }),
      expect.objectContaining({ status: 'failed', error: 'job timeout after 1 s (--job-timeout)' }),
    ]);
    // the thread lives on: the base scenario solves next, with the timeout armed but not reached
    const base = chunkOf(`timeout-base-${backend}`, 0, { jobTimeoutS: 60 });
    await expect(runChunkInPool(base)).resolves.toEqual({ ok: 2, failed: 0 });
  }, 120_000);

  test('a cancel ends a running chunk promptly, writes nothing, and the thread solves the next chunk', async () => {
    const ref = chunkOf(`cancel-${backend}`, 1, { maxIt: 2_000_000 });
    const ac = new AbortController();
    const reason = new Error('cancelled by the test');
    const run = runChunkInPool(ref, ac.signal);
    // let the solve get going (the thread may need a few seconds to start on a loaded machine)
    await new Promise((r) => setTimeout(r, 3000));
    const t0 = Date.now();
    ac.abort(reason);
    await expect(run).rejects.toBe(reason);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(existsSync(layout.jobRecord(ref.outDir, 'pf_ac', ref.scenarioId, ref.chunk))).toBe(false);
    const base = chunkOf(`cancel-base-${backend}`, 0, {});
    await expect(runChunkInPool(base)).resolves.toEqual({ ok: 2, failed: 0 });
  }, 120_000);

  test('an already aborted signal runs nothing', async () => {
    const ref = chunkOf(`aborted-${backend}`, 0, {});
    const ac = new AbortController();
    ac.abort(new Error('already cancelled'));
    await expect(runChunkInPool(ref, ac.signal)).rejects.toThrow('already cancelled');
    expect(existsSync(layout.jobRecord(ref.outDir, 'pf_ac', ref.scenarioId, ref.chunk))).toBe(false);
  }, 60_000);
});
