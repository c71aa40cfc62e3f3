/** DuckDB as the independent reader of our Parquet output (Hive partitioning on). */
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

let conn: Promise<DuckDBConnection> | undefined;

export function duck(): Promise<DuckDBConnection> {
  if (!conn) conn = DuckDBInstance.create(':memory:').then((i) => i.connect());
  return conn;
}

/** Rows of a query as plain objects (BigInt counts turned into numbers). */
export async function query(sql: string): Promise<Record<string, unknown>[]> {
  const c = await duck();
  const r = await c.runAndReadAll(sql);
  return r
    .getRowObjectsJS()
    .map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
}

export function hiveTable(dir: string): string {
  return `read_parquet('${dir.replace(/'/g, "''")}/*/*.parquet', hive_partitioning = true)`;
}
