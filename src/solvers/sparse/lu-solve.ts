/** Triangular solves with the factors P A Q = L U: x = Q U \ (L \ (P b)). */
import { LuNumeric } from './lu-numeric';

/** x = A \ b with `st.work` as scratch; x (length n) must not alias b. */
export function luSolveInto(st: LuNumeric, q: Int32Array, b: Float64Array, x: Float64Array): void {
  const n = st.n;
  const y = st.work;
  const { prow, Lp, Li, Lx, Up, Ui, Ux } = st;
  for (let k = 0; k < n; k++) y[k] = b[prow[k]];
  for (let j = 0; j < n; j++) {
    const yj = y[j];
    if (yj === 0) continue;
    for (let p = Lp[j] + 1, end = Lp[j + 1]; p < end; p++) y[Li[p]] -= Lx[p] * yj;
  }
  for (let j = n - 1; j >= 0; j--) {
    const d = Up[j + 1] - 1;
    const yj = (y[j] /= Ux[d]);
    if (yj === 0) continue;
    for (let p = Up[j]; p < d; p++) y[Ui[p]] -= Ux[p] * yj;
  }
  for (let k = 0; k < n; k++) x[q[k]] = y[k];
}
