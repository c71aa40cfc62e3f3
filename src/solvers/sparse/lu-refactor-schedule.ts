/**
 * What refactorization reuses from a factorization with pivoting: A's entries in factor order
 * (positions and pivot rows), U columns sorted by row, and two-column supernodes of L.
 */
import { LuNumeric } from './lu-numeric';
import { scratchF64, scratchI32 } from '../scratch-slab';

/** Built after each factorization with pivoting (the pivot rows fix the schedule). */
export function buildRefactorSchedule(st: LuNumeric, Ap: Int32Array, Ai: Int32Array, q: Int32Array): void {
  permuteA(st, Ap, Ai, q);
  sortU(st);
  findSupernodes(st);
}

/** The pair and step kinds, once A is permuted (permuteA) and U's columns are sorted. */
export function findSupernodes(st: LuNumeric): void {
  findPairs(st);
  findUPairs(st);
  findUSteps(st);
}

/** A in factor order (st.aPtr, aCol, aMap, aRow) through the pivot rows st.pinv. */
export function permuteA(st: LuNumeric, Ap: Int32Array, Ai: Int32Array, q: Int32Array): void {
  const n = st.n,
    pinv = st.pinv;
  const nz = Ap[n];
  const aPtr = new Int32Array(n + 1),
    aCol = new Int32Array(n),
    aMap = new Int32Array(nz),
    aRow = new Int32Array(nz);
  let c = 0;
  for (let k = 0; k < n; k++) {
    const col = q[k];
    aCol[k] = Ap[col];
    // bounds read once: the stores below may alias Ap for all V8 knows
    for (let p = Ap[col], e = Ap[col + 1]; p < e; p++) {
      aMap[p] = c;
      aRow[c++] = pinv[Ai[p]];
    }
    aPtr[k + 1] = c;
  }
  st.aPtr = aPtr;
  st.aCol = aCol;
  st.aMap = aMap;
  st.aRow = aRow;
}

/** U columns in ascending row order (a topological order). */
function sortU(st: LuNumeric): void {
  const { n, Up, Ui, Ux } = st;
  for (let k = 0; k < n; k++) {
    // insertion sort of the off-diagonal part (columns are short)
    const lo = Up[k],
      hi = Up[k + 1] - 1;
    for (let a = lo + 1; a < hi; a++) {
      const r = Ui[a],
        v = Ux[a];
      let b = a - 1;
      while (b >= lo && Ui[b] > r) {
        Ui[b + 1] = Ui[b];
        Ux[b + 1] = Ux[b];
        b--;
      }
      Ui[b + 1] = r;
      Ux[b + 1] = v;
    }
  }
}

/** Two-column supernodes of L (see LuNumeric.pair). */
function findPairs(st: LuNumeric): void {
  const n = st.n;
  const { Lp, Li, Lx } = st;
  const pair = new Uint8Array(n);
  const where = scratchI32(n).fill(-1);
  const rows = scratchI32(n);
  const vals = scratchF64(n);
  // from the last column down, so L(:,j+1) has its final order when L(:,j) is aligned to it
  for (let j = n - 2; j >= 0; j--) {
    const a0 = Lp[j] + 1,
      a1 = Lp[j + 1];
    const b0 = Lp[j + 1] + 1,
      b1 = Lp[j + 2];
    if (a1 - a0 !== b1 - b0 + 1) continue;
    if (Li[a0] === j + 1 && alignedTail(Li, a0 + 1, b0, b1)) {
      // already L(:,j+1)'s order (the diagonal-pivot factorization's sorted columns)
      pair[j] = 1;
      continue;
    }
    for (let p = b0; p < b1; p++) where[Li[p]] = p - b0;
    let ok = true;
    let hasNext = false;
    for (let p = a0; p < a1; p++) {
      const r = Li[p];
      if (r === j + 1) hasNext = true;
      else if (where[r] < 0) {
        ok = false;
        break;
      }
    }
    if (ok && hasNext) {
      // L(:,j) = [j+1, rows of L(:,j+1) in its order]
      for (let p = a0; p < a1; p++) {
        const r = Li[p];
        const t = r === j + 1 ? 0 : where[r] + 1;
        rows[t] = r;
        vals[t] = Lx[p];
      }
      for (let t = 0; t < a1 - a0; t++) {
        Li[a0 + t] = rows[t];
        Lx[a0 + t] = vals[t];
      }
      pair[j] = 1;
    }
    for (let p = b0; p < b1; p++) where[Li[p]] = -1;
  }
  st.pair = pair;
}

/**
 * uPair[k] = 1 when U(:,k+1) is U(:,k) plus row k (both sorted by row, diagonal last): the
 * backward solve then applies columns k+1 and k in one pass over their shared rows. 2 when
 * besides A's columns q[k] and q[k+1] have the same pivot rows in the same order (a bus's
 * angle and magnitude columns): refactorization scatters both in one pass.
 */
function findUPairs(st: LuNumeric): void {
  const n = st.n;
  const { Up, Ui } = st;
  const uPair = new Uint8Array(n);
  for (let k = 0; k + 1 < n; k++) {
    const a0 = Up[k],
      a1 = Up[k + 1] - 1; // off-diagonal of U(:,k)
    const b0 = Up[k + 1],
      b1 = Up[k + 2] - 1; // off-diagonal of U(:,k+1)
    if (b1 - b0 !== a1 - a0 + 1 || Ui[b1 - 1] !== k) continue;
    let same = true;
    for (let t = 0; t < a1 - a0; t++)
      if (Ui[a0 + t] !== Ui[b0 + t]) {
        same = false;
        break;
      }
    if (same) uPair[k] = sameARows(st.aPtr, st.aRow, k) ? 2 : 1;
  }
  st.uPair = uPair;
}

/** Li[a..] holds Li[b0..b1) in the same order. */
function alignedTail(Li: Int32Array, a: number, b0: number, b1: number): boolean {
  for (let p = b0; p < b1; p++, a++) if (Li[a] !== Li[p]) return false;
  return true;
}

/**
 * uStep[p] at the first U position of each step of the refactorization: 4 where U rows
 * j..j+3 at p..p+3 are two chained L pairs (pair[j], pair[j+1], pair[j+2]), 2 where rows j, j+1
 * at p, p+1 are one L pair, else 1. The kernels branch once per step on it instead of testing
 * pair flags and neighbouring rows per entry; the steps are the ones those tests chose.
 */
function findUSteps(st: LuNumeric): void {
  const n = st.n;
  const { Up, Ui, pair } = st;
  const uStep = new Uint8Array(Up[n]);
  for (let k = 0; k < n; k++) {
    const uend = Up[k + 1] - 1;
    for (let p = Up[k]; p < uend; p++) {
      const j = Ui[p];
      if (pair[j] === 1 && p + 1 < uend && Ui[p + 1] === j + 1) {
        const quad =
          pair[j + 1] === 1 && pair[j + 2] === 1 && p + 3 < uend && Ui[p + 2] === j + 2 && Ui[p + 3] === j + 3;
        uStep[p] = quad ? 4 : 2;
        p += quad ? 3 : 1;
      } else uStep[p] = 1;
    }
  }
  st.uStep = uStep;
}

/** A's columns q[k] and q[k+1] (factor order) land on the same pivot rows in the same order. */
function sameARows(aPtr: Int32Array, aRow: Int32Array, k: number): boolean {
  const a0 = aPtr[k],
    b0 = aPtr[k + 1],
    len = b0 - a0;
  if (aPtr[k + 2] - b0 !== len) return false;
  for (let t = 0; t < len; t++) if (aRow[a0 + t] !== aRow[b0 + t]) return false;
  return true;
}
