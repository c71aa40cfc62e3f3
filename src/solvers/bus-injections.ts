/**
 * S = V .* conj(Ybus V) summed row by row: Ybus's pattern is structurally symmetric (every
 * branch puts (f, t) and (t, f) in it, every bus its diagonal), so row i's entries are column
 * i's rows, and the position of Y_ik in Ybus's column-major values is a pattern-only map
 * (`rowPositions`, computed once per pattern and kept with it). Each I_i is then summed in
 * registers over k ascending, the order in which zcscMulVec's column pass adds into it, skipping
 * the same V_k = 0 columns: the same sums bit for bit, without zeroing I and without a
 * read-modify-write of I per entry (case118 1.3-2.4 vs 2.0-3.5 us, case1354pegase 10-24 vs
 * 15-30 us, loaded machine). A pattern that is not symmetric, a large one (ROWS_MAX_NNZ), or a
 * one-shot solve's gets null (column pass).
 */
import type { ZCsc, ZVec } from './sparse/zcsc';
import { insideOneShot } from './scratch-slab';

const positions = new WeakMap<Int32Array, Int32Array | null>();

/**
 * Above this many Ybus entries the column pass is used: on case9241pegase (~41k entries) the row
 * pass's scattered reads of Ybus's values lost inside the solve loops (time series 1.18x, N-1
 * 1.10x the column pass's CPU time, load 4-5) though it wins alone; on case118 and
 * case1354pegase (476 and 4,774 entries) it wins in the loops too.
 */
const ROWS_MAX_NNZ = 16384;

/**
 * `transposedPositions` of Y's pattern, kept with the pattern; null above ROWS_MAX_NNZ entries, and
 * for the pattern of a one-shot solve (scratch-slab.ts insideOneShot): its 4-7 evaluations do not
 * repay the positions (a pass over the pattern, a WeakMap entry per solve for the garbage collector
 * to clear). Process CPU time per cold solve with the column pass instead, KLU, 4 alternating
 * rounds, load 2.3-2.9: case118 0.1595 -> 0.157 ms, case1354pegase 3.06 -> 2.96 ms,
 * pglib_opf_case2869_pegase (10,805 entries) 8.38 -> 8.17 ms.
 */
export function rowPositions(Y: ZCsc): Int32Array | null {
  const hit = positions.get(Y.rowIdx);
  if (hit !== undefined) return hit;
  if (insideOneShot()) return null;
  const tpos = Y.colPtr[Y.n] > ROWS_MAX_NNZ ? null : transposedPositions(Y);
  positions.set(Y.rowIdx, tpos);
  return tpos;
}

/**
 * For each stored entry p of column i (row k): the position of entry (i, k) in column k; null
 * when the pattern is not structurally symmetric.
 */
export function transposedPositions(Y: ZCsc): Int32Array | null {
  const { n, colPtr, rowIdx } = Y;
  if (Y.m !== n) return null;
  const tpos = new Int32Array(colPtr[n]);
  const next = Int32Array.from(colPtr.subarray(0, n));
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
