/**
 * Triangular solves with the factors P A Q = L U: x = Q U \ (L \ (P b)), in the preallocated
 * `st.work`; the backward solve writes each final entry straight to x through Q. (Four-column
 * steps, as the refactorization has, measured ~10% slower here after a refactor.) Two-column supernodes (L pairs, U pairs; lu-refactor-schedule.ts)
 * are applied in one pass over their shared rows, so each index and each y entry is loaded
 * once for two columns; the operations and their order per entry are those of one column at a
 * time, so the result is bit for bit the same. The backward solve divides by each pivot:
 * multiplying by reciprocals stored with the factors measured 3-4% slower, not faster (the
 * divisions overlap with the updates; case1354pegase 47.6 vs 45.7 us, case9241pegase 664 vs
 * 641 us after a refactorization, medians of 390 alternating solves, load ~4), and would change
 * the last bits of every solution, so the solve keeps the division.
 */
import { LuNumeric } from './lu-numeric';

/** x = A \ b with `st.work` as scratch; x (length n) must not alias b. */
export function luSolveInto(st: LuNumeric, q: Int32Array, b: Float64Array, x: Float64Array): void {
  const n = st.n;
  const y = st.work;
  const { prow, Lp, Li, Lx, Up, Ui, Ux, pair, uPair } = st;
  for (let k = 0; k < n; k++) y[k] = b[prow[k]];
  // L y = P b, unit diagonal stored first in each column
  for (let j = 0; j < n; j++) {
    const yj = y[j];
    const l0 = Lp[j] + 1,
      l1 = Lp[j + 1];
    if (pair[j] === 1) {
      // L(:,j) = [row j+1, then L(:,j+1)'s rows in its order]
      const yj1 = y[j + 1] - Lx[l0] * yj;
      y[j + 1] = yj1;
      j++;
      if (yj === 0 && yj1 === 0) continue;
      // column j's update, then column j+1's: the same roundings as one column at a time
      for (let pl = l0 + 1, pm = Lp[j] + 1; pl < l1; pl++, pm++) {
        const i = Li[pl];
        y[i] = y[i] - Lx[pl] * yj - Lx[pm] * yj1;
      }
      continue;
    }
    if (yj === 0) continue;
    for (let pl = l0; pl < l1; pl++) y[Li[pl]] -= Lx[pl] * yj;
  }
  // U z = y, diagonal last in each column, rows ascending
  for (let j = n - 1; j >= 0; j--) {
    const d = Up[j + 1] - 1;
    const yj = y[j] / Ux[d];
    x[q[j]] = yj; // final: written straight to x = Q z
    if (j > 0 && uPair[j - 1] !== 0) {
      // U(:,j) = [U(:,j-1)'s rows, row j-1, diagonal]
      const d0 = Up[j] - 1;
      const yj1 = (x[q[j - 1]] = (y[j - 1] - Ux[d - 1] * yj) / Ux[d0]);
      const p0 = Up[j - 1];
      j--;
      if (yj === 0 && yj1 === 0) continue;
      for (let p = p0, pm = d0 + 1; p < d0; p++, pm++) {
        const i = Ui[p];
        y[i] = y[i] - Ux[pm] * yj - Ux[p] * yj1;
      }
      continue;
    }
    if (yj === 0) continue;
    for (let p = Up[j]; p < d; p++) y[Ui[p]] -= Ux[p] * yj;
  }
}
