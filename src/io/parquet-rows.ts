/** Rows of a Parquet file (hyparquet, the pure-JS reader), optionally only some columns. */
import { readFileSync } from 'node:fs';
import { parquetReadObjects } from 'hyparquet';
import { Cell } from './columns';

export type Row = Record<string, Cell>;

export async function readParquetRows(path: string, columns?: string[]): Promise<Row[]> {
  const b = readFileSync(path);
  const file = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  return (await parquetReadObjects({ file, columns })) as Row[];
}
