/**
 * A group of small scenarios (see scenario-groups.ts): one solve activity runs every chunk of
 * every scenario in the group on the worker's solve pool and returns each scenario's counts.
 * The activity heartbeats the scenarios it finished, so a retry (a worker that died) runs only
 * the others; files are replaced atomically, so nothing is lost or written twice.
 */
import { patched, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { solve, solveWaiting } from './activities-proxy';
import { StageKey } from './search-attributes';
import type { GroupInput, ScenarioResult } from '../contracts/workflow-types';

/** The Web UI's summary of a group's activity: task, count, first and last scenario. */
function activitySummary(input: GroupInput): string {
  const n = input.scenarios.length;
  return `${input.task} ${n} scenarios ${input.scenarios[0]?.id} .. ${input.scenarios[n - 1]?.id}`;
}

/**
 * The group's `solveScenarioGroup` activity; a cancel waits until it has stopped writing. A small
 * study's pipeline runs its groups with it directly (batch-run.ts, no scenarioGroup workflow).
 */
export function solveGroup(input: GroupInput, proxy: typeof solve = solveWaiting): Promise<ScenarioResult[]> {
  return proxy.solveScenarioGroup.executeWithOptions({ summary: activitySummary(input) }, [input]);
}

/**
 * Several small scenarios in one workflow: one `solveScenarioGroup` activity solves every chunk
 * of every scenario in the group and returns each scenario's counts, which the batch adds up.
 */
export async function scenarioGroup(input: GroupInput): Promise<ScenarioResult[]> {
  const n = input.scenarios.length;
  const jobs = input.scenarios.reduce((a, s) => a + s.jobs, 0);
  const first = input.scenarios[0]?.id;
  const last = input.scenarios[n - 1]?.id;
  setCurrentDetails(`${n} scenarios (${first} .. ${last}), ${jobs} jobs: solving`);
  // a cancel waits until the activity has stopped writing (histories from before replay without the marker)
  const proxy = patched('solve-cancel-waits') ? solveWaiting : solve;
  const results = await solveGroup(input, proxy);
  const ok = results.reduce((a, r) => a + r.ok, 0);
  const failed = results.reduce((a, r) => a + r.failed, 0);
  setCurrentDetails(`${n} scenarios (${first} .. ${last}): ${ok} ok, ${failed} failed of ${jobs} jobs`);
  if (input.searchAttributes) upsertSearchAttributes([{ key: StageKey, value: 'done' }]);
  return results;
}
