/**
 * gridbatch's flat Parquet writer (src/io/parquet-flat-writer.ts, parquet-flat-encode.ts) read
 * back bit for bit by pyarrow, polars, DuckDB and hyparquet: every table a part writes (bus,
 * branch, gen and summary of pf_dc and pf_ac case118 jobs, a failed job among them, and the job
 * records), streamed as a part writes them (its chunks as pieces of a row group, two row groups)
 * and as a whole file; and a table of the encodings' edge cases (dictionaries with runs and with
 * bit-packed indexes wider than a byte, definition levels as runs and bit-packed, all-null and
 * constant columns, -0, extreme INT32 and INT64 values, non-ASCII strings, whose statistics are
 * in UTF-8 byte order).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCaseFile } from '../../src/grid/matpower-case';
import { cloneNetwork } from '../../src/grid/network';
import { jobRecordOf } from '../../src/io/job-records';
import { ManifestColumnsBuilder } from '../../src/io/manifest-columns';
import { Column, parquetBytes } from '../../src/io/parquet';
import { readParquetRows } from '../../src/io/parquet-rows';
import { ParquetStream } from '../../src/io/parquet-stream';
import { jobIdOf, RESULT_TABLES, resultTable, SolvedJob } from '../../src/io/result-tables';
import { solvePfAc } from '../../src/solvers/pf-ac';
import { solvePfDc } from '../../src/solvers/pf-dc';
import { query } from '../helpers/duckdb';
import { testWith } from '../helpers/requirements';

type Cell = string | number | boolean | bigint | null;

/** Jobs of `task` on case118, each load scaled by `scales[k]` (a large one does not converge under AC). */
function solved(task: 'pf_dc' | 'pf_ac', scales: number[]): SolvedJob[] {
  const base = readCaseFile(join(__dirname, '..', 'fixtures', 'cases', 'case118.m'));
  return scales.map((f, k) => {
    const net = cloneNetwork(base);
    for (let i = 0; i < net.bus.n; i++) {
      net.bus.Pd[i] *= f;
      net.bus.Qd[i] *= f;
    }
    const scenarioId = `sc${k}`;
    const time = k % 2 ? '2025-01-15T08:00:00Z' : null;
    const solution = task === 'pf_dc' ? solvePfDc(net) : solvePfAc(net);
    return { jobId: jobIdOf(task, scenarioId, time), scenarioId, time, net, solution };
  });
}

/** A part's tables as its chunks (one or two jobs each) make them, and the part's job records. */
function partTables(task: 'pf_dc' | 'pf_ac'): { name: string; chunks: Column[][] }[] {
  const jobs = solved(task, [0.9, 1.05, 1.2, 12, 0.8]);
  if (task === 'pf_ac') expect(jobs.some((j) => !j.solution.converged)).toBe(true);
  const chunks = [jobs.slice(0, 2), jobs.slice(2, 3), jobs.slice(3)];
  const tables = RESULT_TABLES.map((t) => ({
    name: `${task}-${t}`,
    chunks: chunks.map((c) => resultTable(t, task, c)),
  }));
  const outputs = RESULT_TABLES.map((table) => ({
    table,
    path: `results/${task}/${table}/p.parquet`,
    sha256: 'ab'.repeat(32),
  }));
  const records = new ManifestColumnsBuilder();
  jobs.forEach((j, k) => records.add({ ...jobRecordOf(j, outputs), scenario_index: k, chunk: 0 } as never));
  tables.push({ name: `${task}-records`, chunks: [records.columns().columns] });
  return tables;
}

const n = 5_000;
const range = <T>(f: (i: number) => T) => Array.from({ length: n }, (_, i) => f(i));

const edgeCases: Column[] = [
  { name: 'scenario_id', type: 'STRING', data: range((i) => `s${Math.floor(i / 118)}`) },
  // 1,000 values, each on 3 consecutive rows: a dictionary whose 10-bit indexes are bit-packed
  { name: 'wide_dict', type: 'STRING', data: range((i) => `v${Math.floor(i / 3) % 1000}`) },
  { name: 'time', type: 'STRING', data: range((i) => ['é', '\u{1F600}', '\uE000', 'z', '', 'ab'][i % 6]) },
  { name: 'job_id', type: 'STRING', data: range((i) => `pf_dc:s${i}:${i % 3 ? '-' : 'é'}`) },
  { name: 'sparse_null', type: 'STRING', data: range((i) => (i < 4000 ? null : `x${i % 2}`)) },
  { name: 'alt_null', type: 'DOUBLE', data: range((i) => (i % 2 ? null : i / 7)) },
  { name: 'all_null', type: 'DOUBLE', data: range(() => null) },
  { name: 'neg_zero', type: 'DOUBLE', data: Float64Array.from(range((i) => (i % 3 ? -0 : 0))) },
  { name: 'const', type: 'DOUBLE', data: Float64Array.from(range(() => 1.5)) },
  { name: 'const_neg_zero', type: 'DOUBLE', data: Float64Array.from(range(() => -0)) },
  { name: 'extremes', type: 'INT32', data: range((i) => [2 ** 31 - 1, -(2 ** 31), 0, i][i % 4]) },
  { name: 'int_null', type: 'INT32', data: range((i) => (i % 5 ? i : null)) },
  { name: 'big', type: 'INT64', data: range((i) => (i % 9 ? BigInt(i) * 2n ** 40n - 7n : null)) as never },
  { name: 'flags', type: 'BOOLEAN', data: range((i) => (i % 7 ? i % 3 === 0 : null)) },
];

const PY_READ = [
  'import json, math, sys, pyarrow.parquet as pq, polars as pl',
  'def cell(v):',
  '    if isinstance(v, bool) or v is None: return v',
  '    if isinstance(v, int): return {"int": str(v)}',
  '    if isinstance(v, float) and not math.isfinite(v): return {"float": str(v)}',
  '    return v',
  'out = {}',
  'for path in sys.argv[1:]:',
  '    f = pq.ParquetFile(path); md = f.metadata; t = f.read()',
  '    stats = {}',
  '    for i in range(md.num_columns):',
  '        s = md.row_group(0).column(i).statistics',
  '        if s is not None and s.has_min_max: stats[md.schema.column(i).name] = [cell(s.min), cell(s.max), s.null_count]',
  '    p = pl.read_parquet(path)',
  '    out[path] = {"cols": {k: [cell(v) for v in vs] for k, vs in t.to_pydict().items()},',
  '                 "polars": {k: [cell(v) for v in p[k].to_list()] for k in p.columns}, "stats": stats}',
  'print(json.dumps(out))',
].join('\n');

/** A value as the Python side prints it (integers as text, so INT64 keeps every digit). */
function asPrinted(v: unknown): unknown {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return null;
  if (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v) && !Object.is(v, -0)))
    return { int: String(v) };
  return v;
}

function expectedValues(chunks: Column[][], k: number, type: Column['type']): unknown[] {
  const vals = chunks.flatMap((cols) => Array.from(cols[k].data as ArrayLike<unknown>));
  // a DOUBLE that happens to be integral prints as a float in Python (1.0), so only INT columns print as integers
  return vals.map((v) => (type === 'DOUBLE' ? (typeof v === 'number' && Number.isNaN(v) ? null : v) : asPrinted(v)));
}

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'parquet-flat-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every table twice: streamed (chunks as pieces, two row groups) and whole (parquetBytes). */
function writeAll(): { path: string; chunks: Column[][] }[] {
  const tables = [...partTables('pf_dc'), ...partTables('pf_ac'), { name: 'edge', chunks: [edgeCases] }];
  const files: { path: string; chunks: Column[][] }[] = [];
  for (const t of tables) {
    const streamed = join(dir, `${t.name}-stream.parquet`);
    const s = new ParquetStream(streamed, t.chunks[0]);
    s.writeGroup(t.chunks);
    s.write(t.chunks[0]);
    s.finish();
    files.push({ path: streamed, chunks: [...t.chunks, t.chunks[0]] });
    const whole = join(dir, `${t.name}-whole.parquet`);
    writeFileSync(whole, parquetBytes(t.chunks.length === 1 ? t.chunks[0] : joined(t.chunks)));
    files.push({ path: whole, chunks: t.chunks });
  }
  return files;
}

function joined(chunks: Column[][]): Column[] {
  return chunks[0].map((c, k) => ({
    ...c,
    data: chunks.flatMap((cols) => Array.from(cols[k].data as ArrayLike<Cell>)) as Column['data'],
  }));
}

testWith('pyarrow', 'tests/io/parquet-flat-writer.test.ts')(
  'pyarrow and polars read every value of every table type bit for bit; key statistics in byte order',
  () => {
    const files = writeAll();
    const got = JSON.parse(
      execFileSync('python3', ['-c', PY_READ, ...files.map((f) => f.path)], { encoding: 'utf8', maxBuffer: 1 << 28 }),
    ) as Record<
      string,
      { cols: Record<string, unknown[]>; polars: Record<string, unknown[]>; stats: Record<string, unknown[]> }
    >;
    for (const f of files) {
      const r = got[f.path];
      f.chunks[0].forEach((c, k) => {
        const want = { [`${f.path}:${c.name}`]: expectedValues(f.chunks, k, c.type) };
        expect({ [`${f.path}:${c.name}`]: r.cols[c.name] }).toEqual(want);
        expect({ [`${f.path}:${c.name}`]: r.polars[c.name] }).toEqual(want);
      });
    }
    const edge = got[files.find((f) => f.path.endsWith('edge-whole.parquet'))!.path].stats;
    // UTF-8 byte order: '' < 'ab' < 'z' < 'é' (C3 A9) < U+E000 (EE 80 80) < U+1F600 (F0 9F 98 80),
    // where UTF-16 order would put U+1F600 (a surrogate pair, D83D ...) below U+E000
    expect(edge.time).toEqual(['', '\u{1F600}', 0]);
    expect(edge.scenario_id).toEqual(['s0', 's9', 0]);
    expect(edge.job_id).toEqual(['pf_dc:s0:é', 'pf_dc:s9:é', 0]);
    expect(Object.keys(edge).sort()).toEqual(['job_id', 'scenario_id', 'time']);
  },
);

test('DuckDB and hyparquet read every value of every table type bit for bit', async () => {
  for (const f of writeAll()) {
    const duck = await query(`SELECT * FROM read_parquet('${f.path}')`);
    const hyp = await readParquetRows(f.path);
    f.chunks[0].forEach((c, k) => {
      const want = f.chunks.flatMap((cols) =>
        Array.from(cols[k].data as ArrayLike<Cell>, (v) =>
          v === null || (typeof v === 'number' && Number.isNaN(v)) ? null : c.type === 'INT64' ? Number(v) : v,
        ),
      );
      expect({ [`${f.path}:${c.name}`]: duck.map((r) => r[c.name]) }).toEqual({ [`${f.path}:${c.name}`]: want });
      const fromHyparquet = hyp.map((r) => (typeof r[c.name] === 'bigint' ? Number(r[c.name]) : r[c.name]));
      expect({ [`${f.path}:${c.name}`]: fromHyparquet }).toEqual({ [`${f.path}:${c.name}`]: want });
    });
  }
});
