/**
 * One scenario: its time slices in chunks, one solve activity per chunk (a local activity when
 * the chunks are short, see solve-placement.ts). A job that does not
 * converge is a result counted as failed, never a workflow failure. A scenario with very many
 * chunks continues as new (carrying the remaining ranges and the counts) before its history
 * grows long.
 */
import { continueAsNew, patched, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { StageKey } from './search-attributes';
import { solve, solveLocal, solveLocalWaiting, solveWaiting } from './activities-proxy';
import { chunkCount, chunkSlices } from '../contracts/chunk-plan';
import { STUDY_DEFAULTS } from '../contracts/study-defaults';
import type { ScenarioInput, ScenarioResult } from '../contracts/workflow-types';

/**
 * Local chunks that finish quickly all land in one workflow task completion (one marker each);
 * past this many the scenario continues as new, so that completion stays well under the
 * server's request size limits whatever the chunk count.
 */
export const MAX_LOCAL_CHUNKS_PER_TASK = 1_000;

/**
 * One scenario's solve chunks, in order, one `solveChunk` activity each (a local activity when
 * the batch placed short chunks locally). Chunks recorded by an earlier run are not in the plan
 * and their counts come in `scenario.prior`; a job that does not converge is counted as failed
 * and never fails the workflow. Before the history grows long it continues as new with the
 * remaining chunk ranges and its counts. Returns the scenario's ok and failed job counts.
 */
export async function scenarioRun(input: ScenarioInput): Promise<ScenarioResult> {
  const { scenario, chunkSize } = input;
  const chunks = chunkCount(scenario.jobs, chunkSize);
  // Inputs made before chunk plans were ranges list chunk numbers ([0, 2]): read them as
  // [[0, 1], [2, 3]], so those executions replay and an old-format page never runs zero chunks.
  // Remove (with the scenarioRun--legacy-chunk-list-input* fixtures) once no execution started
  // before 0.1.0's chunk ranges can be open: an input format, not a command, so no patched() id.
  const plan = scenario.chunks as ([number, number] | number)[] | undefined;
  const ranges = plan?.map((r): [number, number] => (typeof r === 'number' ? [r, r + 1] : r)) ?? [[0, chunks]];
  const limit = input.historyLimit ?? STUDY_DEFAULTS.historyLimit;
  // chunks recorded by an earlier run (of the batch, or of this workflow) keep their counts
  let ok = scenario.prior?.ok ?? 0;
  let failed = scenario.prior?.failed ?? 0;
  // A local chunk adds a marker event without a new workflow task, and historyLength only moves
  // with workflow tasks: count the local chunks since it last moved (both replay identically).
  let seenLength = workflowInfo().historyLength;
  let localSince = 0;
  const tooLong = () => {
    const len = workflowInfo().historyLength;
    if (len !== seenLength) [seenLength, localSince] = [len, 0];
    return len + localSince > limit || localSince >= MAX_LOCAL_CHUNKS_PER_TASK;
  };
  for (let k = 0; k < ranges.length; k++) {
    for (let c = ranges[k][0]; c < ranges[k][1]; c++) {
      if (tooLong()) {
        const rest: [number, number][] = [[c, ranges[k][1]], ...ranges.slice(k + 1)];
        await continueAsNew<typeof scenarioRun>({
          ...input,
          scenario: { ...scenario, chunks: rest, prior: { ok, failed } },
        });
      }
      const { sliceStart, sliceEnd } = chunkSlices(c, scenario.jobs, chunkSize);
      setCurrentDetails(
        `scenario ${scenario.id}: chunk ${c + 1} of ${chunks}, ${ok + failed} of ${scenario.jobs} jobs done (${failed} failed)`,
      );
      const ref = {
        outDir: input.outDir,
        task: input.task,
        scenarioIndex: scenario.index,
        scenarioId: scenario.id,
        chunk: c,
        sliceStart,
        sliceEnd,
        warmStart: input.warmStart,
        solver: input.solver,
      };
      const summary = `${input.task} ${scenario.id} slices ${sliceStart + 1}-${sliceEnd}`;
      // a cancel waits until the chunk has stopped writing (histories from before replay without the marker)
      const wait = patched('solve-cancel-waits');
      const proxy = input.local ? (wait ? solveLocalWaiting : solveLocal) : wait ? solveWaiting : solve;
      const r = await proxy.solveChunk.executeWithOptions({ summary }, [ref]);
      if (input.local) localSince++;
      ok += r.ok;
      failed += r.failed;
    }
  }
  setCurrentDetails(`scenario ${scenario.id}: ${ok} ok, ${failed} failed of ${scenario.jobs} jobs`);
  // Stage 'done' in the Web UI's list (histories recorded before this change replay without it;
  // remove the patch with the fixtures recorded before it once no such execution can be open)
  if (input.searchAttributes && patched('scenario-stage-done'))
    upsertSearchAttributes([{ key: StageKey, value: 'done' }]);
  return { scenarioId: scenario.id, ok, failed };
}
