/**
 * Job records of the bucket layout (src/io/bucket-layout.ts): which chunks are recorded (for
 * resume and retry-failed), every record in scenario order (for the batch manifest), and the
 * sweep of parts without records. Records files are read once per thread and file version
 * (path, size, mtime): a page of the batch workflow re-reads only what changed.
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Task } from '../solvers/solution';
import { bucketLayout, parsePartName, RECORD_JSON_COLUMNS, recordFiles, tablePartFiles } from './bucket-layout';
import type { JobRecord } from './job-records';
import { rememberedRecordRows } from './records-cache';
// The Parquet reader (hyparquet) loads when a records file is read: never on the CLI's main
// thread for a fresh study. require, not import(): this also runs in solve threads on the
// sources, whose loader (tsx/cjs) hooks require only.
/* eslint-disable @typescript-eslint/no-require-imports */
const readParquetRows: typeof import('./parquet-rows').readParquetRows = (...a) =>
  (require('./parquet-rows') as typeof import('./parquet-rows')).readParquetRows(...a);
const readManifestTable: typeof import('./manifest-table').readManifestTable = (...a) =>
  (require('./manifest-table') as typeof import('./manifest-table')).readManifestTable(...a);
const manifestJobsOf: typeof import('./manifest-table').manifestJobsOf = (...a) =>
  (require('./manifest-table') as typeof import('./manifest-table')).manifestJobsOf(...a);
/* eslint-enable @typescript-eslint/no-require-imports */

/** Counts of one recorded chunk. */
export interface ChunkCounts {
  n: number;
  failed: number;
}

type Marks = { key: string; marks: [number, number, number, number][] };
const marksCache = new Map<string, Marks>();

async function marksOf(path: string): Promise<Marks['marks']> {
  const st = statSync(path);
  const key = `${st.size}:${st.mtimeMs}`;
  const hit = marksCache.get(path);
  if (hit && hit.key === key) return hit.marks;
  const byChunk = new Map<string, [number, number, number, number]>();
  for (const r of await readParquetRows(path, ['scenario_index', 'chunk', 'status'])) {
    const s = Number(r.scenario_index);
    const c = Number(r.chunk);
    const k = `${s}:${c}`;
    let m = byChunk.get(k);
    if (!m) byChunk.set(k, (m = [s, c, 0, 0]));
    m[2]++;
    if (r.status !== 'ok') m[3]++;
  }
  const marks = [...byChunk.values()];
  if (marksCache.size > 20_000) marksCache.clear();
  marksCache.set(path, { key, marks });
  return marks;
}

/** The recorded chunks of a bucketed study: scenario index -> chunk -> counts. */
export async function recordedChunks(out: string, task: Task): Promise<Map<number, Map<number, ChunkCounts>>> {
  const recorded = new Map<number, Map<number, ChunkCounts>>();
  for (const f of recordFiles(out, task)) {
    for (const [s, c, n, failed] of await marksOf(f)) {
      let m = recorded.get(s);
      if (!m) recorded.set(s, (m = new Map()));
      m.set(c, { n, failed });
    }
  }
  return recorded;
}

/** The records files that hold a failed job (from the same cache: files are read once). */
export async function recordFilesWithFailures(out: string, task: Task): Promise<string[]> {
  const found: string[] = [];
  for (const f of recordFiles(out, task)) if ((await marksOf(f)).some((m) => m[3] > 0)) found.push(f);
  return found;
}

/** Removes table parts whose records file is missing (a part stopped before its records): returns how many. */
export function removeOrphanBucketParts(out: string, task: Task): number {
  let removed = 0;
  const root = bucketLayout.recordsRoot(out, task);
  for (const p of tablePartFiles(out, task)) {
    const records = join(root, basename(dirname(p)), basename(p));
    if (!existsSync(records)) {
      rmSync(p, { force: true });
      removed++;
    }
  }
  return removed;
}

/**
 * Every record of a bucketed study, grouped by scenario index, in scenario order: `each(k)` is
 * called for k = 0, 1, ... and returns the records of scenario k. Files are read in name order:
 * a part starting at scenario S holds no record of a scenario before S, so scenario k is complete
 * once every file starting at or before k is read.
 */
export function bucketRecordReader(out: string, task: Task): (k: number) => Promise<Map<string, JobRecord>> {
  const files = recordFiles(out, task);
  const pending = new Map<number, Map<string, JobRecord>>();
  let next = 0;
  return async (k) => {
    while (next < files.length && (parsePartName(basename(files[next]))?.scenarioIndex ?? 0) <= k) {
      const f = files[next++];
      // the rows this thread wrote to the file, else the file's (records-cache.ts)
      const remembered = rememberedRecordRows(f);
      const jobs = remembered
        ? manifestJobsOf(remembered, RECORD_JSON_COLUMNS)
        : await readManifestTable(f, RECORD_JSON_COLUMNS);
      for (const job of jobs) {
        const r = job as JobRecord & { scenario_index?: number; chunk?: number };
        const s = Number(r.scenario_index);
        delete r.scenario_index;
        delete r.chunk;
        let m = pending.get(s);
        if (!m) pending.set(s, (m = new Map()));
        m.set(r.job_id, r as JobRecord);
      }
    }
    const recs = pending.get(k) ?? new Map<string, JobRecord>();
    pending.delete(k);
    return recs;
  };
}
