/**
 * File names of the bucket layout (`--partition-by bucket`, src/contracts/partition.ts):
 *
 *   <out>/results/<task>/<table>/bucket=<k>/part-<scenario index>-<chunk>.parquet
 *   <out>/jobs/<task>/bucket=<k>/part-<scenario index>-<chunk>.parquet   job records of the part
 *
 * A part is named after its first chunk (scenario index in the manifest, chunk of that
 * scenario) and lives in that scenario's bucket; its later rows belong to later scenarios
 * only, so records read in name order never go back to an earlier scenario. The job record
 * file is written last: a part whose record file is missing is not done (an orphan).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { bucketOf } from '../contracts/partition';
import { Task } from '../solvers/solution';
import { layout } from './layout';
import { RESULT_TABLES, ResultTable } from './result-tables';

/** Columns of a records file that hold JSON text (objects of the job record). */
export const RECORD_JSON_COLUMNS = ['islanded_buses'];

export function bucketDir(bucket: number): string {
  return `bucket=${String(bucket).padStart(5, '0')}`;
}

export function bucketPartName(scenarioIndex: number, chunk: number): string {
  return `part-${String(scenarioIndex).padStart(7, '0')}-${String(chunk).padStart(5, '0')}.parquet`;
}

const PART_RE = /^part-(\d+)-(\d+)\.parquet$/;

/** The first scenario index and chunk of a part file's name, undefined for other files. */
export function parsePartName(name: string): { scenarioIndex: number; chunk: number } | undefined {
  const m = PART_RE.exec(name);
  return m ? { scenarioIndex: Number(m[1]), chunk: Number(m[2]) } : undefined;
}

export const bucketLayout = {
  tablePart: (out: string, task: Task, table: ResultTable, scenarioIndex: number, chunk: number) =>
    join(layout.tableDir(out, task, table), bucketDir(bucketOf(scenarioIndex)), bucketPartName(scenarioIndex, chunk)),
  recordsRoot: (out: string, task: Task) => join(layout.jobsDir(out), task),
  records: (out: string, task: Task, scenarioIndex: number, chunk: number) =>
    join(layout.jobsDir(out), task, bucketDir(bucketOf(scenarioIndex)), bucketPartName(scenarioIndex, chunk)),
};

/** Every part file under `root` (bucket folders, then part files), sorted by name (= scenario order). */
export function partFilesUnder(root: string): string[] {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  for (const b of readdirSync(root).sort()) {
    if (!b.startsWith('bucket=')) continue;
    for (const f of readdirSync(join(root, b)).sort()) if (PART_RE.test(f)) out.push(join(root, b, f));
  }
  return out;
}

/** The job record files of a study, in scenario order. */
export function recordFiles(out: string, task: Task): string[] {
  return partFilesUnder(bucketLayout.recordsRoot(out, task));
}

/** Every table part of a study (all tables), for the orphan sweep. */
export function tablePartFiles(out: string, task: Task): string[] {
  return RESULT_TABLES.flatMap((t) => partFilesUnder(layout.tableDir(out, task, t)));
}
