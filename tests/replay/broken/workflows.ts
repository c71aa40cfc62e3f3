/**
 * The workflows with one non-deterministic change, for the replay test's negative control:
 * scenarioRun now waits on a timer before its first activity, so a recorded history (activity
 * first) no longer matches the commands the code emits.
 */
import { sleep } from '@temporalio/workflow';
import { scenarioRun as recorded } from '../../../src/workflows/scenario';
import type { ScenarioInput, ScenarioResult } from '../../../src/contracts/workflow-types';

export { studyPipeline, studyBatch } from '../../../src/workflows';

export async function scenarioRun(input: ScenarioInput): Promise<ScenarioResult> {
  await sleep('1s');
  return recorded(input);
}
