/**
 * Complex sparse matrices in compressed sparse column form, with the real and imaginary
 * parts in two Float64Arrays (no boxing, no interleaving), and complex vectors likewise.
 */
import type { Csc } from './csc';
import { tripletPattern } from './triplet-pattern';

export interface ZCsc {
  /** rows */
  m: number;
  /** columns */
  n: number;
  /** n + 1 column starts into rowIdx / re / im */
  colPtr: Int32Array;
  /** row index of each stored entry, sorted within a column */
  rowIdx: Int32Array;
  re: Float64Array;
  im: Float64Array;
}

/** A complex vector as two arrays of equal length. */
export interface ZVec {
  re: Float64Array;
  im: Float64Array;
}

export function zvec(n: number): ZVec {
  return { re: new Float64Array(n), im: new Float64Array(n) };
}

/**
 * Builds a complex CSC matrix from triplets, summing duplicates (like MATLAB's sparse()).
 * Structural entries are kept even when their sum is zero, so the pattern depends only
 * on the index lists, never on the values. O(nnz + m + n).
 */
export function zcscFromTriplets(
  m: number,
  n: number,
  rows: ArrayLike<number>,
  cols: ArrayLike<number>,
  re: ArrayLike<number>,
  im: ArrayLike<number>,
): ZCsc {
  const p = tripletPattern(m, n, rows, cols);
  const nnz = p.rowIdx.length;
  const vr = new Float64Array(nnz);
  const vi = new Float64Array(nnz);
  // duplicates are summed in triplet order, as MATLAB's sparse() does
  for (let k = 0; k < rows.length; k++) {
    vr[p.pos[k]] += re[k];
    vi[p.pos[k]] += im[k];
  }
  return { m, n, colPtr: p.colPtr, rowIdx: p.rowIdx, re: vr, im: vi };
}

/** y = A x for complex A and x; y is allocated unless given. */
export function zcscMulVec(A: ZCsc, x: ZVec, y: ZVec = zvec(A.m)): ZVec {
  const { colPtr, rowIdx, re, im } = A;
  const yr = y.re.fill(0);
  const yi = y.im.fill(0);
  const xr = x.re;
  const xi = x.im;
  for (let j = 0; j < A.n; j++) {
    const a = xr[j];
    const b = xi[j];
    if (a === 0 && b === 0) continue;
    for (let p = colPtr[j], end = colPtr[j + 1]; p < end; p++) {
      const i = rowIdx[p];
      const c = re[p];
      const d = im[p];
      yr[i] += c * a - d * b;
      yi[i] += c * b + d * a;
    }
  }
  return y;
}

/** Row-compressed copy (the CSC of the transpose, not conjugated): rows of A become columns. */
export function zcscTranspose(A: ZCsc): ZCsc {
  const { m, n, colPtr, rowIdx, re, im } = A;
  const nz = colPtr[n];
  const tp = new Int32Array(m + 1);
  for (let p = 0; p < nz; p++) tp[rowIdx[p] + 1]++;
  for (let i = 0; i < m; i++) tp[i + 1] += tp[i];
  const next = tp.slice(0, m);
  const ti = new Int32Array(nz);
  const tr = new Float64Array(nz);
  const tim = new Float64Array(nz);
  for (let j = 0; j < n; j++) {
    for (let p = colPtr[j]; p < colPtr[j + 1]; p++) {
      const q = next[rowIdx[p]]++;
      ti[q] = j;
      tr[q] = re[p];
      tim[q] = im[p];
    }
  }
  return { m: n, n: m, colPtr: tp, rowIdx: ti, re: tr, im: tim };
}

/** The real part (part = 're') or imaginary part as a real CSC with the same pattern. */
export function zcscPart(A: ZCsc, part: 're' | 'im'): Csc {
  return { m: A.m, n: A.n, colPtr: A.colPtr, rowIdx: A.rowIdx, values: part === 're' ? A.re : A.im };
}
