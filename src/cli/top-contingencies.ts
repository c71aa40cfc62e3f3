/**
 * `results --top N`: the N most severe contingencies of a batch, from the ranking its report
 * wrote (report/contingency_ranking.parquet; see src/report/severity.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readParquetRows, Row } from '../io/read-results';
import { UsageError } from './exit';

export async function topContingencies(outDir: string, n: number): Promise<Row[]> {
  const path = join(outDir, 'report', 'contingency_ranking.parquet');
  if (!existsSync(path))
    throw new UsageError(
      `${path} does not exist: the batch has no report with a contingency ranking (run: report --out ${outDir})`,
    );
  const rows = await readParquetRows(path);
  rows.sort((a, b) => Number(a.rank) - Number(b.rank));
  return rows.slice(0, n);
}

const num = (v: unknown, d = 2) => (v === null || v === undefined ? '' : Number(v).toFixed(d));

/** A tab-separated table of the ranking rows. */
export function formatTop(rows: Row[]): string[] {
  const out = [
    'rank\tscenario_id\tseverity_index\tworst_loading_pct\toverloaded_branches\tvoltage_violations\tload_lost_mw\tfailed\toutages',
  ];
  for (const r of rows) {
    out.push(
      [
        r.rank,
        r.scenario_id,
        num(r.severity_index),
        num(r.worst_loading_pct, 1),
        r.overloaded_branches,
        r.voltage_violations,
        num(r.load_lost_mw),
        r.failed,
        r.outages,
      ].join('\t'),
    );
  }
  return out;
}
