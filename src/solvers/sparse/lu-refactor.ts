/**
 * Numeric refactorization with the pivot sequence and patterns of the last factorization:
 * a fixed schedule over typed arrays (A in factor order, U columns in row order, L and U
 * two-column supernodes from lu-refactor-schedule.ts), no graph search, no allocation.
 * Columns k and k+1 with the same U rows (U pair) are computed together, so each L column
 * they both use is read once for two columns.
 */
import { LuNumeric } from './lu-numeric';

/**
 * Same pivots, same patterns; false when a pivot fails the threshold test. A is read in
 * factor order through the permutation built with the pivots (no pinv lookups), and L is
 * scaled by the reciprocal pivot. `copyA` (default: A has at least COPY_A_MIN_NNZ entries)
 * first copies A's values in factor order; the factors are bit for bit the same either way.
 */
export function refactorNumeric(
  st: LuNumeric,
  Ax: Float64Array,
  tol: number,
  copyA = st.aMap.length >= COPY_A_MIN_NNZ,
): boolean {
  const n = st.n;
  const { Lp, Li, Lx, Up, Ui, Ux, x, aPtr, aMap, aRow, uPair, uStep } = st;
  // A's values in factor order: column k's from av[aStart[k]] on
  let av = Ax,
    aStart = st.aCol;
  if (copyA) {
    // read A in its order, write it in factor order: the stores are buffered where loading
    // A's columns in AMD order waits for a cache miss per column (-25% on case9241pegase)
    if (st.aBuf.length !== aMap.length) st.aBuf = new Float64Array(aMap.length);
    av = st.aBuf;
    aStart = aPtr;
    for (let p = 0, nz = aMap.length; p < nz; p++) av[aMap[p]] = Ax[p];
  }
  for (let k = 0; k < n; k++) {
    if (uPair[k] !== 0) {
      if (!refactorTwoColumns(st, av, aStart[k], aStart[k + 1], tol, k)) return false;
      k++;
      continue;
    }
    for (let t = aPtr[k], e = aPtr[k + 1], s = aStart[k]; t < e; t++, s++) x[aRow[t]] += av[s];
    const uend = Up[k + 1] - 1;
    for (let p = Up[k]; p < uend; p++) {
      const j = Ui[p];
      const xj = x[j];
      x[j] = 0;
      Ux[p] = xj;
      const l0 = Lp[j] + 1,
        l1 = Lp[j + 1];
      const step = uStep[p];
      if (step !== 1) {
        // columns j and j+1 together: L(j+1, j) first, then the shared rows
        const xj1 = x[j + 1] - Lx[l0] * xj;
        x[j + 1] = 0;
        Ux[++p] = xj1;
        const m0 = Lp[j + 1] + 1;
        if (step === 4) {
          // the next pair (j+2, j+3) of the same supernode: rows j+2, j+3, then the shared rows
          // once for four columns, rounded as two pairs, as the pair path does
          const n0 = Lp[j + 2] + 1;
          const xj2 = x[j + 2] - (Lx[l0 + 1] * xj + Lx[m0] * xj1);
          const xj3 = x[j + 3] - (Lx[l0 + 2] * xj + Lx[m0 + 1] * xj1) - Lx[n0] * xj2;
          x[j + 2] = 0;
          x[j + 3] = 0;
          Ux[++p] = xj2;
          Ux[++p] = xj3;
          for (
            let pl = l0 + 3, pm = m0 + 2, pn = n0 + 1, pr = Lp[j + 3] + 1, e = Lp[j + 4];
            pr < e;
            pl++, pm++, pn++, pr++
          ) {
            const i = Li[pr];
            x[i] = x[i] - (Lx[pl] * xj + Lx[pm] * xj1) - (Lx[pn] * xj2 + Lx[pr] * xj3);
          }
          continue;
        }
        for (let pl = l0 + 1, pm = m0; pl < l1; pl++, pm++) x[Li[pl]] -= Lx[pl] * xj + Lx[pm] * xj1;
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
      const a = Math.abs(l);
      if (a > lmax) lmax = a;
    }
    if (!(lmax * tol <= 1) || !(Math.abs(pivot) > 0) || !Number.isFinite(pivot)) {
      x.fill(0);
      return false;
    }
  }
  return true;
}

/**
 * Entries of A from which refactorization first copies A in factor order: A's columns in AMD
 * order then miss the cache (case9241pegase, 1.2e5 entries, refactors 25% faster with the copy;
 * case1354pegase, 1.5e4, up to 10% slower).
 */
export const COPY_A_MIN_NNZ = 50_000;

/** Scales L(:,k) = x / pivot over its pattern, clears x there; max |L(i,k)|. */
function scaleL(Lp: Int32Array, Li: Int32Array, Lx: Float64Array, x: Float64Array, k: number, pivot: number): number {
  const inv = 1 / pivot;
  let lmax = 0;
  for (let pl = Lp[k] + 1, end = Lp[k + 1]; pl < end; pl++) {
    const i = Li[pl];
    const l = x[i] * inv;
    x[i] = 0;
    Lx[pl] = l;
    const a = Math.abs(l);
    if (a > lmax) lmax = a;
  }
  return lmax;
}

/** The threshold test of a reused pivot: |pivot| >= tol * max|x_i|, i.e. max|L(:,k)| <= 1/tol. */
function pivotOk(pivot: number, lmax: number, tol: number): boolean {
  return lmax * tol <= 1 && Math.abs(pivot) > 0 && Number.isFinite(pivot);
}

/**
 * Columns k and k+1 where U(:,k+1) = [U(:,k)'s rows, row k, diagonal]: both are updated by
 * the same L columns in one pass (x holds column k, x2 column k+1), then column k+1 takes
 * column k's update. False when a pivot fails the threshold test.
 */
function refactorTwoColumns(st: LuNumeric, av: Float64Array, s0: number, s1: number, tol: number, k: number): boolean {
  const { Lp, Li, Lx, Up, Ui, Ux, x, x2, aPtr, aRow, pair, uStep } = st;
  const k1 = k + 1;
  if (st.uPair[k] === 2) {
    // both of A's columns on the same rows: one pass over the row indices
    for (let t = aPtr[k], e = aPtr[k1], s = s0, s2 = s1; t < e; t++, s++, s2++) {
      const r = aRow[t];
      x[r] += av[s];
      x2[r] += av[s2];
    }
  } else {
    for (let t = aPtr[k], e = aPtr[k1], s = s0; t < e; t++, s++) x[aRow[t]] += av[s];
    for (let t = aPtr[k1], e = aPtr[k1 + 1], s = s1; t < e; t++, s++) x2[aRow[t]] += av[s];
  }
  const uend = Up[k1] - 1;
  const off = Up[k1] - Up[k]; // U(i,k+1) sits off positions after U(i,k)
  let deferred = false;
  for (let p = Up[k]; p < uend; p++) {
    const j = Ui[p];
    const a = x[j],
      c = x2[j];
    x[j] = 0;
    x2[j] = 0;
    Ux[p] = a;
    Ux[p + off] = c;
    const l0 = Lp[j] + 1,
      l1 = Lp[j + 1];
    const step = uStep[p];
    if (step !== 1) {
      // L columns j and j+1 together: L(j+1, j) first, then the shared rows
      const lj = Lx[l0];
      const a1 = x[j + 1] - lj * a,
        c1 = x2[j + 1] - lj * c;
      x[j + 1] = 0;
      x2[j + 1] = 0;
      p++;
      Ux[p] = a1;
      Ux[p + off] = c1;
      const m0 = Lp[j + 1] + 1;
      if (step === 4) {
        // four L columns j..j+3 of one supernode for both U columns, rounded as two pairs
        const n0 = Lp[j + 2] + 1;
        const u2 = Lx[l0 + 1],
          v2 = Lx[m0],
          u3 = Lx[l0 + 2],
          v3 = Lx[m0 + 1],
          w3 = Lx[n0];
        const a2 = x[j + 2] - (u2 * a + v2 * a1),
          c2 = x2[j + 2] - (u2 * c + v2 * c1);
        const a3 = x[j + 3] - (u3 * a + v3 * a1) - w3 * a2,
          c3 = x2[j + 3] - (u3 * c + v3 * c1) - w3 * c2;
        x[j + 2] = 0;
        x2[j + 2] = 0;
        x[j + 3] = 0;
        x2[j + 3] = 0;
        Ux[p + 1] = a2;
        Ux[p + 1 + off] = c2;
        Ux[p + 2] = a3;
        Ux[p + 2 + off] = c3;
        p += 2;
        for (
          let pl = l0 + 3, pm = m0 + 2, pn = n0 + 1, pr = Lp[j + 3] + 1, e = Lp[j + 4];
          pr < e;
          pl++, pm++, pn++, pr++
        ) {
          const i = Li[pr],
            u = Lx[pl],
            v = Lx[pm],
            w = Lx[pn],
            z = Lx[pr];
          x[i] = x[i] - (u * a + v * a1) - (w * a2 + z * a3);
          x2[i] = x2[i] - (u * c + v * c1) - (w * c2 + z * c3);
        }
        continue;
      }
      for (let pl = l0 + 1, pm = m0; pl < l1; pl++, pm++) {
        const i = Li[pl],
          u = Lx[pl],
          v = Lx[pm];
        x[i] -= u * a + v * a1;
        x2[i] -= u * c + v * c1;
      }
      continue;
    }
    if (j === k - 1 && pair[j] === 1) {
      // last entry; column k+1 applies L(:,k-1) and L(:,k) as a pair once L(:,k) is known
      deferred = true;
      if (a === 0) continue;
      for (let pl = l0; pl < l1; pl++) x[Li[pl]] -= Lx[pl] * a;
      continue;
    }
    for (let pl = l0; pl < l1; pl++) {
      const i = Li[pl],
        u = Lx[pl];
      x[i] -= u * a;
      x2[i] -= u * c;
    }
  }
  const pivot = x[k];
  x[k] = 0;
  Ux[uend] = pivot;
  if (!pivotOk(pivot, scaleL(Lp, Li, Lx, x, k, pivot), tol)) {
    x.fill(0);
    x2.fill(0);
    return false;
  }
  // column k+1: U(k, k+1), then L(:,k) applied, then its pivot
  const d1 = Up[k1 + 1] - 1;
  if (deferred) {
    // L columns k-1 and k as a pair, as the one-column refactorization of column k+1 does
    const c = Ux[d1 - 2]; // U(k-1, k+1), stored (and cleared from x2) in the loop above
    const l0 = Lp[k - 1] + 1,
      l1 = Lp[k];
    const c1 = x2[k] - Lx[l0] * c;
    x2[k] = 0;
    Ux[d1 - 1] = c1;
    for (let pl = l0 + 1, pm = Lp[k] + 1; pl < l1; pl++, pm++) x2[Li[pl]] -= Lx[pl] * c + Lx[pm] * c1;
  } else {
    const c = x2[k];
    x2[k] = 0;
    Ux[d1 - 1] = c;
    for (let pl = Lp[k] + 1, end = Lp[k1]; pl < end; pl++) x2[Li[pl]] -= Lx[pl] * c;
  }
  const pivot1 = x2[k1];
  x2[k1] = 0;
  Ux[d1] = pivot1;
  if (!pivotOk(pivot1, scaleL(Lp, Li, Lx, x2, k1, pivot1), tol)) {
    x.fill(0);
    x2.fill(0);
    return false;
  }
  return true;
}
