/**
 * A screened contingency study (`start-batch --screen dc --screen-top K`): the DC power flow of
 * every scenario and time slice first (a whole study in <out>/screen-dc), then the study's own task
 * on the K scenarios the DC stage ranked most severe, into <out>; both stages are recorded in
 * <out>/batch_manifest.json (`stages`). Each stage is an ordinary studyPipeline child.
 */
import { executeChild, setCurrentDetails, setHandler } from '@temporalio/workflow';
import { io } from './activities-proxy';
import { studyPipeline } from './pipeline';
import { startingProgress, studyProgressQuery } from './queries';
import type { ScreenedStudyInput, ScreenedStudyResult, StudyInput, StudyProgress } from '../contracts/workflow-types';

export function screenStageId(batchId: string): string {
  return `${batchId}-screen-dc`;
}

/** Stage 1: the screening task on every scenario, into <out>/screen-dc (no GNN tables). */
function screeningStudy(input: ScreenedStudyInput, batchId: string, outDir: string): StudyInput {
  const { study } = input;
  return {
    batchId,
    specPath: study.specPath,
    outDir,
    task: input.screenTask,
    options: { ...study.options, skipFeaturize: true },
  };
}

/** Stage 2: the study itself on the selected scenarios. */
function finalStudy(study: StudyInput, scenarios: string[]): StudyInput {
  return { ...study, batchId: `${study.batchId}-final`, options: { ...study.options, scenarios } };
}

/**
 * A two-stage contingency study: a DC power flow `studyPipeline` of every scenario, the K most
 * severe selected from its results (`screenSelect`), the study's own task as a second
 * `studyPipeline` on those K, and both stages recorded in the final manifest (`recordScreening`).
 */
export async function screenedStudy(input: ScreenedStudyInput): Promise<ScreenedStudyResult> {
  const { study } = input;
  const progress: StudyProgress = startingProgress();
  setHandler(studyProgressQuery, () => progress);
  const dcOut = `${study.outDir}/screen-dc`;
  const dcId = screenStageId(study.batchId);
  setCurrentDetails(`stage 1: ${input.screenTask} screening of every scenario`);
  progress.stage = 'batch';
  const dc = await executeChild(studyPipeline, {
    workflowId: dcId,
    args: [screeningStudy(input, dcId, dcOut)],
    staticSummary: `stage 1: ${input.screenTask} screening`,
  });
  Object.assign(progress, {
    scenarios: dc.scenarios,
    jobs: dc.jobs,
    scenariosDone: dc.scenarios,
    jobsOk: dc.ok,
    jobsFailed: dc.failed,
  });
  const sel = await io.screenSelect({ outDir: dcOut, top: input.screenTop });
  setCurrentDetails(`stage 2: ${study.task} on the ${sel.ids.length} most severe of ${sel.ranked} scenarios`);
  Object.assign(progress, {
    stage: 'batch',
    scenarios: sel.ids.length,
    jobs: 0,
    scenariosDone: 0,
    jobsOk: 0,
    jobsFailed: 0,
  });
  const final = await executeChild(studyPipeline, {
    workflowId: `${study.batchId}-final`,
    args: [finalStudy(study, sel.ids)],
    staticSummary: `stage 2: ${study.task} on the ${sel.ids.length} most severe`,
  });
  const screening = {
    task: input.screenTask,
    batchId: dcId,
    outDir: dcOut,
    scenarios: dc.scenarios,
    jobs: dc.jobs,
    ok: dc.ok,
    failed: dc.failed,
    selected: sel.ids,
  };
  await io.recordScreening({
    outDir: study.outDir,
    screening,
    final: {
      batchId: final.batchId,
      task: final.task,
      scenarios: final.scenarios,
      jobs: final.jobs,
      ok: final.ok,
      failed: final.failed,
    },
  });
  Object.assign(progress, {
    stage: 'done',
    scenarios: final.scenarios,
    jobs: final.jobs,
    scenariosDone: final.scenarios,
    jobsOk: final.ok,
    jobsFailed: final.failed,
  });
  setCurrentDetails(
    `done: screened ${dc.scenarios} scenarios with ${input.screenTask}, ${study.task} on ${final.scenarios}: ${final.ok} ok, ${final.failed} failed`,
  );
  return { ...final, batchId: study.batchId, screening };
}
