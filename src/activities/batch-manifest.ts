/**
 * The batch manifest: batch_manifest.parquet, one row per job in scenario-manifest order, built
 * from the job records the chunks wrote, and batch_manifest.json beside it, a small summary
 * (counts, statistics, settings) for humans and scripts (src/io/manifest-table.ts). Jobs without
 * a record (cancelled before they ran) are `skipped`. Rebuilt from files, so it is the same
 * after a crash and resume as after an undisturbed run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { sweepTempFiles, writeJsonAtomic } from '../io/atomic';
import { ManifestTableInfo, readManifestTable, writeManifestColumns } from '../io/manifest-table';
import { ManifestColumnsBuilder } from '../io/manifest-columns';
import { ManifestStream } from '../io/manifest-stream';
import { removeOrphanParts, scenarioRecords } from '../io/job-records';
import { layout } from '../io/layout';
import { openScenarioSource, scenariosOf } from '../io/scenario-source';
import { jobIdOf } from '../io/result-tables';
import { BatchStats, StudyTask } from '../contracts/workflow-types';
import type { JobRecord } from '../io/job-records';
import { jobTimes } from '../contracts/chunk-plan';
import { isBucketed } from '../io/study-partition';
import { bucketRecordReader, removeOrphanBucketParts } from '../io/bucket-records';
import type { ResolvedScenario } from '../scenarios/types';

export type { ManifestJob } from '../io/job-records';
import type { ManifestJob } from '../io/job-records';

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

/** Counts and timing statistics of `jobs` (skipped jobs count, but not in the timings). */
export function batchStats(jobs: Iterable<ManifestJob>): BatchStats {
  const b = new ManifestColumnsBuilder();
  for (const j of jobs) b.add(j);
  return b.stats();
}

/** Every job of the study in scenario-manifest order, from the chunks' records, one scenario at a time. */
export function* studyJobs(outDir: string, task: StudyTask): Generator<ManifestJob> {
  for (const s of scenariosOf(openScenarioSource(outDir))) {
    const records = scenarioRecords(outDir, task, s.scenarioId); // read once: orphan parts and the rows
    removeOrphanParts(outDir, task, s, records);
    const byId = new Map<string, JobRecord>();
    for (const recs of records.values()) for (const r of recs) byId.set(r.job_id, r);
    yield* scenarioJobs(task, s, byId);
  }
}

/** studyJobs in either layout (the bucket layout's records are read asynchronously). */
export async function* studyJobsInLayout(outDir: string, task: StudyTask): AsyncGenerator<ManifestJob> {
  if (!isBucketed(outDir)) {
    yield* studyJobs(outDir, task);
    return;
  }
  removeOrphanBucketParts(outDir, task);
  const recordsOf = bucketRecordReader(outDir, task);
  let k = 0;
  for (const s of scenariosOf(openScenarioSource(outDir))) yield* scenarioJobs(task, s, await recordsOf(k++));
}

function* scenarioJobs(task: StudyTask, s: ResolvedScenario, byId: Map<string, JobRecord>): Generator<ManifestJob> {
  for (const time of jobTimes(s.timeSlices)) {
    const id = jobIdOf(task, s.scenarioId, time);
    const r = byId.get(id);
    yield (
      r ?? {
        job_id: id,
        scenario_id: s.scenarioId,
        time,
        status: 'skipped',
        error: 'not run (batch cancelled or stopped before this job)',
        converged: false,
        iterations: 0,
        duration_ms: 0,
        objective: null,
        outputs: [],
      }
    );
  }
}

/** Every job of the study (held in memory: for small studies and tests; the manifest streams them). */
export function collectJobs(outDir: string, task: StudyTask): ManifestJob[] {
  return [...studyJobs(outDir, task)];
}

function settingsOf(outDir: string): Record<string, unknown> {
  const rec = layout.runRecord(outDir);
  if (!existsSync(rec)) return {};
  const r = JSON.parse(readFileSync(rec, 'utf8')) as { options?: Record<string, unknown> };
  return r.options ?? {};
}

/**
 * Writes batch_manifest.parquet a row group at a time (src/io/manifest-stream.ts), then the
 * summary batch_manifest.json (the mark that the manifest is complete). `jobs` is called again
 * for the in-memory build when a later group does not fit the columns of the first.
 */
export function writeBatchManifest(outDir: string, batchId: string, task: StudyTask): BatchManifest {
  if (isBucketed(outDir)) throw new Error('a bucketed study: its manifest is written by writeBatchManifestInLayout');
  sweepTempFiles(outDir); // leftovers of writers killed mid-write
  const stream = new ManifestStream(layout.batchManifestTable(outDir));
  let fits = true;
  try {
    for (const j of studyJobs(outDir, task)) if (!(fits = stream.add(j))) break;
  } catch (e) {
    stream.abort();
    throw e;
  }
  const table = fits ? stream.finish() : undefined;
  if (table) return finishManifest(outDir, batchId, task, { count: stream.count, stats: stream.stats(), table });
  stream.abort();
  const built = new ManifestColumnsBuilder();
  for (const j of studyJobs(outDir, task)) built.add(j);
  return finishManifest(outDir, batchId, task, builtManifest(outDir, built));
}

/** writeBatchManifest in either layout. */
export async function writeBatchManifestInLayout(
  outDir: string,
  batchId: string,
  task: StudyTask,
): Promise<BatchManifest> {
  if (!isBucketed(outDir)) return writeBatchManifest(outDir, batchId, task);
  sweepTempFiles(outDir);
  const stream = new ManifestStream(layout.batchManifestTable(outDir));
  let fits = true;
  try {
    for await (const j of studyJobsInLayout(outDir, task)) if (!(fits = stream.add(j))) break;
  } catch (e) {
    stream.abort();
    throw e;
  }
  const table = fits ? stream.finish() : undefined;
  if (table) return finishManifest(outDir, batchId, task, { count: stream.count, stats: stream.stats(), table });
  stream.abort();
  const built = new ManifestColumnsBuilder();
  for await (const j of studyJobsInLayout(outDir, task)) built.add(j);
  return finishManifest(outDir, batchId, task, builtManifest(outDir, built));
}

/** The table of a manifest built in memory, written whole. */
function builtManifest(outDir: string, built: ManifestColumnsBuilder): WrittenTable {
  const stats = built.stats();
  return { count: built.count, stats, table: writeManifestColumns(layout.batchManifestTable(outDir), built.columns()) };
}

interface WrittenTable {
  count: number;
  stats: BatchStats;
  table: ManifestTableInfo;
}

function finishManifest(outDir: string, batchId: string, task: StudyTask, t: WrittenTable): BatchManifest {
  const { stats, table } = t;
  const manifest: BatchManifest = {
    format: 'gridbatch.batch_manifest/2',
    batch_id: batchId,
    task,
    created_at: new Date().toISOString(),
    num_jobs: t.count,
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
export async function readBatchManifest(
  outDir: string,
): Promise<{ summary: BatchManifest | BatchManifestV1; jobs: ManifestJob[] }> {
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
export async function writeBatchManifestOf(
  outDir: string,
  o: { batchId: string; task: StudyTask },
): Promise<ManifestSummary> {
  const m = await writeBatchManifestInLayout(outDir, o.batchId, o.task);
  return { jobs: m.num_jobs, ok: m.success, failed: m.failure, stats: m.stats };
}
