/**
 * Report activity: KPIs, comparison with the baseline, Parquet/CSV/Excel/HTML under
 * <out>/report/, built in a worker thread (src/io/thread-runner.ts) with a heartbeat per scenario read.
 */
import { Context } from '@temporalio/activity';
import { ReportInput, ReportResult } from '../contracts/workflow-types';
import { runInThread } from './in-thread';
import { onStudyBeating, WHOLE_STUDY } from './remote-study';

export async function report(input: ReportInput): Promise<ReportResult> {
  const ctx = Context.current();
  return onStudyBeating(input, WHOLE_STUDY, async (local) => {
    const r = await runInThread<ReportResult>(
      require.resolve('../report'),
      'buildReport',
      local.outDir,
      { baseline: local.baseline },
      (done) => ctx.heartbeat(done),
      ctx.cancellationSignal,
    );
    return { dir: r.dir, baseline: r.baseline, worst: r.worst, files: r.files };
  });
}
