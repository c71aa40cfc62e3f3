/**
 * Fixed sparsity patterns for matrices rebuilt every iteration (Jacobians, Hessians): the
 * pattern is built once from a list of (row, col) slots; each iteration only writes values
 * into the slots (duplicates add up). The resulting CSC shares colPtr/rowIdx across
 * iterations, so pattern comparisons are O(1) and the LU reuses its analysis.
 */
import type { Csc } from '../sparse/csc';

export interface Pattern {
  m: number;
  n: number;
  colPtr: Int32Array;
  rowIdx: Int32Array;
  /** slot k -> position in values */
  pos: Int32Array;
}

export function buildPattern(m: number, n: number, rows: ArrayLike<number>, cols: ArrayLike<number>): Pattern {
  const nz = rows.length;
  const cnt = new Int32Array(n + 1);
  for (let k = 0; k < nz; k++) cnt[cols[k] + 1]++;
  for (let j = 0; j < n; j++) cnt[j + 1] += cnt[j];
  const order = new Int32Array(nz);
  const next = cnt.slice(0, n);
  for (let k = 0; k < nz; k++) order[next[cols[k]]++] = k;
  const colPtr = new Int32Array(n + 1);
  const rowIdxTmp: number[] = [];
  const pos = new Int32Array(nz);
  const seen = new Map<number, number>();
  for (let j = 0; j < n; j++) {
    seen.clear();
    const slots: number[] = [];
    for (let p = cnt[j]; p < cnt[j + 1]; p++) slots.push(order[p]);
    const uniq = Array.from(new Set(slots.map((k) => rows[k]))).sort((a, b) => a - b);
    const base = rowIdxTmp.length;
    uniq.forEach((r, i) => { seen.set(r, base + i); rowIdxTmp.push(r); });
    for (const k of slots) pos[k] = seen.get(rows[k]) as number;
    colPtr[j + 1] = rowIdxTmp.length;
  }
  return { m, n, colPtr, rowIdx: Int32Array.from(rowIdxTmp), pos };
}

/** A CSC on the pattern with values summed from per-slot values. */
export function fillPattern(pt: Pattern, slotValues: ArrayLike<number>): Csc {
  const values = new Float64Array(pt.rowIdx.length);
  const pos = pt.pos;
  for (let k = 0; k < pos.length; k++) values[pos[k]] += slotValues[k];
  return { m: pt.m, n: pt.n, colPtr: pt.colPtr, rowIdx: pt.rowIdx, values };
}
