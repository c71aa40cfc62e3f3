/**
 * The columns of batch_manifest.parquet, built one job at a time (the rules are in
 * manifest-table.ts's file comment). A million-job manifest held every job record as an object
 * (about 1.4 KB each, its five outputs included) before its columns were made: 2.6 GB of worker
 * RSS. Here a job's values go straight into the columns and the record is dropped; repeated
 * strings (scenario ids, times, output paths and checksums of a chunk, errors) and repeated
 * objects (`islanded_buses: []`) are stored once.
 */
import type { ManifestJob } from './job-records';
import type { BatchStats } from '../contracts/workflow-types';
import type { Column } from './parquet';
import { RESULT_TABLES } from './result-tables';

type Cell = string | number | boolean | null;

const int32 = (v: number) => Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31;

/** Types of the record's own fields, whatever their values in one batch (all-null objectives of a power flow stay DOUBLE). */
const KNOWN_TYPES: Record<string, Column['type']> = {
  job_id: 'STRING',
  scenario_id: 'STRING',
  time: 'STRING',
  status: 'STRING',
  error: 'STRING',
  converged: 'BOOLEAN',
  iterations: 'INT32',
  duration_ms: 'DOUBLE',
  objective: 'DOUBLE',
};
/** Whether `name` is one of the record's own fields (its type never depends on the values). */
export const isKnownColumn = (name: string): boolean => name in KNOWN_TYPES;

const DEFAULT_KEYS = [
  'job_id',
  'scenario_id',
  'time',
  'status',
  'error',
  'converged',
  'iterations',
  'duration_ms',
  'objective',
];

/**
 * The column of `values` (undefined = missing) by the rules in manifest-table.ts. Works in
 * place: `values` becomes the column's data (a million-row column is not copied).
 */
function columnOf(name: string, values: unknown[]): { column: Column; json: boolean } {
  let present = 0;
  let numbers = 0;
  let ints = 0;
  let booleans = 0;
  let strings = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === undefined || v === null) {
      values[i] = null;
      continue;
    }
    present++;
    if (typeof v === 'number') {
      numbers++;
      if (int32(v)) ints++;
    } else if (typeof v === 'boolean') booleans++;
    else if (typeof v === 'string') strings++;
  }
  const data = values as Cell[];
  const known = KNOWN_TYPES[name];
  if (known) return { column: { name, type: known, data }, json: false };
  if (present > 0 && numbers === present)
    return { column: { name, type: ints === present ? 'INT32' : 'DOUBLE', data }, json: false };
  if (present > 0 && booleans === present) return { column: { name, type: 'BOOLEAN', data }, json: false };
  if (strings === present) return { column: { name, type: 'STRING', data }, json: false };
  const text = new Map<unknown, string>(); // interned objects: stringified once
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v === null) continue;
    let t = text.get(v);
    if (t === undefined) {
      t = JSON.stringify(v);
      if (text.size < 100_000) text.set(v, t);
    }
    data[i] = t;
  }
  return { column: { name, type: 'STRING', data }, json: true };
}

/** Stores equal strings and equal JSON objects once (bounded: cleared past `limit` entries in all). */
class Interner {
  /** strings by themselves (no key to build for the most common values) */
  private readonly strings = new Map<string, string>();
  /** objects by their JSON text */
  private readonly objects = new Map<string, unknown>();
  constructor(private readonly limit = 100_000) {}
  of<T>(v: T): T {
    if (typeof v === 'string') {
      const hit = this.strings.get(v);
      if (hit !== undefined) return hit as T;
      this.room();
      this.strings.set(v, v);
      return v;
    }
    if (v === null || typeof v !== 'object') return v;
    const key = JSON.stringify(v);
    const hit = this.objects.get(key);
    if (hit !== undefined) return hit as T;
    this.room();
    this.objects.set(key, v);
    return v;
  }
  private room(): void {
    if (this.strings.size + this.objects.size < this.limit) return;
    this.strings.clear();
    this.objects.clear();
  }
}

export class ManifestColumnsBuilder {
  private readonly keys: string[] = [];
  private readonly values = new Map<string, unknown[]>();
  private readonly outputs = RESULT_TABLES.map(() => ({
    path: [] as (string | null)[],
    sha256: [] as (string | null)[],
  }));
  private readonly intern = new Interner();
  /** rows in the columns now (since the last drain) */
  private rows = 0;
  /** rows added in all */
  private total = 0;
  // what batchStats needs
  private ran = 0;
  private ok = 0;
  private iterations = 0;
  private readonly times: number[] = [];

  add(job: ManifestJob): void {
    const rec = job as unknown as Record<string, unknown>;
    for (const k of Object.keys(rec)) {
      if (k === 'outputs' || this.values.has(k)) continue;
      this.keys.push(k);
      this.values.set(k, new Array<unknown>(this.rows).fill(undefined));
    }
    for (const k of this.keys) this.values.get(k)?.push(this.intern.of(rec[k]));
    RESULT_TABLES.forEach((table, t) => {
      const o = job.outputs?.find((x) => x.table === table);
      this.outputs[t].path.push(o ? this.intern.of(o.path) : null);
      this.outputs[t].sha256.push(o ? this.intern.of(o.sha256) : null);
    });
    this.rows++;
    this.total++;
    if (job.status !== 'skipped') {
      this.ran++;
      if (job.status === 'ok') this.ok++;
      this.iterations += job.iterations;
      this.times.push(job.duration_ms);
    }
  }

  /** jobs added in all */
  get count(): number {
    return this.total;
  }

  /** rows held now (added since the last drain) */
  get pending(): number {
    return this.rows;
  }

  /**
   * The columns of the rows added since the last drain (as columns()), and the builder starts
   * on new rows with the same keys; the statistics go on over every row. A streamed manifest
   * writes each drain as a row group.
   */
  drain(): { columns: Column[]; json: string[] } {
    const built = this.columns();
    for (const k of this.keys) this.values.set(k, []);
    for (const o of this.outputs) {
      o.path = [];
      o.sha256 = [];
    }
    this.rows = 0;
    return built;
  }

  /** The manifest's columns in file order, and which hold JSON text (once: the builder's arrays become the columns). */
  columns(): { columns: Column[]; json: string[] } {
    const keys = this.keys.length === 0 ? DEFAULT_KEYS : this.keys.filter((k) => k !== 'outputs');
    const columns: Column[] = [];
    const json: string[] = [];
    for (const k of keys) {
      const c = columnOf(k, this.values.get(k) ?? []);
      columns.push(c.column);
      if (c.json) json.push(k);
    }
    RESULT_TABLES.forEach((table, t) => {
      columns.push({ name: `output_${table}_path`, type: 'STRING', data: this.outputs[t].path });
      columns.push({ name: `output_${table}_sha256`, type: 'STRING', data: this.outputs[t].sha256 });
    });
    return { columns, json };
  }

  /** Counts and timing statistics of the jobs added (skipped jobs count, but not in the timings). */
  stats(): BatchStats {
    const times = this.times.slice().sort((a, b) => a - b);
    const round = (x: number) => Math.round(x * 1000) / 1000;
    return {
      count: this.total,
      ok: this.ok,
      failed: this.ran - this.ok,
      skipped: this.total - this.ran,
      convergence_rate: this.ran ? round(this.ok / this.ran) : 0,
      p50_ms: round(quantile(times, 0.5)),
      p95_ms: round(quantile(times, 0.95)),
      mean_ms: round(times.length ? times.reduce((a, b) => a + b, 0) / times.length : 0),
      max_ms: round(times.length ? times[times.length - 1] : 0),
      avg_iterations: round(this.ran ? this.iterations / this.ran : 0),
    };
  }
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
