/**
 * ManifestStream (src/io/manifest-stream.ts) writes batch_manifest.parquet a row group at a time:
 * read back, it holds the same jobs as the table built in memory (manifest-columns.ts), with the
 * same statistics; a later group that does not fit the first group's columns (a field first seen
 * late) is refused, so the caller builds the manifest in memory instead.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ManifestJob } from '../../src/activities/batch-manifest';
import { ManifestColumnsBuilder } from '../../src/io/manifest-columns';
import { ManifestStream } from '../../src/io/manifest-stream';
import { readManifestTable, writeManifestColumns } from '../../src/io/manifest-table';
import { readParquetRows } from '../../src/io/parquet-rows';
import { ARTIFACTS } from '../helpers/test-server';

const dir = join(ARTIFACTS, 'manifest-stream');

/** n jobs of 24 slices a scenario: skipped, failed and islanded ones, ints and doubles mixed in load_lost_mw. */
function jobsOf(n: number, lateField = false): ManifestJob[] {
  return Array.from({ length: n }, (_, k) => {
    const chunk = Math.floor(k / 24);
    const skipped = k % 97 === 5;
    const outputs = skipped
      ? []
      : ['bus', 'branch', 'gen', 'summary'].map((table) => ({
          table,
          path: `results/pf_dc/${table}/bucket=00000/part-${String(chunk).padStart(7, '0')}-00000.parquet`,
          sha256: `${chunk % 10}`.repeat(64),
        }));
    const job: Record<string, unknown> = {
      job_id: `pf_dc:s${chunk}:${k % 24}`,
      scenario_id: `s${chunk}`,
      time: `2025-01-15T${String(k % 24).padStart(2, '0')}:00:00Z`,
      status: skipped ? 'skipped' : k % 13 === 0 ? 'failed' : 'ok',
      error: k % 13 === 0 ? 'did not converge' : null,
      converged: k % 13 !== 0,
      iterations: k % 7,
      duration_ms: 0.125 * (k % 31),
      objective: null,
      outputs,
    };
    // fractional lost load only after the first group: the stream's DOUBLE column takes it
    if (!skipped) Object.assign(job, { islanded_buses: k % 250 === 0 ? [8, 9] : [], load_lost_mw: k > 150 ? 0.5 : 0 });
    if (lateField && k > 300) job.late_flag = k % 2 === 0;
    return job as unknown as ManifestJob;
  });
}

describe('ManifestStream', () => {
  beforeEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('row groups read back as the in-memory table, with the same stats', async () => {
    const jobs = jobsOf(1000);
    const stream = new ManifestStream(join(dir, 'streamed.parquet'), 128);
    for (const j of jobs) expect(stream.add(j)).toBe(true);
    const info = stream.finish();
    expect(info).toBeDefined();
    expect(info?.json_columns).toEqual(['islanded_buses']);
    const b = new ManifestColumnsBuilder();
    for (const j of jobs) b.add(j);
    expect(stream.count).toBe(1000);
    expect(stream.stats()).toEqual(b.stats());
    const whole = writeManifestColumns(join(dir, 'whole.parquet'), b.columns());
    expect(info?.columns).toEqual(whole.columns);
    const streamed = await readManifestTable(join(dir, 'streamed.parquet'), info?.json_columns);
    const inMemory = await readManifestTable(join(dir, 'whole.parquet'), whole.json_columns);
    expect(streamed).toEqual(inMemory);
    // 1000 rows in groups of 128: the first group fixed load_lost_mw (all 0) as DOUBLE, so 0.5 fits
    expect((await readParquetRows(join(dir, 'streamed.parquet'), ['load_lost_mw'])).at(-1)?.load_lost_mw).toBe(0.5);
    expect(readdirSync(dir).sort()).toEqual(['streamed.parquet', 'whole.parquet']); // no temporary file left
  });

  test('a field first seen in a later group does not fit: add() says so and abort leaves nothing', () => {
    const stream = new ManifestStream(join(dir, 'late.parquet'), 128);
    let fits = true;
    for (const j of jobsOf(1000, true)) if (!(fits = stream.add(j))) break;
    expect(fits).toBe(false);
    stream.abort();
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });
});
