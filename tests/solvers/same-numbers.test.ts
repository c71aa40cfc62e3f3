/**
 * sameNumbers (the solver caches' key equality): true only for arrays of the same numbers, on
 * every path it takes (short arrays, fresh arrays compared by a loop, arrays with byte views,
 * long arrays), and again after an array with a view was changed in place.
 */
import { KeptColumn, sameNumbers } from '../../src/solvers/same-numbers';

const filled = (n: number, f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));

describe('sameNumbers', () => {
  for (const n of [10, 186, 1024, 5000]) {
    it(`compares ${n} values on each path`, () => {
      const a = filled(n, (i) => i * 0.5),
        b = filled(n, (i) => i * 0.5);
      const c = b.slice();
      c[n - 1] = -1;
      const d = b.slice();
      d[0] = -1;
      expect(sameNumbers(a, c)).toBe(false); // fresh, differ at the end
      expect(sameNumbers(a, d)).toBe(false); // fresh, differ at the start
      expect(sameNumbers(a, b)).toBe(true); // fresh and equal (then given views)
      expect(sameNumbers(a, b)).toBe(true); // with views
      b[n >> 1] = 7; // changed in place after its view was made
      expect(sameNumbers(a, b)).toBe(false);
      expect(sameNumbers(a, a.subarray(0, n - 1))).toBe(false);
      expect(
        sameNumbers(
          filled(n, () => NaN),
          filled(n, () => NaN),
        ),
      ).toBe(true);
    });
  }
});

describe('KeptColumn', () => {
  for (const n of [10, 186]) {
    it(`sees in-place changes of the column it was copied from and other columns (${n} values)`, () => {
      const col = filled(n, (i) => i + 0.25);
      const kept = new KeptColumn(col);
      expect(kept.matches(col)).toBe(true);
      expect(kept.matches(col)).toBe(true);
      col[n - 1] = 99; // the same object, changed in place
      expect(kept.matches(col)).toBe(false);
      col[n - 1] = n - 1 + 0.25;
      expect(kept.matches(col)).toBe(true);
      expect(kept.matches(filled(n, (i) => i + 0.25))).toBe(true); // another object, same numbers
      expect(kept.matches(filled(n, (i) => i))).toBe(false);
      expect(kept.matches(filled(n + 1, (i) => i + 0.25))).toBe(false);
      expect(kept.matches(col)).toBe(true); // back to the first object
    });
  }
});
