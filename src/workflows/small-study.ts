/**
 * A small study runs its scenario groups from its pipeline: each group is one
 * `solveScenarioGroup` activity of the pipeline itself, with no studyBatch and no scenarioGroup
 * workflow in between. The 1,000 one-slice case118 scenarios of the GAT-format study (two groups)
 * spent ~0.13 s between materialize and the first solve starting those two levels (a child
 * start, its first workflow task and a page read, then two more child starts and their first
 * tasks) and ~0.04 s after the last solve passing the counts back up.
 *
 * What stays: the same activity, input, retries and heartbeated per-scenario progress as in a
 * group workflow (a retried attempt runs only the scenarios not done; retry-failed and resume
 * read the same pages); a cancel waits for the activities to stop; the activity's summary and
 * the pipeline's current details name each running group's scenarios (first .. last, in
 * manifest order). Pure and deterministic (workflow code): the choice depends on the options and
 * materialize's counts, recorded in history.
 */
import { BatchRun, batchChunkSize, runPages } from './batch-run';
import { GROUP_MIN_SCENARIOS, GROUP_TARGET_MS } from './scenario-groups';
import { CHUNK_FIXED_MS, estimatedChunkMs } from './solve-placement';
import type { BatchCounters, BatchInput, StudyProgress } from '../contracts/workflow-types';

/**
 * A study estimated at most this much solving (about four groups' worth) runs in its pipeline:
 * its history then holds a few activities, while a larger study keeps its own batch workflow
 * (window, continue-as-new) and gains little from a level less.
 */
export const SMALL_STUDY_MS = 4 * GROUP_TARGET_MS;

/**
 * Estimated solving of a whole study: every scenario's chunks (at most one more per scenario
 * than the jobs fill) at CHUNK_FIXED_MS, plus its jobs (an upper bound of the sum of
 * estimatedScenarioMs over its scenarios).
 */
export function estimatedStudyMs(input: BatchInput, buses: number): number {
  const chunks = input.totalScenarios + Math.ceil(input.totalJobs / batchChunkSize(input));
  return chunks * CHUNK_FIXED_MS + input.totalJobs * estimatedChunkMs(input.task, buses, 1);
}

/**
 * True when the study's scenarios are grouped (scenario-groups.ts), it is estimated at most
 * SMALL_STUDY_MS and its options do not ask for a batch workflow (`batchWorkflow: 'always'`).
 */
export function runsInPipeline(input: BatchInput): boolean {
  const mode = input.options.scenarioGroups;
  if (input.options.batchWorkflow === 'always' || input.buses === undefined || mode === 'never') return false;
  if (mode !== 'always' && input.totalScenarios <= GROUP_MIN_SCENARIOS) return false;
  return estimatedStudyMs(input, input.buses) <= SMALL_STUDY_MS;
}

/**
 * The batch of a small study, run by its pipeline: pages, window and counts as in studyBatch,
 * groups as activities of the pipeline, `progress` kept current. Should the pipeline's history
 * grow long first (a small `historyLimit`), the scenarios not started yet go on in a studyBatch
 * child (`rest`) from the cursor and counts reached.
 */
export async function runInPipeline(
  input: BatchInput,
  progress: StudyProgress,
  rest: (input: BatchInput) => Promise<BatchCounters>,
): Promise<BatchCounters> {
  const show = (c: BatchCounters) => {
    progress.scenariosDone = c.scenariosDone;
    progress.jobsOk = c.jobsOk;
    progress.jobsFailed = c.jobsFailed;
  };
  const run = new BatchRun(input, { groupsInline: true, detailsPrefix: 'stage batch: ', onCount: show });
  run.showDetails();
  await runPages(run);
  show(run.counters);
  if (run.cursor >= input.totalScenarios) return run.counters;
  return rest({ ...input, cursor: run.cursor, counters: run.counters });
}
