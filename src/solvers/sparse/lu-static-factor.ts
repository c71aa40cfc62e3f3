/**
 * The first numeric factorization without a pivot search, for matrices whose diagonal pivots
 * pass the threshold test (power-flow Jacobians on an AMD order nearly always do): the L and U
 * patterns of diagonal pivoting are those of the Cholesky factor of B + B' (B = A(q, q)),
 * found from the elimination tree in time proportional to their size (Davis, "Direct Methods
 * for Sparse Linear Systems", sections 4.1 and 4.2: etree and ereach); the values then come
 * from the refactorization kernel (lu-refactor.ts), which checks every pivot with the same
 * threshold test as the factorization with pivoting (lu-factor-numeric.ts). So when this
 * succeeds, the pivots are the ones that factorization would have chosen, and the patterns
 * are the same for a structurally symmetric A (a superset with explicit zeros otherwise).
 * When a pivot fails the test, or a diagonal entry is missing from the pattern (KKT systems'
 * zero blocks), it returns false and the caller factors with pivoting.
 */
import type { Csc } from './csc';
import { LuNumeric } from './lu-numeric';
import { refactorNumeric } from './lu-refactor';
import { buildRefactorSchedule } from './lu-refactor-schedule';

/** Factors A(q, q) with diagonal pivots into st; false when a pivot fails the threshold test. */
export function factorStaticPivots(st: LuNumeric, A: Csc, q: Int32Array, tol: number): boolean {
  const n = st.n;
  const { colPtr: Ap, rowIdx: Ai } = A;
  if (!fullDiagonal(A)) return false; // a zero diagonal block (KKT systems) needs pivoting
  const qinv = new Int32Array(n);
  for (let k = 0; k < n; k++) qinv[q[k]] = k;
  // lower neighbours of each node of B + B' (duplicates allowed)
  const lp = new Int32Array(n + 1);
  for (let j = 0; j < n; j++) {
    const b = qinv[j];
    for (let p = Ap[j]; p < Ap[j + 1]; p++) {
      const a = qinv[Ai[p]];
      if (a !== b) lp[(a > b ? a : b) + 1]++;
    }
  }
  for (let k = 0; k < n; k++) lp[k + 1] += lp[k];
  const li = new Int32Array(lp[n]);
  const fill = lp.slice(0, n);
  for (let j = 0; j < n; j++) {
    const b = qinv[j];
    for (let p = Ap[j]; p < Ap[j + 1]; p++) {
      const a = qinv[Ai[p]];
      if (a > b) li[fill[a]++] = b;
      else if (a < b) li[fill[b]++] = a;
    }
  }
  // elimination tree (path compression through ancestor)
  const parent = new Int32Array(n).fill(-1);
  const anc = new Int32Array(n).fill(-1);
  for (let k = 0; k < n; k++) {
    for (let p = lp[k]; p < lp[k + 1]; p++) {
      let i = li[p];
      while (i !== -1 && i < k) {
        const next = anc[i];
        anc[i] = k;
        if (next === -1) parent[i] = k;
        i = next;
      }
    }
  }
  // U(:,k) = rows reached from B(0:k-1, k) in the etree, ascending, then the diagonal
  const Up = st.Up;
  let cap = Math.max(2 * lp[n] + n, 16);
  let Ui = new Int32Array(cap);
  const mark = new Int32Array(n).fill(-1);
  const lcount = new Int32Array(n);
  let unz = 0;
  for (let k = 0; k < n; k++) {
    Up[k] = unz;
    mark[k] = k;
    for (let p = lp[k]; p < lp[k + 1]; p++) {
      for (let i = li[p]; mark[i] !== k; i = parent[i]) {
        mark[i] = k;
        if (unz + 1 >= cap) {
          cap = 2 * cap + n;
          const u = new Int32Array(cap);
          u.set(Ui.subarray(0, unz));
          Ui = u;
        }
        Ui[unz++] = i;
        lcount[i]++;
      }
    }
    if (unz + 1 >= cap) {
      cap = 2 * cap + n;
      const u = new Int32Array(cap);
      u.set(Ui.subarray(0, unz));
      Ui = u;
    }
    // ascending: insertion sort for short columns (the etree paths come in ascending runs)
    if (unz - Up[k] > 32) Ui.subarray(Up[k], unz).sort();
    else
      for (let a = Up[k] + 1; a < unz; a++) {
        const r = Ui[a];
        let b = a - 1;
        while (b >= Up[k] && Ui[b] > r) {
          Ui[b + 1] = Ui[b];
          b--;
        }
        Ui[b + 1] = r;
      }
    Ui[unz++] = k;
  }
  Up[n] = unz;
  // L(:,j): the diagonal first, then every k whose U(:,k) holds row j (ascending)
  const Lp = st.Lp;
  Lp[0] = 0;
  for (let j = 0; j < n; j++) Lp[j + 1] = Lp[j] + 1 + lcount[j];
  const lnz = Lp[n];
  // index and value arrays keep equal lengths (factorNumeric takes the index length as capacity)
  const reuseL = st.Li.length >= lnz && st.Lx.length === st.Li.length;
  const Li = reuseL ? st.Li : new Int32Array(lnz);
  const Lx = reuseL ? st.Lx : new Float64Array(lnz);
  const next = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    Li[Lp[j]] = j;
    Lx[Lp[j]] = 1;
    next[j] = Lp[j] + 1;
  }
  for (let k = 0; k < n; k++) {
    for (let p = Up[k], e = Up[k + 1] - 1; p < e; p++) Li[next[Ui[p]]++] = k;
  }
  for (let k = 0; k < n; k++) {
    st.pinv[q[k]] = k;
    st.prow[k] = q[k];
  }
  st.Li = Li;
  st.Lx = Lx;
  st.Ui = Ui;
  if (st.Ux.length !== Ui.length) st.Ux = new Float64Array(Ui.length);
  buildRefactorSchedule(st, Ap, Ai, q);
  return refactorNumeric(st, A.values, tol);
}

/** Every diagonal entry is in the pattern. */
function fullDiagonal(A: Csc): boolean {
  const { colPtr, rowIdx } = A;
  for (let j = 0; j < A.n; j++) {
    let found = false;
    for (let p = colPtr[j]; p < colPtr[j + 1]; p++)
      if (rowIdx[p] === j) {
        found = true;
        break;
      }
    if (!found) return false;
  }
  return true;
}
