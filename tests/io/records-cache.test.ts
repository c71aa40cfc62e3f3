/**
 * The records rows a solve thread remembers (src/io/records-cache.ts) give the same job records
 * as reading the file back: missing keys, nulls, NaN, -0, JSON objects and outputs included; a
 * file replaced since is read from disk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ManifestJob } from '../../src/activities/batch-manifest';
import { ManifestColumnsBuilder } from '../../src/io/manifest-columns';
import { manifestJobsOf, readManifestTable, writeManifestColumns } from '../../src/io/manifest-table';
import { rememberedRecordRows, rememberRecordRows } from '../../src/io/records-cache';

const JSON_COLUMNS = ['islanded_buses'];

function record(k: number): ManifestJob & Record<string, unknown> {
  const r: ManifestJob & Record<string, unknown> = {
    job_id: `pf_dc:s${k}:-`,
    scenario_id: `s${k}`,
    time: k % 2 ? null : '2025-01-15T08:00:00Z',
    status: k === 1 ? 'failed' : 'ok',
    error: k === 1 ? 'did not converge' : null,
    converged: k !== 1,
    iterations: k === 2 ? -0 : k,
    duration_ms: k === 3 ? NaN : k === 4 ? -0 : 0.25 * k,
    objective: null,
    outputs:
      k === 1
        ? [{ table: 'summary', path: `results/s${k}.parquet`, sha256: 'a'.repeat(64) }]
        : ['bus', 'summary'].map((table) => ({
            table,
            path: `results/${table}-s${k}.parquet`,
            sha256: `${k}`.repeat(64),
          })),
    scenario_index: k,
    chunk: 0,
  } as ManifestJob & Record<string, unknown>;
  if (k > 2) r.islanded_buses = k === 4 ? [] : [k, k + 1];
  if (k === 5) r.load_lost_mw = 12.5;
  return r;
}

describe('records cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'records-cache-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('remembered rows give the job records the file gives', async () => {
    const path = join(dir, 'part-a.parquet');
    const built = new ManifestColumnsBuilder();
    for (let k = 0; k < 7; k++) built.add(record(k));
    const cols = built.columns();
    writeManifestColumns(path, cols);
    rememberRecordRows(path, cols.columns);
    const rows = rememberedRecordRows(path);
    expect(rows).toBeDefined();
    const fromFile = await readManifestTable(path, JSON_COLUMNS);
    const fromMemory = manifestJobsOf(rows ?? [], JSON_COLUMNS);
    expect(fromMemory).toEqual(fromFile);
    // the same keys in the same order (the batch manifest's columns follow them)
    expect(fromMemory.map((j) => Object.keys(j))).toEqual(fromFile.map((j) => Object.keys(j)));
    expect(Object.is(fromMemory[2].iterations, 0)).toBe(true);
    expect(fromMemory[3].duration_ms).toBeNull();
  });

  test('a file replaced since it was written is not served from memory', () => {
    const path = join(dir, 'part-b.parquet');
    const built = new ManifestColumnsBuilder();
    built.add(record(0));
    const cols = built.columns();
    writeManifestColumns(path, cols);
    rememberRecordRows(path, cols.columns);
    expect(rememberedRecordRows(path)).toBeDefined();
    const other = new ManifestColumnsBuilder();
    other.add(record(5));
    writeManifestColumns(path, other.columns());
    expect(rememberedRecordRows(path)).toBeUndefined();
  });
});
