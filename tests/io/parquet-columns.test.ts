/**
 * src/io/parquet.ts: columns without missing values go to the writer as they are (typed or
 * plain), the others through the general path (NaN -> null, optional column); pyarrow reads
 * every value and every null back from both.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Column, parquetBytes } from '../../src/io/parquet';

const n = 2_000;
const range = <T>(f: (i: number) => T) => Array.from({ length: n }, (_, i) => f(i));

const columns: Column[] = [
  { name: 'f64', type: 'DOUBLE', data: Float64Array.from(range((i) => Math.sin(i))) },
  { name: 'f64_nan', type: 'DOUBLE', data: Float64Array.from(range((i) => (i % 7 ? i / 3 : NaN))) },
  { name: 'i32', type: 'INT32', data: Int32Array.from(range((i) => i - 1000)) },
  { name: 'dbl', type: 'DOUBLE', data: range((i) => (i % 5 ? -0.5 * i : Infinity)) },
  { name: 'dbl_null', type: 'DOUBLE', data: range((i) => (i % 11 ? i : i % 2 ? null : NaN)) },
  { name: 'int', type: 'INT32', data: range((i) => i % 118) },
  { name: 'int_null', type: 'INT32', data: range((i) => (i % 13 ? i : null)) },
  { name: 'str', type: 'STRING', data: range((i) => `sc${String(i % 50).padStart(5, '0')}`) },
  { name: 'str_null', type: 'STRING', data: range((i) => (i % 17 ? 'x' : null)) },
  { name: 'bool', type: 'BOOLEAN', data: range((i) => i % 3 === 0) },
];

function expected(c: Column): unknown[] {
  return Array.from(c.data as ArrayLike<unknown>, (v) => (typeof v === 'number' && Number.isNaN(v) ? null : v));
}

test('pyarrow reads back every value, null and column type, with and without missing values', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parquet-cols-'));
  try {
    const file = join(dir, 't.parquet');
    writeFileSync(file, parquetBytes(columns));
    const out = execFileSync(
      'python3',
      [
        '-c',
        [
          'import json, sys, math, pyarrow.parquet as pq',
          't = pq.read_table(sys.argv[1])',
          'enc = lambda v: ("inf" if v == math.inf else v) if isinstance(v, float) else v',
          'print(json.dumps({"schema": {f.name: [str(f.type), f.nullable] for f in t.schema}, "cols": {c: [enc(v) for v in t.column(c).to_pylist()] for c in t.column_names}}))',
        ].join('\n'),
        file,
      ],
      { encoding: 'utf8' },
    );
    const got = JSON.parse(out) as { schema: Record<string, [string, boolean]>; cols: Record<string, unknown[]> };
    expect(got.schema).toEqual({
      f64: ['double', false],
      f64_nan: ['double', true],
      i32: ['int32', false],
      dbl: ['double', false],
      dbl_null: ['double', true],
      int: ['int32', false],
      int_null: ['int32', true],
      str: ['string', false],
      str_null: ['string', true],
      bool: ['bool', false],
    });
    for (const c of columns) {
      const want = expected(c).map((v) => (v === Infinity ? 'inf' : v));
      expect({ [c.name]: got.cols[c.name] }).toEqual({ [c.name]: want });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
