/**
 * batch_manifest.parquet + batch_manifest.json: every field of the job records round-trips
 * (fields other engineers add become columns by themselves), the JSON summary stays small, and
 * the table is read by DuckDB and pyarrow with the same rows. CI installs pyarrow.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManifestJob, readBatchManifest } from '../../src/activities/batch-manifest';
import { layout } from '../../src/io/layout';
import { readManifestTable, writeManifestTable } from '../../src/io/manifest-table';
import { runLocalBatch } from '../featurize/local-batch';
import { query } from '../helpers/duckdb';

const job = (k: number, extra: Record<string, unknown> = {}): ManifestJob =>
  ({
    job_id: `pf_dc:s${k}:2025-01-15T08:00:00Z`,
    scenario_id: `s${k}`,
    time: k % 2 ? null : '2025-01-15T08:00:00Z',
    status: k === 1 ? 'failed' : 'ok',
    error: k === 1 ? 'did not converge' : null,
    converged: k !== 1,
    iterations: k,
    duration_ms: 0.25 * k,
    objective: null,
    outputs:
      k === 1
        ? [
            {
              table: 'summary',
              path: `results/pf_dc/summary/scenario_id=s${k}/part-00000.parquet`,
              sha256: 'a'.repeat(64),
            },
          ]
        : ['bus', 'branch', 'gen', 'summary'].map((table) => ({
            table,
            path: `results/pf_dc/${table}/scenario_id=s${k}/part-00000.parquet`,
            sha256: `${k}`.repeat(64),
          })),
    ...extra,
  }) as ManifestJob;

describe('batch manifest as a Parquet table', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'gb-manifest-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  test('every field of the job records round-trips, including fields added to the record later', async () => {
    const jobs = [0, 1, 2].map((k) =>
      job(k, { islanded_buses: k === 2 ? [8, 9] : [], load_lost_mw: k === 2 ? 12.5 : 0 }),
    );
    const path = join(tmp, 'm.parquet');
    const info = writeManifestTable(path, jobs);
    expect(info.columns).toEqual([
      'job_id',
      'scenario_id',
      'time',
      'status',
      'error',
      'converged',
      'iterations',
      'duration_ms',
      'objective',
      'islanded_buses',
      'load_lost_mw',
      'output_bus_path',
      'output_bus_sha256',
      'output_branch_path',
      'output_branch_sha256',
      'output_gen_path',
      'output_gen_sha256',
      'output_summary_path',
      'output_summary_sha256',
    ]);
    expect(info.json_columns).toEqual(['islanded_buses']);
    expect(await readManifestTable(path, info.json_columns)).toEqual(jobs);
  });

  test('a batch writes the table and a small JSON summary; DuckDB and pyarrow read the same rows', async () => {
    const out = runLocalBatch('pf_dc', 'manifest-table');
    const summary = JSON.parse(readFileSync(layout.batchManifest(out), 'utf8')) as Record<string, unknown>;
    expect(summary).toMatchObject({
      format: 'gridbatch.batch_manifest/2',
      jobs_table: 'batch_manifest.parquet',
      task: 'pf_dc',
    });
    expect(summary).not.toHaveProperty('jobs');
    expect(statSync(layout.batchManifest(out)).size).toBeLessThan(4096);
    const { jobs } = await readBatchManifest(out);
    expect(jobs.length).toBe(summary.num_jobs);
    const failed = jobs.filter((j) => j.status === 'failed').length;
    expect(failed).toBe(summary.failure);

    const table = layout.batchManifestTable(out).replace(/'/g, "''");
    const [d] = await query(
      `select count(*) as n, count(*) filter (where status = 'failed') as failed, count(distinct job_id) as ids, sum(iterations) as its from read_parquet('${table}')`,
    );
    expect(d).toEqual({ n: jobs.length, failed, ids: jobs.length, its: jobs.reduce((a, j) => a + j.iterations, 0) });
    const bySha = await query(
      `select job_id, output_bus_sha256 from read_parquet('${table}') where status = 'ok' order by job_id limit 3`,
    );
    for (const r of bySha)
      expect(r.output_bus_sha256).toBe(
        jobs.find((j) => j.job_id === r.job_id)!.outputs.find((o) => o.table === 'bus')!.sha256,
      );

    const py = spawnSync(
      'python3',
      [
        '-c',
        [
          'import sys, json, pyarrow.parquet as pq',
          't = pq.read_table(sys.argv[1])',
          'print(json.dumps({"rows": t.num_rows, "failed": sum(1 for s in t.column("status").to_pylist() if s == "failed"), "columns": t.schema.names, "ids": t.column("job_id").to_pylist()}))',
        ].join('\n'),
        layout.batchManifestTable(out),
      ],
      { encoding: 'utf8' },
    );
    expect(py.stderr).toBe('');
    const p = JSON.parse(py.stdout) as { rows: number; failed: number; columns: string[]; ids: string[] };
    expect(p).toMatchObject({ rows: jobs.length, failed });
    expect(p.ids).toEqual(jobs.map((j) => j.job_id));
    expect(p.columns.slice(0, 4)).toEqual(['job_id', 'scenario_id', 'time', 'status']);
  });
});
