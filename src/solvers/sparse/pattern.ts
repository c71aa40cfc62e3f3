/**
 * Fixed sparsity patterns for matrices rebuilt every iteration (Jacobians, Hessians): the
 * pattern is built once from a list of (row, col) slots; each iteration only writes values
 * into the slots (duplicates add up). The resulting CSC shares colPtr/rowIdx across
 * iterations, so pattern comparisons are O(1) and the LU reuses its analysis.
 */
import type { Csc } from './csc';
import { tripletPattern } from './triplet-pattern';

export interface Pattern {
  m: number;
  n: number;
  colPtr: Int32Array;
  rowIdx: Int32Array;
  /** slot k -> position in values */
  pos: Int32Array;
}

/** The pattern of the (row, col) slots; one implementation with triplet-pattern.ts. */
export function buildPattern(m: number, n: number, rows: ArrayLike<number>, cols: ArrayLike<number>): Pattern {
  return tripletPattern(m, n, rows, cols);
}

/** A CSC on the pattern with values summed from per-slot values. */
export function fillPattern(pt: Pattern, slotValues: ArrayLike<number>): Csc {
  const values = new Float64Array(pt.rowIdx.length);
  const pos = pt.pos;
  for (let k = 0; k < pos.length; k++) values[pos[k]] += slotValues[k];
  return { m: pt.m, n: pt.n, colPtr: pt.colPtr, rowIdx: pt.rowIdx, values };
}
