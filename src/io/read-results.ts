/**
 * Reads one scenario partition of a task's result tables (results/<task>/<table>/scenario_id=<id>/)
 * with hyparquet, the pure-JS reader. A partition holds one part file per chunk of time slices;
 * rows are grouped here by their `time` column, so nothing depends on file names or row order.
 * Reading per partition keeps memory bounded by one scenario, whatever the batch size.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readParquetRows, Row } from './parquet-rows';
import { layout, partitionDir } from './layout';
import { ResultTable } from './result-tables';
import { Task } from '../solvers/solution';
import { isBucketed } from './study-partition';
import { readBucketScenario } from './bucket-read';

export type { Row };
export { readParquetRows };

/** Key of a time slice in maps (`time` is null for scenarios without time slices). */
export const timeKey = (time: string | null): string => time ?? '-';

/** Every row of one table partition, in part-file order. Missing partition = no rows. */
export async function readPartition(
  outDir: string,
  task: Task,
  table: ResultTable,
  scenarioId: string,
  columns?: string[],
): Promise<Row[]> {
  if (isBucketed(outDir)) return readBucketScenario(outDir, task, table, scenarioId, columns);
  const dir = join(layout.tableDir(outDir, task, table), partitionDir(scenarioId));
  if (!existsSync(dir)) return [];
  const rows: Row[] = [];
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith('.parquet'))
    .sort()) {
    for (const r of await readParquetRows(join(dir, f), columns)) rows.push(r);
  }
  return rows;
}

export function groupByTime(rows: Row[]): Map<string, Row[]> {
  const m = new Map<string, Row[]>();
  for (const r of rows) {
    const k = timeKey(r.time as string | null);
    let g = m.get(k);
    if (!g) m.set(k, (g = []));
    g.push(r);
  }
  return m;
}

/** The solved tables of one scenario, grouped by time slice. */
export interface ScenarioResults {
  summary: Row[];
  bus: Map<string, Row[]>;
  branch: Map<string, Row[]>;
  gen: Map<string, Row[]>;
}

export async function readScenarioResults(outDir: string, task: Task, scenarioId: string): Promise<ScenarioResults> {
  const [summary, bus, branch, gen] = await Promise.all([
    readPartition(outDir, task, 'summary', scenarioId),
    readPartition(outDir, task, 'bus', scenarioId),
    readPartition(outDir, task, 'branch', scenarioId),
    readPartition(outDir, task, 'gen', scenarioId),
  ]);
  return { summary, bus: groupByTime(bus), branch: groupByTime(branch), gen: groupByTime(gen) };
}

/** A number cell (null, undefined and NaN become null). */
export function cellNum(r: Row | undefined, k: string): number | null {
  const v = r?.[k];
  return typeof v === 'number' && !Number.isNaN(v) ? v : typeof v === 'bigint' ? Number(v) : null;
}
