/**
 * S = V .* conj(Ybus V) summed row by row: Ybus's pattern is structurally symmetric (every
 * branch puts (f, t) and (t, f) in it, every bus its diagonal), so row i's entries are column
 * i's rows, and the position of Y_ik in Ybus's column-major values is a pattern-only map
 * (`rowPositions`, computed once per pattern and kept with it). Each I_i is then summed in
 * registers over k ascending, the order in which zcscMulVec's column pass adds into it, skipping
 * the same V_k = 0 columns: the same sums bit for bit, without zeroing I and without a
 * read-modify-write of I per entry (case118 1.3-2.4 vs 2.0-3.5 us, case1354pegase 10-24 vs
 * 15-30 us, loaded machine). A pattern that is not symmetric, or a large one (ROWS_MAX_NNZ), gets
 * null (column pass).
 */
import type { ZCsc, ZVec } from './sparse/zcsc';
import { ArrayAlloc, insideOneShot, ownArrays, slabArrays } from './scratch-slab';

const positions = new WeakMap<Int32Array, Int32Array | null>();
/**
 * A one-shot solve's pattern (scratch-slab.ts, insideOneShot) and its positions, held here
 * instead of in `positions`: it dies with the solve, a WeakMap entry per cold solve would only
 * feed the garbage collector (the next one-shot pattern replaces it).
 */
let oneShotPattern: Int32Array | null = null;
let oneShotPositions: Int32Array | null = null;

/**
 * Above this many Ybus entries the column pass is used: on case9241pegase (~41k entries) the row
 * pass's scattered reads of Ybus's values lost inside the solve loops (time series 1.18x, N-1
 * 1.10x the column pass's CPU time, load 4-5) though it wins alone; on case118 and
 * case1354pegase (476 and 4,774 entries) it wins in the loops too.
 */
const ROWS_MAX_NNZ = 16384;

/** `transposedPositions` of Y's pattern, kept with the pattern; null above ROWS_MAX_NNZ entries. */
export function rowPositions(Y: ZCsc): Int32Array | null {
  if (Y.rowIdx === oneShotPattern) return oneShotPositions;
  const hit = positions.get(Y.rowIdx);
  if (hit !== undefined) return hit;
  const oneShot = insideOneShot();
  const tpos = Y.colPtr[Y.n] > ROWS_MAX_NNZ ? null : transposedPositions(Y, oneShot ? slabArrays : ownArrays);
  if (oneShot) {
    oneShotPattern = Y.rowIdx;
    oneShotPositions = tpos;
  } else positions.set(Y.rowIdx, tpos);
  return tpos;
}

/**
 * For each stored entry p of column i (row k): the position of entry (i, k) in column k; null
 * when the pattern is not structurally symmetric.
 */
export function transposedPositions(Y: ZCsc, alloc: ArrayAlloc = ownArrays): Int32Array | null {
  const { n, colPtr, rowIdx } = Y;
  if (Y.m !== n) return null;
  const tpos = alloc.i32(colPtr[n]);
  const next = alloc.i32(n);
  next.set(colPtr.subarray(0, n));
  for (let j = 0; j < n; j++) {
    for (let p = colPtr[j]; p < colPtr[j + 1]; p++) {
      const i = rowIdx[p];
      const s = next[i]++;
      // column i's s-th entry must be row j for (j, i) to mirror (i, j)
      if (s >= colPtr[i + 1] || rowIdx[s] !== j) return null;
      tpos[s] = p;
    }
  }
  return tpos;
}

/** I = Ybus V and S = V .* conj(I), row by row through `tpos` (see above). */
export function busInjectionsByRows(Y: ZCsc, tpos: Int32Array, V: ZVec, I: ZVec, S: ZVec): void {
  const { colPtr, rowIdx, re, im } = Y;
  const Vr = V.re,
    Vi = V.im;
  for (let i = 0, n = Y.n; i < n; i++) {
    let ir = 0,
      ii = 0;
    for (let p = colPtr[i], e = colPtr[i + 1]; p < e; p++) {
      const k = rowIdx[p];
      const a = Vr[k],
        b = Vi[k];
      if (a === 0 && b === 0) continue;
      const q = tpos[p];
      const c = re[q],
        d = im[q];
      ir += c * a - d * b;
      ii += c * b + d * a;
    }
    I.re[i] = ir;
    I.im[i] = ii;
    const vr = Vr[i],
      vi = Vi[i];
    S.re[i] = vr * ir + vi * ii;
    S.im[i] = vi * ir - vr * ii;
  }
}
