/**
 * Sparse matrix algebra on CSC matrices (CSparse-style, typed arrays), used by the OPF.
 * Structural zeros are kept: a result's pattern depends only on its operands' patterns,
 * so matrices built the same way every iteration have identical patterns and the LU can
 * reuse its symbolic analysis.
 */
import { Csc, cscFromTriplets, cscTranspose, samePattern } from './csc';

export function cscEmpty(m: number, n: number): Csc {
  return { m, n, colPtr: new Int32Array(n + 1), rowIdx: new Int32Array(0), values: new Float64Array(0) };
}

export function cscIdentity(n: number): Csc {
  return cscDiag(new Float64Array(n).fill(1));
}

export function cscDiag(d: ArrayLike<number>): Csc {
  const n = d.length;
  const colPtr = new Int32Array(n + 1);
  const rowIdx = new Int32Array(n);
  const values = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    colPtr[j + 1] = j + 1;
    rowIdx[j] = j;
    values[j] = d[j];
  }
  return { m: n, n, colPtr, rowIdx, values };
}

/** A' */
export { cscTranspose };

/** Sorts row indices within each column (results of cscMultiply are unsorted). */
function sortColumns(C: Csc): Csc {
  return cscTranspose(cscTranspose(C));
}

/** C = A * B (pattern = symbolic product, zeros kept), rows sorted. */
export function cscMultiply(A: Csc, B: Csc): Csc {
  if (A.n !== B.m) throw new RangeError(`multiply: ${A.m}x${A.n} times ${B.m}x${B.n}`);
  const m = A.m;
  const n = B.n;
  const { colPtr: Ap, rowIdx: Ai, values: Ax } = A;
  const { colPtr: Bp, rowIdx: Bi, values: Bx } = B;
  const mark = new Int32Array(m).fill(-1);
  const x = new Float64Array(m);
  let cap = Math.max(Ap[A.n] + Bp[n], 16);
  let Ci = new Int32Array(cap);
  let Cx = new Float64Array(cap);
  const Cp = new Int32Array(n + 1);
  let nz = 0;
  for (let j = 0; j < n; j++) {
    if (nz + m > cap) {
      cap = Math.max(2 * cap, nz + m);
      const Ci2 = new Int32Array(cap);
      Ci2.set(Ci.subarray(0, nz));
      Ci = Ci2;
      const Cx2 = new Float64Array(cap);
      Cx2.set(Cx.subarray(0, nz));
      Cx = Cx2;
    }
    Cp[j] = nz;
    for (let p = Bp[j]; p < Bp[j + 1]; p++) {
      const k = Bi[p];
      const bkj = Bx[p];
      for (let q = Ap[k]; q < Ap[k + 1]; q++) {
        const i = Ai[q];
        if (mark[i] !== j) {
          mark[i] = j;
          Ci[nz++] = i;
          x[i] = Ax[q] * bkj;
        } else x[i] += Ax[q] * bkj;
      }
    }
    for (let p = Cp[j]; p < nz; p++) Cx[p] = x[Ci[p]];
  }
  Cp[n] = nz;
  return sortColumns({ m, n, colPtr: Cp, rowIdx: Ci.slice(0, nz), values: Cx.slice(0, nz) });
}

/** C = alpha A + beta B (union pattern, rows sorted when the inputs are). */
export function cscAdd(A: Csc, B: Csc, alpha = 1, beta = 1): Csc {
  if (A.m !== B.m || A.n !== B.n) throw new RangeError(`add: ${A.m}x${A.n} and ${B.m}x${B.n}`);
  const { m, n } = A;
  const Cp = new Int32Array(n + 1);
  const Ci = new Int32Array(A.colPtr[n] + B.colPtr[n]);
  const Cx = new Float64Array(Ci.length);
  let nz = 0;
  for (let j = 0; j < n; j++) {
    let p = A.colPtr[j];
    let q = B.colPtr[j];
    const pe = A.colPtr[j + 1];
    const qe = B.colPtr[j + 1];
    while (p < pe || q < qe) {
      const ia = p < pe ? A.rowIdx[p] : m;
      const ib = q < qe ? B.rowIdx[q] : m;
      if (ia === ib) {
        Ci[nz] = ia;
        Cx[nz++] = alpha * A.values[p++] + beta * B.values[q++];
      } else if (ia < ib) {
        Ci[nz] = ia;
        Cx[nz++] = alpha * A.values[p++];
      } else {
        Ci[nz] = ib;
        Cx[nz++] = beta * B.values[q++];
      }
    }
    Cp[j + 1] = nz;
  }
  return { m, n, colPtr: Cp, rowIdx: Ci.slice(0, nz), values: Cx.slice(0, nz) };
}

/** [A B] */
export function cscHcat(...mats: Csc[]): Csc {
  const m = mats[0].m;
  let n = 0;
  let nz = 0;
  for (const M of mats) {
    if (M.m !== m) throw new RangeError(`hcat: row counts ${m} and ${M.m}`);
    n += M.n;
    nz += M.colPtr[M.n];
  }
  const colPtr = new Int32Array(n + 1);
  const rowIdx = new Int32Array(nz);
  const values = new Float64Array(nz);
  let c = 0;
  let off = 0;
  for (const M of mats) {
    const mnz = M.colPtr[M.n];
    rowIdx.set(M.rowIdx.subarray(0, mnz), off);
    values.set(M.values.subarray(0, mnz), off);
    for (let j = 0; j < M.n; j++) colPtr[c + j + 1] = off + M.colPtr[j + 1];
    c += M.n;
    off += mnz;
  }
  return { m, n, colPtr, rowIdx, values };
}

/** [A; B] */
export function cscVcat(...mats: Csc[]): Csc {
  const n = mats[0].n;
  let m = 0;
  let nz = 0;
  for (const M of mats) {
    if (M.n !== n) throw new RangeError(`vcat: column counts ${n} and ${M.n}`);
    m += M.m;
    nz += M.colPtr[n];
  }
  const colPtr = new Int32Array(n + 1);
  const rowIdx = new Int32Array(nz);
  const values = new Float64Array(nz);
  let p = 0;
  for (let j = 0; j < n; j++) {
    let roff = 0;
    for (const M of mats) {
      for (let q = M.colPtr[j]; q < M.colPtr[j + 1]; q++) {
        rowIdx[p] = M.rowIdx[q] + roff;
        values[p++] = M.values[q];
      }
      roff += M.m;
    }
    colPtr[j + 1] = p;
  }
  return { m, n, colPtr, rowIdx, values };
}

/** diag(dr) * A * diag(dc); either may be null. */
export function cscScale(A: Csc, dr: ArrayLike<number> | null, dc: ArrayLike<number> | null): Csc {
  const values = new Float64Array(A.values.length);
  for (let j = 0; j < A.n; j++) {
    const cj = dc ? dc[j] : 1;
    for (let p = A.colPtr[j]; p < A.colPtr[j + 1]; p++) values[p] = A.values[p] * cj * (dr ? dr[A.rowIdx[p]] : 1);
  }
  return { m: A.m, n: A.n, colPtr: A.colPtr, rowIdx: A.rowIdx, values };
}

/** y = A' x */
export function cscMulTVec(A: Csc, x: ArrayLike<number>): Float64Array {
  const y = new Float64Array(A.n);
  for (let j = 0; j < A.n; j++) {
    let s = 0;
    for (let p = A.colPtr[j]; p < A.colPtr[j + 1]; p++) s += A.values[p] * x[A.rowIdx[p]];
    y[j] = s;
  }
  return y;
}

/** y += alpha A x (in place). */
export function cscMulVecAdd(A: Csc, x: ArrayLike<number>, y: Float64Array, alpha = 1): Float64Array {
  for (let j = 0; j < A.n; j++) {
    const xj = alpha * x[j];
    if (xj === 0) continue;
    for (let p = A.colPtr[j]; p < A.colPtr[j + 1]; p++) y[A.rowIdx[p]] += A.values[p] * xj;
  }
  return y;
}

/** Rows `rows` of A, in the given order. */
export function cscSelectRows(A: Csc, rows: ArrayLike<number>): Csc {
  return cscTranspose(cscSelectCols(cscTranspose(A), rows));
}

/** Columns `cols` of A, in the given order. */
export function cscSelectCols(A: Csc, cols: ArrayLike<number>): Csc {
  const n = cols.length;
  const colPtr = new Int32Array(n + 1);
  let nz = 0;
  for (let k = 0; k < n; k++) {
    nz += A.colPtr[cols[k] + 1] - A.colPtr[cols[k]];
    colPtr[k + 1] = nz;
  }
  const rowIdx = new Int32Array(nz);
  const values = new Float64Array(nz);
  for (let k = 0; k < n; k++) {
    const s = A.colPtr[cols[k]];
    const e = A.colPtr[cols[k] + 1];
    rowIdx.set(A.rowIdx.subarray(s, e), colPtr[k]);
    values.set(A.values.subarray(s, e), colPtr[k]);
  }
  return { m: A.m, n, colPtr, rowIdx, values };
}

/** True when A and B have the same dimensions and pattern (defined in csc.ts). */
export { samePattern };

/** Triplets to CSC, keeping zeros and summing duplicates (the shared builder). */
export const cscFromTripletsKeep = cscFromTriplets;
