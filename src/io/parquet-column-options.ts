/**
 * How gridbatch hands a column to hyparquet-writer (one rule for src/io/parquet.ts and
 * parquet-stream.ts), chosen by bench/parquet-write.ts on the tables a case118 part writes
 * (README "Why these libraries"):
 *   - statistics (min/max/null count) only on the columns that say which job a row belongs to,
 *     the ones readers filter on (DuckDB and pyarrow skip row groups and files by them); a row
 *     group of bus voltages or branch flows spans every value, so their bounds prune nothing
 *     and computing them was a fifth of the writer's time;
 *   - DOUBLE columns PLAIN, without the writer's dictionary trial (measured values rarely
 *     repeat; runs of zeros still shrink under snappy);
 *   - one data page per column chunk (no per-value page-size estimate; a chunk is at most a row
 *     group of 65,536 rows);
 *   - values as they are: a typed array or a plain array goes to the writer without a copy
 *     unless it holds a NaN (written as null, a reader's missing value).
 *   - snappy, except for a DOUBLE column whose first values snappy does not shrink by a fifth
 *     (measured flows and angles): compressing them cost CPU for a few percent of bytes, while
 *     the constant or repeating columns of a DC power flow (zero reactive flows, generator
 *     set points) shrink many times.
 */
import type { ColumnSource } from 'hyparquet-writer';
import { snappyCompress } from 'hyparquet-writer/src/snappy.js';
import type { Column } from './parquet';

/** The columns that identify a row's job: the only ones written with statistics. */
export const KEY_COLUMNS: ReadonlySet<string> = new Set([
  'scenario_id',
  'time',
  'job_id',
  'status',
  'scenario_index',
  'chunk',
]);

/** Bytes of a data page: 0 = one page per column chunk. */
export const PAGE_SIZE = 0;

/** A typed array of another type than its column's (a Float64Array of INT32 values) goes as plain numbers. */
function asWritten(c: Column): Column {
  const d = c.data;
  const native = (d instanceof Float64Array && c.type === 'DOUBLE') || (d instanceof Int32Array && c.type === 'INT32');
  return ArrayBuffer.isView(d) && !native ? { ...c, data: Array.from(d) } : c;
}

/** `c`'s values with every NaN as null (the same array when it holds no NaN). */
export function valuesWithoutNaN(c: Column): Column['data'] {
  if (c.type !== 'DOUBLE') return c.data;
  const d = c.data as ArrayLike<number | null>;
  for (let i = 0; i < d.length; i++)
    if (d[i] !== d[i]) return Array.from(d, (v) => (v === null || Number.isNaN(v) ? null : v));
  return c.data;
}

/** Values of a DOUBLE column that decide its codec, and the share snappy must take them to. */
const CODEC_SAMPLE = 8192;
const WORTH_COMPRESSING = 0.8;

/** SNAPPY when snappy takes the first CODEC_SAMPLE non-null values to WORTH_COMPRESSING or less, else UNCOMPRESSED. */
export function doubleCodec(values: ArrayLike<number | null>): 'SNAPPY' | 'UNCOMPRESSED' {
  const sample = new Float64Array(Math.min(values.length, CODEC_SAMPLE));
  let k = 0;
  for (let i = 0; i < values.length && k < sample.length; i++) {
    const v = values[i];
    if (v !== null) sample[k++] = v;
  }
  if (k === 0) return 'SNAPPY';
  const bytes = new Uint8Array(sample.buffer, 0, k * 8);
  return snappyCompress(bytes).length <= WORTH_COMPRESSING * bytes.length ? 'SNAPPY' : 'UNCOMPRESSED';
}

/**
 * The writer's column: name, values (NaN as null), statistics and encoding by the rules above;
 * `withType` adds the type and whether the column is optional (for a schema made from the data).
 */
export function columnSource(c: Column, withType?: { nullable: boolean }): ColumnSource {
  const data = valuesWithoutNaN(asWritten(c));
  return {
    name: c.name,
    data: data as ColumnSource['data'],
    statistics: KEY_COLUMNS.has(c.name),
    ...(c.type === 'DOUBLE'
      ? { encoding: 'PLAIN' as const, codec: doubleCodec(data as ArrayLike<number | null>) }
      : {}),
    ...(withType ? { type: c.type, nullable: withType.nullable } : {}),
  };
}
