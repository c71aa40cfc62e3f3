/**
 * The fan-out: one child workflow per scenario (id `<batchId>/<scenarioId>`), or per group of
 * small scenarios (id `<batchId>/group/<first scenarioId>`, scenario-groups.ts), a sliding window
 * of at most `maxInFlight` running at once, scenario ids fetched in pages, and continue-as-new
 * (carrying only the cursor and counters) before the history grows long. The window, pages and
 * counts are batch-run.ts's (a small study runs them in its pipeline instead: small-study.ts).
 */
import { continueAsNew, setHandler } from '@temporalio/workflow';
import { batchProgressQuery } from './queries';
import { BatchRun, runPages } from './batch-run';
import type { BatchCounters, BatchInput } from '../contracts/workflow-types';

export { scenarioWorkflowId } from './batch-run';

/**
 * The fan-out of a study's scenarios. Reads scenario ids a page at a time (`listScenarios`),
 * counts the scenarios an earlier run finished without starting them, and starts one
 * `scenarioRun` child per scenario, or one `scenarioGroup` child per group of small ones, keeping
 * at most `maxInFlight` running (a sliding window). Before the history grows long it waits for
 * the running children and continues as new with only the cursor and the counters. A scenario
 * that fails on an output the user must fix (disk full, permissions) stops new starts and fails
 * the batch naming the path; a cancelled batch ends cancelled.
 */
export async function studyBatch(input: BatchInput): Promise<BatchCounters> {
  const run = new BatchRun(input);
  setHandler(batchProgressQuery, () => run.progress());
  run.showDetails();
  await runPages(run);
  if (run.cursor < input.totalScenarios) {
    await continueAsNew<typeof studyBatch>({ ...input, cursor: run.cursor, counters: run.counters });
  }
  run.showDetails();
  return run.counters;
}
