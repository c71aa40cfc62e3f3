/** `results --id B`: counts, statistics, failed jobs with reasons and output paths of a batch. */
import { existsSync } from 'node:fs';
import { readBatchManifest } from '../activities/batch-manifest';
import { layout } from '../io/layout';
import { batchInfo } from './batch-info';
import { EXIT, UsageError } from './exit';
import { openSession } from './session';
import { onStudyDir } from './remote-batch';
import { studyPath } from '../io/storage/study-store';
import { formatTop, topContingencies } from './top-contingencies';

export async function resultsCommand(a: { id: string; json?: boolean; limit?: number; top?: number }): Promise<number> {
  const s = await openSession();
  try {
    const info = await batchInfo(s, a.id);
    // a study in object storage: the manifests (and the ranking) are read from a local copy; paths shown are the bucket's
    const files = { read: ['batch_manifest.json', 'batch_manifest.parquet', 'report/contingency_ranking.parquet'] };
    const { m, jobs, hasTable, top } = await onStudyDir(info.outDir, files, async (dir) => {
      if (!existsSync(layout.batchManifest(dir)))
        throw new UsageError(`batch ${a.id} (${info.state}) has no batch_manifest.json yet in ${info.outDir}`);
      const { summary, jobs: all } = await readBatchManifest(dir);
      const ranking = a.top !== undefined ? await topContingencies(dir, a.top) : undefined;
      return { m: summary, jobs: all, hasTable: existsSync(layout.batchManifestTable(dir)), top: ranking };
    });
    const failed = jobs.filter((j) => j.status !== 'ok');
    const mp = studyPath(info.outDir, 'batch_manifest.json');
    const table = studyPath(info.outDir, 'batch_manifest.parquet');
    const paths = {
      results: studyPath(info.outDir, 'results', m.task),
      manifest: mp,
      ...(hasTable ? { jobs_table: table } : {}),
      scenario_manifest: studyPath(info.outDir, 'scenario_manifest.json'),
    };
    if (a.json) {
      console.log(
        JSON.stringify(
          {
            batchId: a.id,
            state: info.state,
            task: m.task,
            stats: m.stats,
            failed: failed.map((j) => ({ job_id: j.job_id, status: j.status, error: j.error })),
            paths,
            ...(top ? { top } : {}),
          },
          null,
          2,
        ),
      );
    } else {
      const st = m.stats;
      console.log(
        `${a.id} (${info.state}): ${m.task}, ${st.count} jobs: ${st.ok} ok, ${st.failed} failed, ${st.skipped} not run`,
      );
      console.log(
        `solve ms per job: p50 ${st.p50_ms}, p95 ${st.p95_ms}, mean ${st.mean_ms}, max ${st.max_ms}; avg iterations ${st.avg_iterations}; convergence rate ${st.convergence_rate}`,
      );
      const limit = a.limit ?? 20;
      if (failed.length) {
        console.log(`\njob_id\tstatus\terror`);
        for (const j of failed.slice(0, limit)) console.log(`${j.job_id}\t${j.status}\t${j.error ?? ''}`);
        if (failed.length > limit)
          console.log(`... ${failed.length - limit} more (see ${paths.jobs_table ?? mp} or --json)`);
      }
      if (top) {
        console.log(`\nthe ${top.length} most severe contingencies (report/contingency_ranking.parquet):`);
        for (const line of formatTop(top)) console.log(line);
      }
      console.log(
        `\nresults:  ${paths.results}\nmanifest: ${paths.manifest}${paths.jobs_table ? ` (jobs: ${paths.jobs_table})` : ''}`,
      );
    }
    return failed.length > 0 ? EXIT.JOBS_FAILED : EXIT.OK;
  } finally {
    await s.close();
  }
}
