/**
 * The per-job manifest as a Parquet table (`batch_manifest.parquet`, one row per job) beside a
 * small JSON summary (`batch_manifest.json`: counts, statistics, settings). A 100,008-job batch
 * wrote 118 MB of JSON manifest before; the table is a few MB and every tool reads it (DuckDB,
 * pyarrow, polars).
 *
 * Columns come from the job records themselves, so a field added to the record (for example
 * islanded_buses, load_lost_mw) becomes a column without a change here: numbers -> INT32 when
 * every value is an integer, else DOUBLE; booleans -> BOOLEAN; strings -> STRING; other objects
 * -> JSON text (named in the summary's `json_columns`). `outputs` is spread into
 * `output_<table>_path` and `output_<table>_sha256` (null where the job has no such output), so
 * SQL reads the keys and checksums directly. The columns are built one job at a time
 * (manifest-columns.ts).
 */
import type { ManifestJob } from './job-records';
import { readFileSync } from 'node:fs';
import { parquetReadObjects } from 'hyparquet';
import { Column, writeParquetAtomic } from './parquet';
import { RESULT_TABLES } from './result-tables';
import { ManifestColumnsBuilder } from './manifest-columns';

type Output = ManifestJob['outputs'][number];

export interface ManifestTableInfo {
  /** columns in file order */
  columns: string[];
  /** columns holding JSON text (objects in the job records other than `outputs`) */
  json_columns: string[];
  /** SHA-256 of the table file */
  sha256: string;
}

/** The manifest's columns from its job records (see the file comment for the rules). */
export function manifestColumns(jobs: Iterable<ManifestJob>): { columns: Column[]; json: string[] } {
  const b = new ManifestColumnsBuilder();
  for (const j of jobs) b.add(j);
  return b.columns();
}

/** Writes batch_manifest.parquet from built columns; returns what the JSON summary records about it. */
export function writeManifestColumns(path: string, built: { columns: Column[]; json: string[] }): ManifestTableInfo {
  const sha256 = writeParquetAtomic(path, built.columns);
  return { columns: built.columns.map((c) => c.name), json_columns: built.json, sha256 };
}

/** Writes batch_manifest.parquet atomically; returns what the JSON summary records about it. */
export function writeManifestTable(path: string, jobs: Iterable<ManifestJob>): ManifestTableInfo {
  return writeManifestColumns(path, manifestColumns(jobs));
}

/** Reads batch_manifest.parquet back into job records (outputs and JSON columns restored). */
export async function readManifestTable(path: string, jsonColumns: string[] = []): Promise<ManifestJob[]> {
  const buf = readFileSync(path);
  const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  return manifestJobsOf((await parquetReadObjects({ file })) as Record<string, unknown>[], jsonColumns);
}

/** Job records from the rows of a manifest or job-records table (outputs and JSON columns restored). */
export function manifestJobsOf(rows: Record<string, unknown>[], jsonColumns: string[] = []): ManifestJob[] {
  // what each column is, decided once per name (not per row)
  const kinds = new Map<string, 'output' | 'json' | 'value'>();
  const kindOf = (k: string) => {
    let kind = kinds.get(k);
    if (kind === undefined) {
      kind = /^output_(.+)_(path|sha256)$/.test(k) ? 'output' : jsonColumns.includes(k) ? 'json' : 'value';
      kinds.set(k, kind);
    }
    return kind;
  };
  return rows.map((r) => {
    const job: Record<string, unknown> = {};
    const outputs: Output[] = [];
    for (const k in r) {
      const kind = kindOf(k);
      if (kind === 'output') continue;
      const v = r[k];
      job[k] =
        typeof v === 'bigint' ? Number(v) : kind === 'json' && typeof v === 'string' ? JSON.parse(v) : (v ?? null);
    }
    for (const table of RESULT_TABLES) {
      const path = r[`output_${table}_path`];
      if (typeof path === 'string') outputs.push({ table, path, sha256: String(r[`output_${table}_sha256`]) });
    }
    job.outputs = outputs;
    return job as unknown as ManifestJob;
  });
}
