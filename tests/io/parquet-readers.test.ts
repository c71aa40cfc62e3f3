/**
 * The writer settings of src/io/parquet-flat-writer.ts and parquet-column-options.ts, read back by real readers: a
 * ParquetStream file (two row groups, as a bucket part is written) and a parquetBytes file, with
 * typed and plain columns, NaN, nulls, repeated and unique strings and booleans, read by pyarrow,
 * DuckDB and polars with every value equal; statistics only on the key columns (pyarrow's
 * metadata), snappy only where it shrinks a column, dictionaries for repeated strings and constant columns (parquet-flat-writer.ts), with DuckDB seeing each row group's scenario_id bounds (what it prunes row groups by).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Column, parquetBytes } from '../../src/io/parquet';
import { KEY_COLUMNS } from '../../src/io/parquet-column-options';
import { ParquetStream } from '../../src/io/parquet-stream';
import { query } from '../helpers/duckdb';
import { testWith } from '../helpers/requirements';

const n = 3_000;
const range = <T>(f: (i: number) => T) => Array.from({ length: n }, (_, i) => f(i));

/** One row group of a part: rows of scenario `s${g}`, every kind of column. */
function group(g: number): Column[] {
  return [
    { name: 'scenario_id', type: 'STRING', data: range(() => `s${g}`) },
    { name: 'time', type: 'STRING', data: range((i) => (i % 2 ? null : `2025-01-0${g + 1}T00:00:00Z`)) },
    { name: 'job_id', type: 'STRING', data: range((i) => `pf_dc:s${g}:${i}`) },
    { name: 'bus_id', type: 'INT32', data: Int32Array.from(range((i) => (i % 118) + 1)) },
    { name: 'vm_pu', type: 'DOUBLE', data: Float64Array.from(range((i) => 1 + i / 1e5 + g)) },
    { name: 'va_deg', type: 'DOUBLE', data: Float64Array.from(range((i) => (i % 9 ? Math.sin(i) * 30 : NaN))) },
    { name: 'qf_mvar', type: 'DOUBLE', data: Float64Array.from(range(() => 0)) },
    { name: 'pf_mw', type: 'DOUBLE', data: range((i) => (i % 13 ? i * 0.25 : i % 2 ? null : NaN)) },
    { name: 'in_service', type: 'BOOLEAN', data: range((i) => i % 5 !== 0) },
  ];
}

const clean = (v: unknown) => (typeof v === 'number' && Number.isNaN(v) ? null : v);
const expected = (cols: readonly Column[][], name: string) =>
  cols.flatMap((g) => Array.from(g.find((c) => c.name === name)!.data as ArrayLike<unknown>, clean));

const PY_READ = [
  'import json, sys, pyarrow.parquet as pq, polars as pl',
  'f = pq.ParquetFile(sys.argv[1]); t = f.read(); md = f.metadata',
  'codecs = {md.schema.column(i).name: md.row_group(0).column(i).compression for i in range(md.num_columns)}',
  'encodings = {md.schema.column(i).name: list(md.row_group(0).column(i).encodings) for i in range(md.num_columns)}',
  'stats = sorted({md.schema.column(i).name for g in range(md.num_row_groups) for i in range(md.num_columns) if md.row_group(g).column(i).is_stats_set and md.row_group(g).column(i).statistics.has_min_max})',
  'p = pl.read_parquet(sys.argv[1])',
  'print(json.dumps({"groups": md.num_row_groups, "codecs": codecs, "encodings": encodings, "stats": stats, "cols": t.to_pydict(), "polars": p.to_dict(as_series=False)}))',
].join('\n');

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'parquet-readers-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function streamed(): { path: string; groups: Column[][] } {
  const groups = [group(0), group(1)];
  const path = join(dir, 'part.parquet');
  const s = new ParquetStream(
    path,
    groups[0].map((c) => ({ name: c.name, type: c.type })),
  );
  for (const g of groups) s.write(g);
  s.finish();
  return { path, groups };
}

testWith('pyarrow', 'tests/io/parquet-readers.test.ts')(
  'pyarrow and polars read every value of a streamed part; statistics only on key columns',
  () => {
    const { path, groups } = streamed();
    const got = JSON.parse(
      execFileSync('python3', ['-c', PY_READ, path], { encoding: 'utf8', maxBuffer: 1 << 26 }),
    ) as {
      groups: number;
      codecs: Record<string, string>;
      encodings: Record<string, string[]>;
      stats: string[];
      cols: Record<string, unknown[]>;
      polars: Record<string, unknown[]>;
    };
    expect(got.groups).toBe(2);
    // measured-looking doubles go uncompressed, the other columns through snappy; a constant
    // column and a repeating string column as a dictionary
    expect(got.codecs).toMatchObject({ vm_pu: 'UNCOMPRESSED', va_deg: 'UNCOMPRESSED', bus_id: 'SNAPPY' });
    expect(got.codecs.scenario_id).toBe('SNAPPY');
    expect(got.encodings.qf_mvar).toContain('RLE_DICTIONARY');
    expect(got.encodings.scenario_id).toContain('RLE_DICTIONARY');
    expect(got.encodings.job_id).not.toContain('RLE_DICTIONARY');
    expect(got.stats).toEqual(
      groups[0]
        .map((c) => c.name)
        .filter((c) => KEY_COLUMNS.has(c))
        .sort(),
    );
    for (const c of groups[0]) {
      expect({ [c.name]: got.cols[c.name] }).toEqual({ [c.name]: expected(groups, c.name) });
      expect({ [c.name]: got.polars[c.name] }).toEqual({ [c.name]: expected(groups, c.name) });
    }
  },
);

test('DuckDB reads every value of a streamed part and of a whole file, with scenario_id bounds per row group', async () => {
  const { path, groups } = streamed();
  const whole = join(dir, 'whole.parquet');
  writeFileSync(whole, parquetBytes(groups[1]));
  for (const [file, gs] of [
    [path, groups],
    [whole, [groups[1]]],
  ] as const) {
    const rows = await query(`SELECT * FROM read_parquet('${file}')`);
    for (const c of groups[0])
      expect({ [c.name]: rows.map((r) => r[c.name]) }).toEqual({ [c.name]: expected(gs, c.name) });
  }
  const stats = await query(
    `SELECT row_group_id, stats_min_value, stats_max_value FROM parquet_metadata('${path}') WHERE path_in_schema = 'scenario_id' ORDER BY row_group_id`,
  );
  expect(stats.map((r) => [r.stats_min_value, r.stats_max_value])).toEqual([
    ['s0', 's0'],
    ['s1', 's1'],
  ]);
  const [{ c }] = await query(`SELECT count(*) AS c FROM read_parquet('${path}') WHERE scenario_id = 's1'`);
  expect(c).toBe(n);
});
