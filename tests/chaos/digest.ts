/**
 * What a study wrote, reduced to what must not depend on crashes: per Parquet table (all part
 * files of results/, features/ and report/), the row count, the distinct-row count and a
 * checksum of its rows in a stable order, read back with DuckDB and ignoring timing columns;
 * the manifest's jobs without their timings; the list of files; temporary files left behind.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ManifestJob } from '../../src/activities/batch-manifest';
import { manifestOf } from '../helpers/manifest';
import { TMP_SUFFIX } from '../../src/io/atomic';
import { query } from '../helpers/duckdb';

/** Columns whose values are timings or clocks: they differ between any two runs. */
export const TIMING_COLUMN = /(^|_)ms$|^created_at$|^generated_at$/;
/**
 * Checksums of files that hold timings (the manifest table's output_summary_sha256: summary
 * parts carry solve_ms); each output's checksum is checked against its file instead.
 */
const CHECKSUM_COLUMN = /_sha256$/;

export interface TableDigest {
  files: number;
  rows: number;
  distinctRows: number;
  columns: string[];
  sha256: string;
}

export interface StudyDigest {
  tables: Record<string, TableDigest>;
  /** every file under the output folder, relative, sorted */
  files: string[];
  /** sha256 of every file's bytes, by relative path */
  bytes: Record<string, string>;
  tmpFiles: string[];
  /** manifest jobs without duration_ms, outputs without sha256 (the summary part holds solve_ms) */
  jobs: Omit<ManifestJob, 'duration_ms'>[];
  stats: {
    count: number;
    ok: number;
    failed: number;
    skipped: number;
    convergence_rate: number;
    avg_iterations: number;
  };
  /** manifest outputs whose sha256 is not the file's on disk */
  shaMismatches: string[];
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** results/pf_ac/bus/scenario_id=x/part-00000.parquet (or bucket=00000/part-0000000-00000.parquet) -> results/pf_ac/bus; report/jobs.parquet stays. */
export function tableKey(rel: string): string {
  const parts = rel.split(sep).filter((s) => !/^[A-Za-z_]+=/.test(s));
  if (/^part-[\d-]+\.parquet$/.test(parts[parts.length - 1])) parts.pop(); // part-00000, part-0000000-00000 (buckets)
  return parts.join('/');
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

export async function tableDigest(files: string[]): Promise<TableDigest> {
  const src = `read_parquet([${files.map(sqlString).join(', ')}], union_by_name = true, hive_partitioning = false)`;
  const cols = (await query(`describe select * from ${src}`)).map((r) => String(r.column_name));
  const kept = cols.filter((c) => !TIMING_COLUMN.test(c) && !CHECKSUM_COLUMN.test(c));
  const select = kept.map((c) => `"${c.replace(/"/g, '""')}"`).join(', ');
  const rows = await query(`select to_json(x)::varchar as t from (select ${select} from ${src}) x order by t`);
  const h = createHash('sha256');
  const seen = new Set<string>();
  for (const r of rows) {
    const t = String(r.t);
    seen.add(t);
    h.update(t).update('\n');
  }
  return { files: files.length, rows: rows.length, distinctRows: seen.size, columns: kept, sha256: h.digest('hex') };
}

export async function studyDigest(outDir: string): Promise<StudyDigest> {
  const all = walk(outDir)
    .map((p) => relative(outDir, p))
    .sort();
  const groups = new Map<string, string[]>();
  for (const rel of all.filter((f) => f.endsWith('.parquet'))) {
    const k = tableKey(rel);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(join(outDir, rel));
  }
  const tables: Record<string, TableDigest> = {};
  for (const [k, files] of [...groups].sort(([a], [b]) => a.localeCompare(b))) tables[k] = await tableDigest(files);

  const m = await manifestOf(outDir);
  const shaMismatches: string[] = [];
  const fileSha = new Map<string, string>();
  for (const j of m.jobs) {
    for (const o of j.outputs) {
      if (!fileSha.has(o.path)) {
        let sha = 'missing';
        try {
          sha = createHash('sha256')
            .update(readFileSync(join(outDir, o.path)))
            .digest('hex');
        } catch {
          // reported as a mismatch
        }
        fileSha.set(o.path, sha);
      }
      if (fileSha.get(o.path) !== o.sha256) shaMismatches.push(`${j.job_id}: ${o.path}`);
    }
  }
  const jobs = m.jobs.map(({ duration_ms: _d, outputs, ...rest }) => ({
    ...rest,
    outputs: outputs.map((o) => ({ ...o, sha256: '' })),
  }));
  const { count, ok, failed, skipped, convergence_rate, avg_iterations } = m.stats;
  return {
    tables,
    files: all,
    bytes: Object.fromEntries(
      all.map((f) => [
        f,
        createHash('sha256')
          .update(readFileSync(join(outDir, f)))
          .digest('hex'),
      ]),
    ),
    tmpFiles: all.filter((f) => f.endsWith(TMP_SUFFIX)),
    jobs,
    stats: { count, ok, failed, skipped, convergence_rate, avg_iterations },
    shaMismatches,
  };
}
