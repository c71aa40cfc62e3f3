/** Report activity: KPIs, comparison with the baseline, Parquet/CSV/Excel/HTML under <out>/report/. */
import { Context } from '@temporalio/activity';
import { buildReport } from '../report';
import { ReportInput, ReportResult } from '../workflows/types';
import { inputErrorsFinal } from './featurize';

export async function report(input: ReportInput): Promise<ReportResult> {
  const ctx = Context.current();
  return inputErrorsFinal(async () => {
    const r = await buildReport(input.outDir, { baseline: input.baseline, signal: ctx.cancellationSignal, onProgress: (done) => ctx.heartbeat(done) });
    return { dir: r.dir, baseline: r.baseline, worst: r.worst, files: r.files };
  });
}
