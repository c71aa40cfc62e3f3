/**
 * Which columns of gridbatch's tables carry Parquet statistics (one rule for src/io/parquet.ts
 * and parquet-stream.ts), chosen by bench/parquet-write.ts on the tables a case118 part writes
 * (README "Why these libraries"): min/max/null count only on the columns that say which job a
 * row belongs to, the ones readers filter on (DuckDB and pyarrow skip row groups and files by
 * them); a row group of bus voltages or branch flows spans every value, so their bounds prune
 * nothing and computing them was a fifth of the writer's time. Encodings and codecs are
 * parquet-flat-writer.ts's.
 */

/** The columns that identify a row's job: the only ones written with statistics. */
export const KEY_COLUMNS: ReadonlySet<string> = new Set([
  'scenario_id',
  'time',
  'job_id',
  'status',
  'scenario_index',
  'chunk',
]);
