/** Reads a whole feature table (every part file of its folder) with hyparquet. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readParquetRows, Row } from '../../src/io/read-results';
import { featureLayout } from '../../src/featurize';

export async function readFeatureTable(out: string, kind: 'gnn' | 'opfdata', table: string): Promise<Row[]> {
  const dir = featureLayout.tableDir(out, kind, table);
  const rows: Row[] = [];
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith('.parquet'))
    .sort())
    rows.push(...(await readParquetRows(join(dir, f))));
  return rows;
}

export function byGraph(rows: Row[]): Map<number, Row[]> {
  const m = new Map<number, Row[]>();
  for (const r of rows) {
    const g = Number(r.graph_id);
    if (!m.has(g)) m.set(g, []);
    m.get(g)!.push(r);
  }
  return m;
}
