/**
 * Parquet tables as rows of string cells, read synchronously (synckit runs the asynchronous
 * hyparquet reader in a worker thread and waits for it), so a Parquet profile goes through the
 * same checks as a CSV one. Row numbers stand in for line numbers (the header is row 1).
 */
import { join } from 'node:path';
import { createSyncFn } from 'synckit';
import { InputError } from '../errors';

type ReadRows = (file: string) => { columns: string[]; rows: string[][] };

let readRows: ReadRows | undefined;

export interface CellRecord {
  cells: string[];
  line: number;
}

export function readParquetRecords(file: string): CellRecord[] {
  readRows ??= createSyncFn(join(__dirname, 'parquet-rows.worker.mjs')) as ReadRows;
  let t;
  try {
    t = readRows(file);
  } catch (e) {
    throw new InputError(`not a readable Parquet file (${(e as Error).message.split('\n')[0]})`, { file });
  }
  return [{ cells: t.columns, line: 1 }, ...t.rows.map((cells, i) => ({ cells, line: i + 2 }))];
}
