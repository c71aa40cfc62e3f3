/**
 * ManifestColumnsBuilder (src/io/manifest-columns.ts) builds batch_manifest.parquet one job at a
 * time, interning repeated values, in place. It must give the same bytes as building the columns
 * from the whole job list the straightforward way (the rules of manifest-table.ts, restated
 * below as the reference): same column order and types, same nulls, same JSON text, same stats.
 */
import type { ManifestJob } from '../../src/activities/batch-manifest';
import { ManifestColumnsBuilder } from '../../src/io/manifest-columns';
import { Column, parquetBytes } from '../../src/io/parquet';
import { RESULT_TABLES } from '../../src/io/result-tables';

type Cell = string | number | boolean | null;
const KNOWN: Record<string, Column['type']> = {
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
const int32 = (v: number) => Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31;

/** The reference: every job in memory, one pass per column. */
function referenceColumns(jobs: ManifestJob[]): Column[] {
  const keys: string[] = [];
  for (const j of jobs) for (const k of Object.keys(j)) if (!keys.includes(k)) keys.push(k);
  const columns: Column[] = [];
  for (const k of keys.filter((x) => x !== 'outputs')) {
    const values = jobs.map((j) => (j as unknown as Record<string, unknown>)[k]);
    const present = values.filter((v) => v !== null && v !== undefined);
    const data = values.map((v) => (v === undefined ? null : v)) as Cell[];
    let type: Column['type'] = KNOWN[k] ?? 'STRING';
    let cells = data;
    if (!KNOWN[k]) {
      if (present.length && present.every((v) => typeof v === 'number'))
        type = (present as number[]).every(int32) ? 'INT32' : 'DOUBLE';
      else if (present.length && present.every((v) => typeof v === 'boolean')) type = 'BOOLEAN';
      else if (!present.every((v) => typeof v === 'string'))
        cells = data.map((v) => (v === null ? null : JSON.stringify(v)));
    }
    columns.push({ name: k, type, data: cells });
  }
  for (const table of RESULT_TABLES) {
    const of = (j: ManifestJob) => j.outputs.find((o) => o.table === table);
    columns.push({ name: `output_${table}_path`, type: 'STRING', data: jobs.map((j) => of(j)?.path ?? null) });
    columns.push({ name: `output_${table}_sha256`, type: 'STRING', data: jobs.map((j) => of(j)?.sha256 ?? null) });
  }
  return columns;
}

function jobsOf(n: number): ManifestJob[] {
  return Array.from({ length: n }, (_, k) => {
    const chunk = Math.floor(k / 24);
    const skipped = k % 97 === 5;
    const outputs = skipped
      ? []
      : ['bus', 'branch', 'gen', 'summary'].map((table) => ({
          table,
          path: `results/pf_dc/${table}/scenario_id=s${chunk}/part-00000.parquet`,
          sha256: `${chunk % 10}`.repeat(64),
        }));
    const job: Record<string, unknown> = {
      job_id: `pf_dc:s${chunk}:${k % 24}`,
      scenario_id: `s${chunk}`,
      time: k % 24 === 23 ? null : `2025-01-15T${String(k % 24).padStart(2, '0')}:00:00Z`,
      status: skipped ? 'skipped' : k % 13 === 0 ? 'failed' : 'ok',
      error: k % 13 === 0 ? 'did not converge' : null,
      converged: k % 13 !== 0,
      iterations: k % 7,
      duration_ms: 0.125 * (k % 31),
      objective: k % 3 ? null : 1000 + k,
      outputs,
    };
    // fields of newer records: absent from skipped rows, objects, mixed ints and doubles, a field first seen late
    if (!skipped)
      Object.assign(job, { islanded_buses: k % 50 === 0 ? [8, 9] : [], load_lost_mw: k % 50 === 0 ? 12.5 : 0 });
    if (k > 300) job.late_flag = k % 2 === 0;
    if (k > 400) job.late_int = k;
    return job as unknown as ManifestJob;
  });
}

describe('ManifestColumnsBuilder', () => {
  test('same columns and the same Parquet bytes as the whole-list reference', () => {
    const jobs = jobsOf(1000);
    const b = new ManifestColumnsBuilder();
    for (const j of jobs) b.add(j);
    expect(b.count).toBe(1000);
    const built = b.columns();
    const ref = referenceColumns(jobs);
    expect(built.columns.map((c) => [c.name, c.type])).toEqual(ref.map((c) => [c.name, c.type]));
    expect(built.json).toEqual(['islanded_buses']);
    for (const [i, c] of built.columns.entries())
      expect([c.name, Array.from(c.data as ArrayLike<Cell>)]).toEqual([c.name, ref[i].data]);
    expect(Buffer.from(parquetBytes(built.columns)).equals(Buffer.from(parquetBytes(ref)))).toBe(true);
  });

  test('stats: skipped jobs counted but not timed', () => {
    const jobs = jobsOf(500);
    const b = new ManifestColumnsBuilder();
    for (const j of jobs) b.add(j);
    const ran = jobs.filter((j) => j.status !== 'skipped');
    const times = ran.map((j) => j.duration_ms).sort((x, y) => x - y);
    const s = b.stats();
    expect([s.count, s.ok, s.failed, s.skipped]).toEqual([
      500,
      ran.filter((j) => j.status === 'ok').length,
      ran.filter((j) => j.status === 'failed').length,
      500 - ran.length,
    ]);
    expect(s.max_ms).toBe(times[times.length - 1]);
    expect(s.mean_ms).toBe(Math.round((times.reduce((a, x) => a + x, 0) / times.length) * 1000) / 1000);
    expect(s.avg_iterations).toBe(Math.round((ran.reduce((a, j) => a + j.iterations, 0) / ran.length) * 1000) / 1000);
  });

  test('no jobs: the record fields as columns', () => {
    const built = new ManifestColumnsBuilder().columns();
    expect(built.columns.map((c) => c.name).slice(0, 9)).toEqual(Object.keys(KNOWN));
    expect(built.columns.every((c) => (c.data as unknown[]).length === 0)).toBe(true);
  });
});
