/**
 * Compressed sparse column matrices, the storage every sparse routine here works on.
 */
export interface Csc {
  /** rows */
  m: number;
  /** columns */
  n: number;
  /** n + 1 column starts into rowIdx / values */
  colPtr: Int32Array;
  /** row index of each stored entry, sorted within a column */
  rowIdx: Int32Array;
  values: Float64Array;
}

/**
 * Builds a CSC matrix from (row, col, value) triplets, summing duplicates (like MATLAB's sparse())
 * and keeping explicit zeros, so matrices built the same way always have the same pattern.
 */
export function cscFromTriplets(
  m: number,
  n: number,
  rows: ArrayLike<number>,
  cols: ArrayLike<number>,
  vals: ArrayLike<number>,
): Csc {
  const nz = rows.length;
  const cnt = new Int32Array(n + 1);
  for (let k = 0; k < nz; k++) cnt[cols[k] + 1]++;
  for (let j = 0; j < n; j++) cnt[j + 1] += cnt[j];
  const next = cnt.slice(0, n);
  const Ti = new Int32Array(nz);
  const Tx = new Float64Array(nz);
  for (let k = 0; k < nz; k++) {
    const p = next[cols[k]]++;
    Ti[p] = rows[k];
    Tx[p] = vals[k];
  }
  // sum duplicates column by column, then sort the rows of each column by a double transpose
  const mark = new Int32Array(m).fill(-1);
  const colPtr = new Int32Array(n + 1);
  const Ri = new Int32Array(nz);
  const Rx = new Float64Array(nz);
  let out = 0;
  for (let j = 0; j < n; j++) {
    const start = out;
    for (let p = cnt[j]; p < cnt[j + 1]; p++) {
      const i = Ti[p];
      if (mark[i] >= start) Rx[mark[i]] += Tx[p];
      else {
        mark[i] = out;
        Ri[out] = i;
        Rx[out++] = Tx[p];
      }
    }
    colPtr[j + 1] = out;
  }
  return cscTranspose(cscTranspose({ m, n, colPtr, rowIdx: Ri.slice(0, out), values: Rx.slice(0, out) }));
}

/** A' (rows of the result come out sorted within each column). */
export function cscTranspose(A: Csc): Csc {
  const { m, n, colPtr: Ap, rowIdx: Ai, values: Ax } = A;
  const nz = Ap[n];
  const Cp = new Int32Array(m + 1);
  for (let p = 0; p < nz; p++) Cp[Ai[p] + 1]++;
  for (let i = 0; i < m; i++) Cp[i + 1] += Cp[i];
  const next = Cp.slice(0, m);
  const Ci = new Int32Array(nz);
  const Cx = new Float64Array(nz);
  for (let j = 0; j < n; j++) {
    for (let p = Ap[j]; p < Ap[j + 1]; p++) {
      const q = next[Ai[p]]++;
      Ci[q] = j;
      Cx[q] = Ax[p];
    }
  }
  return { m: n, n: m, colPtr: Cp, rowIdx: Ci, values: Cx };
}

/** y = A x */
export function cscMulVec(A: Csc, x: ArrayLike<number>): Float64Array {
  return cscMulVecInto(A, x, new Float64Array(A.m));
}

/** y = A x into `y` (length A.m, overwritten): cscMulVec without a new array. */
export function cscMulVecInto(A: Csc, x: ArrayLike<number>, y: Float64Array): Float64Array {
  y.fill(0);
  for (let j = 0; j < A.n; j++) {
    const xj = x[j];
    if (xj === 0) continue;
    for (let p = A.colPtr[j]; p < A.colPtr[j + 1]; p++) y[A.rowIdx[p]] += A.values[p] * xj;
  }
  return y;
}

/** The submatrix A(rowsSel, colsSel); selections are lists of indices. */
export function cscSubmatrix(A: Csc, rowsSel: ArrayLike<number>, colsSel: ArrayLike<number>): Csc {
  const rmap = new Int32Array(A.m).fill(-1);
  for (let i = 0; i < rowsSel.length; i++) rmap[rowsSel[i]] = i;
  const colPtr = new Int32Array(colsSel.length + 1);
  const r: number[] = [];
  const v: number[] = [];
  for (let jj = 0; jj < colsSel.length; jj++) {
    const j = colsSel[jj];
    const start = r.length;
    for (let p = A.colPtr[j]; p < A.colPtr[j + 1]; p++) {
      const i = rmap[A.rowIdx[p]];
      if (i >= 0) {
        r.push(i);
        v.push(A.values[p]);
      }
    }
    // keep rows sorted when the row selection is not monotone (a column already in order, as
    // with an ascending selection of a sorted A, is left as it is: the sort would not move it)
    if (r.length - start > 1 && !ascending(r, start)) {
      const idx = Array.from({ length: r.length - start }, (_, k) => start + k).sort((a, b) => r[a] - r[b]);
      const rs = idx.map((k) => r[k]);
      const vs = idx.map((k) => v[k]);
      for (let k = 0; k < rs.length; k++) {
        r[start + k] = rs[k];
        v[start + k] = vs[k];
      }
    }
    colPtr[jj + 1] = r.length;
  }
  return { m: rowsSel.length, n: colsSel.length, colPtr, rowIdx: Int32Array.from(r), values: Float64Array.from(v) };
}

/** Whether r[start..] is strictly ascending. */
function ascending(r: number[], start: number): boolean {
  for (let k = start + 1; k < r.length; k++) if (r[k] <= r[k - 1]) return false;
  return true;
}

/** The pattern part of a CSC matrix (values not needed). */
export interface CscPattern {
  m: number;
  n: number;
  colPtr: Int32Array;
  rowIdx: Int32Array;
}

/** True when A and B have the same dimensions and pattern (O(1) when they share the arrays). */
export function samePattern(A: CscPattern, B: CscPattern): boolean {
  if (A.m !== B.m || A.n !== B.n) return false;
  if (A.colPtr === B.colPtr && A.rowIdx === B.rowIdx) return true;
  const nz = A.colPtr[A.n];
  if (B.colPtr[B.n] !== nz) return false;
  for (let j = 0; j <= A.n; j++) if (A.colPtr[j] !== B.colPtr[j]) return false;
  for (let p = 0; p < nz; p++) if (A.rowIdx[p] !== B.rowIdx[p]) return false;
  return true;
}
