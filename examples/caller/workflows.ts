/**
 * Workflows of another service (its own worker and task queue) that run a gridbatch study and
 * use its result. Two ways, both durable: the study's progress lives in gridbatch's workflows,
 * and a crash of either side loses nothing.
 *
 * - studyAsChild: a child workflow of type `studyPipeline` on gridbatch's task queue (same
 *   namespace). Only the type name and the StudyInput / StudyResult shapes are shared.
 * - studyViaNexus: the Nexus operation `gridbatch.runStudy` through an endpoint (any namespace;
 *   the caller needs no access to gridbatch's namespace or task queue).
 */
import { createNexusServiceClient, executeChild, ParentClosePolicy } from '@temporalio/workflow';
import { gridbatchService } from '../../src/nexus/service';
import type { StudyInput, StudyResult } from '../../src/contracts/workflow-types';

export interface CallerInput {
  study: StudyInput;
  /** gridbatch's task queue (studyAsChild; default `gridbatch`) */
  gridbatchTaskQueue?: string;
  /** Nexus endpoint of the gridbatch service (studyViaNexus; default `gridbatch`) */
  endpoint?: string;
}

/** What the caller does with the result: here, a one-line verdict. */
export interface CallerResult {
  verdict: string;
  result: StudyResult;
}

function verdict(r: StudyResult): string {
  return (
    `${r.batchId}: ${r.ok}/${r.jobs} ${r.task} jobs ok over ${r.scenarios} scenarios` +
    (r.failed ? `, ${r.failed} failed` : '')
  );
}

export async function studyAsChild(input: CallerInput): Promise<CallerResult> {
  const result = await executeChild<(i: StudyInput) => Promise<StudyResult>>('studyPipeline', {
    taskQueue: input.gridbatchTaskQueue ?? 'gridbatch',
    workflowId: input.study.batchId,
    args: [input.study],
    // the study keeps running if this caller is terminated: its results are still written
    parentClosePolicy: ParentClosePolicy.ABANDON,
    staticSummary: `gridbatch ${input.study.task} study for a caller workflow`,
  });
  return { verdict: verdict(result), result };
}

export async function studyViaNexus(input: CallerInput): Promise<CallerResult> {
  const gridbatch = createNexusServiceClient({ endpoint: input.endpoint ?? 'gridbatch', service: gridbatchService });
  const result = await gridbatch.executeOperation('runStudy', input.study, {
    scheduleToCloseTimeout: '2h',
    summary: `gridbatch ${input.study.task} study ${input.study.batchId}`,
  });
  return { verdict: verdict(result), result };
}
