/** A finished batch's manifest as tests read it: the JSON summary's fields and every job (from batch_manifest.parquet). */
import { readBatchManifest } from '../../src/activities/batch-manifest';
import type { BatchManifest, ManifestJob } from '../../src/activities/batch-manifest';

export type ManifestWithJobs = Pick<
  BatchManifest,
  'batch_id' | 'task' | 'num_jobs' | 'success' | 'failure' | 'skipped' | 'stats'
> & { jobs: ManifestJob[] };

export async function manifestOf(outDir: string): Promise<ManifestWithJobs> {
  const { summary, jobs } = await readBatchManifest(outDir);
  return { ...summary, jobs };
}
