/**
 * `retry-failed --id B`: runs again only the chunks holding failed (or not run) jobs of a
 * finished batch, into the same output folder, and rewrites the manifest. Solver flags given
 * here override the batch's settings (e.g. more iterations).
 */
import { batchInfo, readRunRecord } from './batch-info';
import { EXIT, UsageError } from './exit';
import { closeSolvePool } from '../temporal/worker';
import { onStudyDir } from './remote-batch';
import { openSession } from './session';
import { recordRetry } from './run-record-update';
import { awaitStudy, printResult, studyFailureExit } from './start-batch';
import { solverSettings } from './study-options';
import { StudyInput } from '../contracts/workflow-types';
import { studyPipeline } from '../workflows/pipeline';

export interface RetryArgs {
  id: string;
  json?: boolean;
  maxIterations?: number;
  tolerance?: number;
  enforceQLims?: number;
}

function retriesBefore(memo: Record<string, unknown>): number {
  return typeof memo.retries === 'number' ? memo.retries : memo.retry === true ? 1 : 0;
}

export async function retryFailedCommand(a: RetryArgs): Promise<number> {
  const solver = solverSettings(a);
  const s = await openSession();
  try {
    const info = await batchInfo(s, a.id);
    if (info.state === 'RUNNING')
      throw new UsageError(`batch ${a.id} is still running; wait for it or cancel it first`);
    const rec = await onStudyDir(info.outDir, { read: ['run_record.json'] }, (dir) => readRunRecord(dir));
    const spec = rec.inputs.find((i) => i.role === 'spec')?.source ?? info.specPath;
    const input: StudyInput = {
      batchId: a.id,
      specPath: spec,
      outDir: info.outDir,
      task: rec.task,
      mode: 'retry-failed',
      options: { ...rec.options, solver: { ...rec.options.solver, ...solver }, searchAttributes: s.searchAttributes },
    };
    await s.client.workflow.start(studyPipeline, {
      workflowId: a.id,
      taskQueue: s.settings.taskQueue,
      args: [input],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      staticSummary: `gridbatch ${input.task}: retry of failed jobs`,
      memo: { spec, out: info.outDir, task: input.task, retry: true, retries: retriesBefore(info.memo) + 1 },
    });
    await onStudyDir(info.outDir, { read: ['run_record.json'] }, (dir) => recordRetry(dir, input.options ?? {}));
    try {
      const r = await awaitStudy(s, a.id, a.json !== true);
      printResult(r, undefined, a.json === true);
      return r.failed > 0 ? EXIT.JOBS_FAILED : EXIT.OK;
    } catch (e) {
      return studyFailureExit(e);
    }
  } finally {
    await closeSolvePool();
    await s.close();
  }
}
