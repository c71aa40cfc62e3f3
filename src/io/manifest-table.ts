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
 * SQL reads the keys and checksums directly.
 */
import { readFileSync } from 'node:fs';
import { parquetReadObjects } from 'hyparquet';
import type { JobRecord } from './job-records';
import { Column, writeParquetAtomic } from './parquet';
import { RESULT_TABLES } from './result-tables';

/** A job of the batch manifest: its record, or `skipped` when it never ran. */
export type ManifestJob = Omit<JobRecord, 'status'> & { status: 'ok' | 'failed' | 'skipped' };

type Cell = string | number | boolean | null;
type Output = ManifestJob['outputs'][number];

export interface ManifestTableInfo {
  /** columns in file order */
  columns: string[];
  /** columns holding JSON text (objects in the job records other than `outputs`) */
  json_columns: string[];
  /** SHA-256 of the table file */
  sha256: string;
}

const int32 = (v: number) => Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31;

/** Types of the record's own fields, whatever their values in one batch (all-null objectives of a power flow stay DOUBLE). */
const KNOWN_TYPES: Record<string, Column['type']> = {
  job_id: 'STRING', scenario_id: 'STRING', time: 'STRING', status: 'STRING', error: 'STRING',
  converged: 'BOOLEAN', iterations: 'INT32', duration_ms: 'DOUBLE', objective: 'DOUBLE',
};

function columnOf(name: string, values: unknown[]): { column: Column; json: boolean } {
  const present = values.filter((v) => v !== null && v !== undefined);
  const data = values.map((v) => (v === undefined ? null : v));
  const known = KNOWN_TYPES[name];
  if (known) return { column: { name, type: known, data: data as Cell[] }, json: false };
  if (present.length > 0 && present.every((v) => typeof v === 'number')) {
    return { column: { name, type: (present as number[]).every(int32) ? 'INT32' : 'DOUBLE', data: data as Cell[] }, json: false };
  }
  if (present.length > 0 && present.every((v) => typeof v === 'boolean')) return { column: { name, type: 'BOOLEAN', data: data as Cell[] }, json: false };
  if (present.every((v) => typeof v === 'string')) return { column: { name, type: 'STRING', data: data as Cell[] }, json: false };
  return { column: { name, type: 'STRING', data: data.map((v) => (v === null ? null : JSON.stringify(v))) }, json: true };
}

/** The manifest's columns from its job records (see the file comment for the rules). */
export function manifestColumns(jobs: ManifestJob[]): { columns: Column[]; json: string[] } {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const j of jobs) for (const k of Object.keys(j)) if (!seen.has(k)) { seen.add(k); keys.push(k); }
  if (jobs.length === 0) keys.push('job_id', 'scenario_id', 'time', 'status', 'error', 'converged', 'iterations', 'duration_ms', 'objective');
  const columns: Column[] = [];
  const json: string[] = [];
  for (const k of keys) {
    if (k === 'outputs') continue;
    const c = columnOf(k, jobs.map((j) => (j as unknown as Record<string, unknown>)[k]));
    columns.push(c.column);
    if (c.json) json.push(k);
  }
  for (const table of RESULT_TABLES) {
    const of = (j: ManifestJob): Output | undefined => j.outputs?.find((o) => o.table === table);
    columns.push({ name: `output_${table}_path`, type: 'STRING', data: jobs.map((j) => of(j)?.path ?? null) });
    columns.push({ name: `output_${table}_sha256`, type: 'STRING', data: jobs.map((j) => of(j)?.sha256 ?? null) });
  }
  return { columns, json };
}

/** Writes batch_manifest.parquet atomically; returns what the JSON summary records about it. */
export function writeManifestTable(path: string, jobs: ManifestJob[]): ManifestTableInfo {
  const { columns, json } = manifestColumns(jobs);
  const sha256 = writeParquetAtomic(path, columns);
  return { columns: columns.map((c) => c.name), json_columns: json, sha256 };
}

/** Reads batch_manifest.parquet back into job records (outputs and JSON columns restored). */
export async function readManifestTable(path: string, jsonColumns: string[] = []): Promise<ManifestJob[]> {
  const buf = readFileSync(path);
  const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  const rows = (await parquetReadObjects({ file })) as Record<string, unknown>[];
  return rows.map((r) => {
    const job: Record<string, unknown> = {};
    const outputs: Output[] = [];
    for (const [k, v] of Object.entries(r)) {
      const m = /^output_(.+)_(path|sha256)$/.exec(k);
      if (m) continue;
      job[k] = typeof v === 'bigint' ? Number(v) : jsonColumns.includes(k) && typeof v === 'string' ? JSON.parse(v) : v ?? null;
    }
    for (const table of RESULT_TABLES) {
      const path = r[`output_${table}_path`];
      if (typeof path === 'string') outputs.push({ table, path, sha256: String(r[`output_${table}_sha256`]) });
    }
    job.outputs = outputs;
    return job as unknown as ManifestJob;
  });
}
