/**
 * Parquet files through gridbatch's flat-table writer (parquet-flat-writer.ts: hyparquet-writer's
 * Thrift serializers and snappy, gridbatch's own value encodings). Chosen by measurement (README
 * "Why these libraries"): hyparquet-writer over DuckDB's appender + COPY (equal speed on big
 * files, 2x faster on the small per-chunk files a batch writes, no native binary in worker
 * threads), then the flat writer over hyparquet-writer's general one (bench/parquet-write-cold.ts).
 */
import { writeFileAtomic } from './atomic';
import { flatParquetBytes } from './parquet-flat-writer';
import { KEY_COLUMNS } from './parquet-column-options';

export type ColumnType = 'STRING' | 'INT32' | 'INT64' | 'DOUBLE' | 'BOOLEAN';

export interface Column {
  name: string;
  type: ColumnType;
  /** null marks a missing value; the column is then written as optional */
  data: (string | number | boolean | null)[] | Float64Array | Int32Array;
}

/** Whether a value is missing (null, or NaN: written as null). */
function hasMissing(d: Column['data']): boolean {
  for (let i = 0; i < d.length; i++) if (d[i] === null || d[i] !== d[i]) return true;
  return false;
}

/** Rows of a row group in a whole file. */
const GROUP_ROWS = 65_536;

/**
 * The file's bytes: a column without missing values is REQUIRED, the others OPTIONAL; statistics
 * on the key columns (parquet-column-options.ts), encodings as parquet-flat-writer.ts says.
 */
export function parquetBytes(columns: Column[]): Uint8Array {
  return flatParquetBytes(
    columns.map((c) => ({
      name: c.name,
      type: c.type,
      nullable: hasMissing(c.data),
      statistics: KEY_COLUMNS.has(c.name),
    })),
    columns.map((c) => c.data),
    GROUP_ROWS,
  );
}

/** Writes a Parquet file atomically (temporary name, then rename); returns its sha256. */
export function writeParquetAtomic(path: string, columns: Column[]): string {
  return writeFileAtomic(path, parquetBytes(columns));
}
