/**
 * The batch manifest: batch_manifest.parquet, one row per job in scenario-manifest order, built
 * from the job records the chunks wrote, and batch_manifest.json beside it, a small summary
 * (counts, statistics, settings) for humans and scripts (src/io/manifest-table.ts). Jobs without
 * a record (cancelled before they ran) are `skipped`. Rebuilt from files, so it is the same
 * after a crash and resume as after an undisturbed run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { sweepTempFiles, writeJsonAtomic } from '../io/atomic';
import { ManifestTableInfo, readManifestTable, writeManifestTable } from '../io/manifest-table';
import { removeOrphanParts, scenarioRecords } from '../io/job-records';
import { layout } from '../io/layout';
import { readScenarioManifest } from '../io/scenario-manifest';
import { jobIdOf } from '../io/result-tables';
import { BatchStats, StudyTask } from '../contracts/workflow-types';
import type { JobRecord } from '../io/job-records';
import { jobTimes } from '../contracts/chunk-plan';

export type { ManifestJob } from '../io/manifest-table';
import type { ManifestJob } from '../io/manifest-table';

/** batch_manifest.json (format 2): the summary; the jobs are in batch_manifest.parquet. */
export interface BatchManifest {
  format: 'gridbatch.batch_manifest/2';
  batch_id: string;
  task: StudyTask;
  created_at: string;
  num_jobs: number;
  success: number;
  failure: number;
  skipped: number;
  stats: BatchStats;
  /** the options the batch ran with (from run_record.json) */
  settings: Record<string, unknown>;
  /** the job table, relative to the output folder */
  jobs_table: 'batch_manifest.parquet';
  table: ManifestTableInfo;
}

/** batch_manifest.json of batches written before the Parquet table: every job inline. */
interface BatchManifestV1 extends Omit<BatchManifest, 'format' | 'settings' | 'jobs_table' | 'table'> {
  format: 'gridbatch.batch_manifest/1';
  jobs: ManifestJob[];
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function batchStats(jobs: ManifestJob[]): BatchStats {
  const ran = jobs.filter((j) => j.status !== 'skipped');
  const times = ran.map((j) => j.duration_ms).sort((a, b) => a - b);
  const ok = ran.filter((j) => j.status === 'ok').length;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    count: jobs.length,
    ok,
    failed: ran.length - ok,
    skipped: jobs.length - ran.length,
    convergence_rate: ran.length ? round(ok / ran.length) : 0,
    p50_ms: round(quantile(times, 0.5)),
    p95_ms: round(quantile(times, 0.95)),
    mean_ms: round(times.length ? times.reduce((a, b) => a + b, 0) / times.length : 0),
    max_ms: round(times.length ? times[times.length - 1] : 0),
    avg_iterations: round(ran.length ? ran.reduce((a, j) => a + j.iterations, 0) / ran.length : 0),
  };
}

export function collectJobs(outDir: string, task: StudyTask): ManifestJob[] {
  const m = readScenarioManifest(outDir);
  const jobs: ManifestJob[] = [];
  for (const s of m.scenarios) {
    removeOrphanParts(outDir, task, s);
    const byId = new Map<string, JobRecord>();
    for (const recs of scenarioRecords(outDir, task, s.scenarioId).values()) for (const r of recs) byId.set(r.job_id, r);
    const times = jobTimes(s.timeSlices);
    for (const time of times) {
      const id = jobIdOf(task, s.scenarioId, time);
      const r = byId.get(id);
      jobs.push(r ?? {
        job_id: id, scenario_id: s.scenarioId, time, status: 'skipped', error: 'not run (batch cancelled or stopped before this job)',
        converged: false, iterations: 0, duration_ms: 0, objective: null, outputs: [],
      });
    }
  }
  return jobs;
}

function settingsOf(outDir: string): Record<string, unknown> {
  const rec = layout.runRecord(outDir);
  if (!existsSync(rec)) return {};
  const r = JSON.parse(readFileSync(rec, 'utf8')) as { options?: Record<string, unknown> };
  return r.options ?? {};
}

/** Writes batch_manifest.parquet, then the summary batch_manifest.json (the mark that the manifest is complete). */
export function writeBatchManifest(outDir: string, batchId: string, task: StudyTask): BatchManifest {
  sweepTempFiles(outDir); // leftovers of writers killed mid-write
  const jobs = collectJobs(outDir, task);
  const stats = batchStats(jobs);
  const table = writeManifestTable(layout.batchManifestTable(outDir), jobs);
  const manifest: BatchManifest = {
    format: 'gridbatch.batch_manifest/2',
    batch_id: batchId,
    task,
    created_at: new Date().toISOString(),
    num_jobs: jobs.length,
    success: stats.ok,
    failure: stats.failed,
    skipped: stats.skipped,
    stats,
    settings: settingsOf(outDir),
    jobs_table: 'batch_manifest.parquet',
    table,
  };
  writeJsonAtomic(layout.batchManifest(outDir), manifest);
  return manifest;
}

/**
 * A finished batch's manifest: the summary and every job (from the Parquet table, or inline in
 * the JSON of a batch written before the table existed).
 */
export async function readBatchManifest(outDir: string): Promise<{ summary: BatchManifest | BatchManifestV1; jobs: ManifestJob[] }> {
  const summary = JSON.parse(readFileSync(layout.batchManifest(outDir), 'utf8')) as BatchManifest | BatchManifestV1;
  if (summary.format === 'gridbatch.batch_manifest/1') return { summary, jobs: summary.jobs };
  return { summary, jobs: await readManifestTable(layout.batchManifestTable(outDir), summary.table.json_columns) };
}

export interface ManifestSummary {
  jobs: number;
  ok: number;
  failed: number;
  stats: BatchStats;
}

/** Worker-thread entry (see runInPool in solve-pool.ts): writes the manifest, returns its counts. */
export function writeBatchManifestOf(outDir: string, o: { batchId: string; task: StudyTask }): ManifestSummary {
  const m = writeBatchManifest(outDir, o.batchId, o.task);
  return { jobs: m.num_jobs, ok: m.success, failed: m.failure, stats: m.stats };
}
