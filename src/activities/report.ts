/**
 * Report activity: KPIs, comparison with the baseline, Parquet/CSV/Excel/HTML under
 * <out>/report/, built in a worker thread (src/io/thread-runner.ts) with a heartbeat per scenario read.
 */
import { Context } from '@temporalio/activity';
import { ReportInput, ReportResult } from '../contracts/workflow-types';
import { runInThread } from './in-thread';

export async function report(input: ReportInput): Promise<ReportResult> {
  const ctx = Context.current();
  const r = await runInThread<ReportResult>(require.resolve('../report'), 'buildReport', input.outDir, { baseline: input.baseline },
    (done) => ctx.heartbeat(done), ctx.cancellationSignal);
  return { dir: r.dir, baseline: r.baseline, worst: r.worst, files: r.files };
}
