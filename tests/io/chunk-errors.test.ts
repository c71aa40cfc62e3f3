/**
 * A solve chunk's user-fixable errors cross the solve thread's boundary with their kind intact
 * (piscina copies a thrown Error as a plain `Error`: an InputError used to come back as a
 * transient error and was retried 20 times). Real solve pool, real files.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { materializeStudy } from '../../src/activities/materialize';
import { closeSolvePool, runChunkInPool } from '../../src/activities/solve-pool';
import type { ChunkRef } from '../../src/contracts/workflow-types';

const SPEC = resolve(__dirname, '..', '..', 'examples', 'specs-gallery', 'profile-day.yaml');
const tmp = mkdtempSync(join(tmpdir(), 'gridbatch-chunk-errors-'));
afterAll(async () => {
  await closeSolvePool();
  rmSync(tmp, { recursive: true, force: true });
});

function study(name: string): ChunkRef {
  const outDir = join(tmp, name);
  materializeStudy({ batchId: name, specPath: SPEC, outDir, task: 'pf_dc', options: {} });
  return { outDir, task: 'pf_dc', scenarioIndex: 0, scenarioId: 'base', chunk: 0, sliceStart: 0, sliceEnd: 2 };
}

test('control: the chunk solves and writes its parts and record', async () => {
  const ref = study('ok');
  await expect(runChunkInPool(ref)).resolves.toEqual({ ok: 2, failed: 0 });
}, 60_000);

test('an InputError in the thread comes back as an InputError (non-retryable), not a plain Error', async () => {
  const ref = study('input');
  const p = join(ref.outDir, 'inputs', 'profiles.resolved.json');
  const prof = JSON.parse(readFileSync(p, 'utf8')) as { times: string[]; values: unknown[] };
  writeFileSync(p, JSON.stringify({ ...prof, times: prof.times.slice(1), values: prof.values.slice(1) }));
  await expect(runChunkInPool(ref)).rejects.toMatchObject({
    name: 'InputError',
    message: expect.stringContaining('is not in the profile'),
  });
}, 60_000);

test('a results path that is a file: an OutputError naming it, and no part or temporary file left', async () => {
  const ref = study('output');
  writeFileSync(join(ref.outDir, 'results'), '');
  await expect(runChunkInPool(ref)).rejects.toMatchObject({
    name: 'OutputError',
    message: expect.stringMatching(
      /results\/pf_dc\/bus\/scenario_id=base: a part of the path is a file, not a folder \(ENOTDIR\)$/,
    ),
  });
  expect(readdirSync(ref.outDir).sort()).toEqual([
    'grid',
    'inputs',
    'results',
    'run_record.json',
    'scenario_manifest.index',
    'scenario_manifest.json',
  ]);
}, 60_000);
