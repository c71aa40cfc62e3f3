/**
 * Where everything lives under a batch's output folder. One place, so the workflow inputs
 * carry only the folder and ids, and every reader and writer agrees on the names.
 *
 *   <out>/scenario_manifest.json           resolved scenarios (materialize)
 *   <out>/scenario_manifest.index          byte offsets of each scenario in it (src/io/scenario-index.ts)
 *   <out>/run_record.json                  inputs with sha256, options, versions (materialize)
 *   <out>/inputs/                          copies of the spec, grid and profiles as run
 *   <out>/results/<task>/<table>/scenario_id=<id>/part-<chunk>.parquet
 *   <out>/jobs/scenario_id=<id>/part-<chunk>.json   job records of one chunk (for the manifest)
 *   <out>/batch_manifest.parquet           every job, with its outputs and their sha256 (one row each)
 *   <out>/batch_manifest.json              summary: counts, statistics, settings
 *
 * That is the per-scenario layout; --partition-by bucket groups scenarios: src/io/bucket-layout.ts.
 */
import { join } from 'node:path';
import { Task } from '../solvers/solution';
import { ResultTable } from './result-tables';

/** Hive partition value: percent-encoded, so `=`, `/` and other reserved characters are safe. */
export function partitionDir(scenarioId: string): string {
  return `scenario_id=${encodeURIComponent(scenarioId)}`;
}

export function partName(chunk: number): string {
  return `part-${String(chunk).padStart(5, '0')}.parquet`;
}

export const layout = {
  scenarioManifest: (out: string) => join(out, 'scenario_manifest.json'),
  scenarioIndex: (out: string) => join(out, 'scenario_manifest.index'),
  runRecord: (out: string) => join(out, 'run_record.json'),
  inputs: (out: string) => join(out, 'inputs'),
  batchManifest: (out: string) => join(out, 'batch_manifest.json'),
  batchManifestTable: (out: string) => join(out, 'batch_manifest.parquet'),
  resultsRoot: (out: string, task: Task) => join(out, 'results', task),
  tableDir: (out: string, task: Task, table: ResultTable) => join(out, 'results', task, table),
  resultPart: (out: string, task: Task, table: ResultTable, scenarioId: string, chunk: number) =>
    join(out, 'results', task, table, partitionDir(scenarioId), partName(chunk)),
  jobsDir: (out: string) => join(out, 'jobs'),
  jobRecord: (out: string, task: Task, scenarioId: string, chunk: number) =>
    join(out, 'jobs', task, partitionDir(scenarioId), `part-${String(chunk).padStart(5, '0')}.json`),
};
