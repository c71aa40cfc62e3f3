/**
 * `report --id <batch> | --out <dir> [--baseline <scenario>]`: KPIs and the comparison with a
 * baseline scenario, written to <out>/report/ (Parquet, CSV, Excel, HTML), computed here.
 */
import { buildReport } from '../report';
import { NO_WORST } from '../report/severity';
import { EXIT } from './exit';
import { BatchDirArgs, shownPath } from './finished-batch';
import { onFinishedBatch } from './remote-batch';
import { ProgressBar } from './progress-bar';

export async function reportCommand(a: BatchDirArgs & { baseline?: string; json?: boolean }): Promise<number> {
  const bar = a.json ? undefined : new ProgressBar();
  const r = await onFinishedBatch(a, (out) =>
    buildReport(out, { baseline: a.baseline, onProgress: (done, total) => bar?.update(done, total, 'scenarios read') }),
  );
  bar?.done();
  if (a.json) console.log(JSON.stringify(r, null, 2));
  else {
    console.log(
      `report: ${r.scenarios} scenarios, ${r.jobs} jobs (${r.ok} ok, ${r.failed} failed); baseline '${r.baseline}'${r.note ? ` (${r.note})` : ''}; worst: ${r.worst ?? NO_WORST}`,
    );
    console.log(`folder:   ${shownPath(r.dir)}`);
    console.log(`open:     ${r.dir}/report.html  (Excel: report.xlsx)`);
  }
  return EXIT.OK;
}
