/**
 * Reading one scenario's rows of a bucketed study (src/io/bucket-layout.ts): the records name
 * the part files of each scenario (output_<table>_path); a part file is read once and its rows
 * kept by scenario_id while its neighbours are read (report and featurize go in scenario order).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Task } from '../solvers/solution';
import { layout } from './layout';
import { recordFiles } from './bucket-layout';
import { readParquetRows, Row } from './parquet-rows';
import { ResultTable } from './result-tables';

type PartIndex = Map<string, Map<ResultTable, Set<string>>>;
const indexes = new Map<string, { key: string; index: PartIndex }>();
/** Recently read part files (scenario_id -> rows): one per table, as readers go in scenario order. */
const files = new Map<string, Map<string, Row[]>>();

async function partIndex(out: string, task: Task): Promise<PartIndex> {
  const recs = recordFiles(out, task);
  const m = layout.batchManifest(out);
  const key = `${recs.length}:${existsSync(m) ? statSync(m).mtimeMs : 0}`;
  const hit = indexes.get(`${out}:${task}`);
  if (hit && hit.key === key) return hit.index;
  const index: PartIndex = new Map();
  const tables: ResultTable[] = ['bus', 'branch', 'gen', 'summary'];
  for (const f of recs) {
    for (const r of await readParquetRows(f, ['scenario_id', ...tables.map((t) => `output_${t}_path`)])) {
      const sid = String(r.scenario_id);
      let byTable = index.get(sid);
      if (!byTable) index.set(sid, (byTable = new Map()));
      for (const t of tables) {
        const p = r[`output_${t}_path`];
        if (typeof p !== 'string') continue;
        let set = byTable.get(t);
        if (!set) byTable.set(t, (set = new Set()));
        set.add(p);
      }
    }
  }
  if (indexes.size > 8) indexes.clear();
  indexes.set(`${out}:${task}`, { key, index });
  return index;
}

async function partRows(path: string): Promise<Map<string, Row[]>> {
  const hit = files.get(path);
  if (hit) return hit;
  const bySid = new Map<string, Row[]>();
  for (const r of await readParquetRows(path)) {
    const sid = String(r.scenario_id);
    let rows = bySid.get(sid);
    if (!rows) bySid.set(sid, (rows = []));
    rows.push(r);
  }
  if (files.size >= 4) files.delete(files.keys().next().value as string);
  files.set(path, bySid);
  return bySid;
}

/** Every row of one scenario in one table of a bucketed study (no rows when it has none). */
export async function readBucketScenario(
  out: string,
  task: Task,
  table: ResultTable,
  scenarioId: string,
  columns?: string[],
): Promise<Row[]> {
  const paths = [...((await partIndex(out, task)).get(scenarioId)?.get(table) ?? [])].sort();
  const rows: Row[] = [];
  for (const p of paths) {
    for (const r of (await partRows(join(out, p))).get(scenarioId) ?? []) {
      if (!columns) rows.push(r);
      else rows.push(Object.fromEntries(columns.map((c) => [c, r[c]])));
    }
  }
  return rows;
}
