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

/** Builds a CSC matrix from (row, col, value) triplets, summing duplicates (like MATLAB's sparse()). */
export function cscFromTriplets(m: number, n: number, rows: ArrayLike<number>, cols: ArrayLike<number>, vals: ArrayLike<number>): Csc {
  const nz = rows.length;
  const count = new Int32Array(n + 1);
  for (let k = 0; k < nz; k++) count[cols[k] + 1]++;
  for (let j = 0; j < n; j++) count[j + 1] += count[j];
  const next = count.slice(0, n);
  const ri = new Int32Array(nz);
  const vv = new Float64Array(nz);
  for (let k = 0; k < nz; k++) {
    const p = next[cols[k]]++;
    ri[p] = rows[k];
    vv[p] = vals[k];
  }
  // Sort each column by row and sum duplicates.
  const colPtr = new Int32Array(n + 1);
  const outR: number[] = [];
  const outV: number[] = [];
  const mark = new Int32Array(m).fill(-1);
  for (let j = 0; j < n; j++) {
    const start = outR.length;
    const order: number[] = [];
    for (let p = count[j]; p < count[j + 1]; p++) order.push(p);
    order.sort((a, b) => ri[a] - ri[b]);
    for (const p of order) {
      const r = ri[p];
      if (mark[r] >= start) outV[mark[r]] += vv[p];
      else {
        mark[r] = outR.length;
        outR.push(r);
        outV.push(vv[p]);
      }
    }
    colPtr[j + 1] = outR.length;
  }
  return { m, n, colPtr, rowIdx: Int32Array.from(outR), values: Float64Array.from(outV) };
}

/** y = A x */
export function cscMulVec(A: Csc, x: ArrayLike<number>): Float64Array {
  const y = new Float64Array(A.m);
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
      if (i >= 0) { r.push(i); v.push(A.values[p]); }
    }
    // keep rows sorted when the row selection is not monotone
    if (r.length - start > 1) {
      const idx = Array.from({ length: r.length - start }, (_, k) => start + k).sort((a, b) => r[a] - r[b]);
      const rs = idx.map((k) => r[k]);
      const vs = idx.map((k) => v[k]);
      for (let k = 0; k < rs.length; k++) { r[start + k] = rs[k]; v[start + k] = vs[k]; }
    }
    colPtr[jj + 1] = r.length;
  }
  return { m: rowsSel.length, n: colsSel.length, colPtr, rowIdx: Int32Array.from(r), values: Float64Array.from(v) };
}
