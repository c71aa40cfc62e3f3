/**
 * One scenario: its time slices in chunks, one solve activity per chunk. A job that does not
 * converge is a result counted as failed, never a workflow failure.
 */
import { setCurrentDetails } from '@temporalio/workflow';
import { solve } from './activities-proxy';
import type { ScenarioInput, ScenarioResult } from './types';

export async function scenarioRun(input: ScenarioInput): Promise<ScenarioResult> {
  const { scenario, chunkSize } = input;
  const chunks = Math.ceil(scenario.jobs / chunkSize);
  const todo = scenario.chunks ?? Array.from({ length: chunks }, (_, c) => c);
  // chunks recorded by an earlier run of the batch keep their counts
  let ok = scenario.prior?.ok ?? 0;
  let failed = scenario.prior?.failed ?? 0;
  for (const c of todo) {
    const sliceStart = c * chunkSize;
    const sliceEnd = Math.min(scenario.jobs, sliceStart + chunkSize);
    setCurrentDetails(`scenario ${scenario.id}: chunk ${c + 1}/${chunks}, jobs ${ok + failed}/${scenario.jobs} done (${failed} failed)`);
    const r = await solve.solveChunk.executeWithOptions(
      { summary: `${input.task} ${scenario.id} slices ${sliceStart + 1}-${sliceEnd}` },
      [{ outDir: input.outDir, task: input.task, scenarioIndex: scenario.index, scenarioId: scenario.id, chunk: c, sliceStart, sliceEnd, warmStart: input.warmStart, solver: input.solver }],
    );
    ok += r.ok;
    failed += r.failed;
  }
  setCurrentDetails(`scenario ${scenario.id}: ${ok} ok, ${failed} failed of ${scenario.jobs} jobs`);
  return { scenarioId: scenario.id, ok, failed };
}
