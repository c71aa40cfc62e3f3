/** Numeric refactorization with the pivot sequence and patterns of the last factorization. */
import { LuNumeric } from './lu-numeric';

/**
 * Same pivots, same patterns; false when a pivot fails the threshold test. A is read in
 * factor order through the permutation built with the pivots (no pinv lookups), and L is
 * scaled by the reciprocal pivot.
 */
export function refactorNumeric(st: LuNumeric, Ax: Float64Array, tol: number): boolean {
  const n = st.n;
  const { Lp, Li, Lx, Up, Ui, Ux, x, aPtr, aSrc, aRow, pair } = st;
  for (let k = 0; k < n; k++) {
    for (let t = aPtr[k], e = aPtr[k + 1]; t < e; t++) x[aRow[t]] += Ax[aSrc[t]];
    const uend = Up[k + 1] - 1;
    for (let p = Up[k]; p < uend; p++) {
      const j = Ui[p];
      const xj = x[j];
      x[j] = 0;
      Ux[p] = xj;
      const l0 = Lp[j] + 1, l1 = Lp[j + 1];
      if (pair[j] === 1 && p + 1 < uend && Ui[p + 1] === j + 1) {
        // columns j and j+1 together: L(j+1, j) first, then the shared rows
        const xj1 = x[j + 1] - Lx[l0] * xj;
        x[j + 1] = 0;
        Ux[++p] = xj1;
        for (let pl = l0 + 1, pm = Lp[j + 1] + 1; pl < l1; pl++, pm++) x[Li[pl]] -= Lx[pl] * xj + Lx[pm] * xj1;
        continue;
      }
      if (xj === 0) continue;
      for (let pl = l0; pl < l1; pl++) x[Li[pl]] -= Lx[pl] * xj;
    }
    const pivot = x[k];
    x[k] = 0;
    Ux[uend] = pivot;
    // L(:,k) = x / pivot; the threshold test |pivot| >= tol * max|x_i| is max|L(:,k)| <= 1/tol
    const inv = 1 / pivot;
    let lmax = 0;
    for (let pl = Lp[k] + 1, end = Lp[k + 1]; pl < end; pl++) {
      const i = Li[pl];
      const l = x[i] * inv;
      x[i] = 0;
      Lx[pl] = l;
      const a = l < 0 ? -l : l;
      if (a > lmax) lmax = a;
    }
    if (!(lmax * tol <= 1) || !(Math.abs(pivot) > 0) || !Number.isFinite(pivot)) {
      x.fill(0);
      return false;
    }
  }
  return true;
}
