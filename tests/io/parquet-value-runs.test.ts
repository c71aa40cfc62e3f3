/**
 * A run-filled string column (src/io/parquet-value-runs.ts) encodes to the same bytes as the same
 * values read row by row: repeated and distinct values, missing runs, values that come back,
 * dictionaries given up past the probe, one piece or several.
 */
import { encodeValues } from '../../src/io/parquet-flat-encode';
import { RunFilledColumn, runsOfPieces } from '../../src/io/parquet-value-runs';
import { mulberry32 } from '../../src/scenarios/prng';

/** A run-filled column of `runs` runs drawn from `distinct` values (null among them when `nulls`). */
function column(rand: () => number, runs: number, distinct: number, nulls: boolean): (string | null)[] {
  const lengths = Array.from({ length: runs }, () => 1 + Math.floor(rand() * 6));
  const c = new RunFilledColumn(lengths.reduce((a, b) => a + b, 0));
  let at = 0;
  for (const len of lengths) {
    const k = Math.floor(rand() * distinct);
    c.fill(nulls && k === 0 ? null : `v${k}`, at, at + len);
    at += len;
  }
  return c.done();
}

describe('run-filled string columns', () => {
  test('encode to the bytes of the same values row by row', () => {
    const rand = mulberry32(7);
    let byRuns = 0;
    for (let t = 0; t < 300; t++) {
      const pieces = Array.from({ length: 1 + (t % 3) }, () =>
        column(rand, 1 + Math.floor(rand() * 60), 1 + Math.floor(rand() * (t % 2 ? 4 : 200)), t % 5 === 0),
      );
      const n = pieces.reduce((a, p) => a + p.length, 0);
      expect(runsOfPieces(pieces)).toBeDefined();
      const plain = pieces.map((p) => p.slice()); // copies: read row by row
      expect(runsOfPieces(plain)).toBeUndefined();
      const a = encodeValues('scenario_id', 'STRING', pieces, n, true);
      const b = encodeValues('scenario_id', 'STRING', plain, n, true);
      expect(a).toEqual(b);
      if (a.dictionary) byRuns++;
    }
    expect(byRuns).toBeGreaterThan(50); // dictionaries were made from runs, not only given up
  });

  test('a dictionary is given up, or kept, where the row-by-row rule decides', () => {
    // many distinct values first (given up at the probe), then one long run (kept at the end)
    for (const [distinct, long] of [
      [70, 500],
      [20, 500],
      [70, 0],
    ]) {
      const c = new RunFilledColumn(distinct + long);
      for (let k = 0; k < distinct; k++) c.fill(`d${k}`, k, k + 1);
      c.fill('x', distinct, distinct + long);
      const data = c.done();
      const a = encodeValues('scenario_id', 'STRING', [data], data.length, true);
      expect(a).toEqual(encodeValues('scenario_id', 'STRING', [data.slice()], data.length, true));
      expect(a.dictionary !== undefined).toBe(distinct === 20);
    }
  });

  test('a column not filled from row 0 in order is read row by row', () => {
    const c = new RunFilledColumn(6);
    c.fill('a', 3, 6);
    c.fill('b', 0, 3);
    expect(runsOfPieces([c.done()])).toBeUndefined();
  });
});
