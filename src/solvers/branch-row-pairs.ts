/**
 * Yf and Yt (branch x bus, MATPOWER's makeYbus) hold at most two entries per row: a branch's
 * from-bus and to-bus admittances. `rowPairs` lists, per row, the positions and columns of its
 * entries in column order, so that I = Yf V is one gather per branch instead of a pass over the
 * matrix that scatters into zeroed outputs, with the same operations in the same order as
 * pfsoln's column-order product (bit for bit the same currents). Computed once per pattern
 * (patterns are shared by every Ybus value variant of a prepared solver). The DC branch matrix
 * Bf has the same shape (ac-outage-start.ts reads one row of Bf theta from it).
 */
import { insideOneShot } from './scratch-slab';

export interface RowPairs {
  /** position in the matrix's values of the row's first / second entry in column order; -1 if none */
  readonly p0: Int32Array;
  readonly p1: Int32Array;
  /** their columns (bus rows); -1 if none */
  readonly c0: Int32Array;
  readonly c1: Int32Array;
}

/** per pattern: its pairs, null when a row holds more than two entries, 'seen' after one ask */
const cache = new WeakMap<Int32Array, RowPairs | null | 'seen'>();

/** A sparse pattern (CSC, m x n); the values are the caller's. */
interface CscPattern {
  readonly m: number;
  readonly n: number;
  readonly colPtr: Int32Array;
  readonly rowIdx: Int32Array;
}

/**
 * Per-row entry pairs of `A` (m x n, CSC), or null when a row holds more than two entries.
 * With `reused`, null the first time a pattern is seen (a one-shot solve is not worth the
 * pass over the pattern), the pairs from the second time on.
 */
export function rowPairs(A: CscPattern, reused = false): RowPairs | null {
  const hit = cache.get(A.rowIdx);
  if (hit === undefined && reused) {
    // a one-shot solve's pattern is never seen again (scratch-slab.ts): no entry for it
    if (!insideOneShot()) cache.set(A.rowIdx, 'seen');
    return null;
  }
  if (hit === null) return null;
  if (hit !== undefined && hit !== 'seen' && hit.p0.length === A.m) return hit;
  const m = A.m;
  const p0 = new Int32Array(m).fill(-1),
    p1 = new Int32Array(m).fill(-1),
    c0 = new Int32Array(m).fill(-1),
    c1 = new Int32Array(m).fill(-1);
  let pairs: RowPairs | null = { p0, p1, c0, c1 };
  const { colPtr, rowIdx } = A;
  outer: for (let j = 0; j < A.n; j++) {
    for (let p = colPtr[j], end = colPtr[j + 1]; p < end; p++) {
      const i = rowIdx[p];
      if (p0[i] < 0) {
        p0[i] = p;
        c0[i] = j;
      } else if (p1[i] < 0) {
        p1[i] = p;
        c1[i] = j;
      } else {
        pairs = null;
        break outer;
      }
    }
  }
  cache.set(A.rowIdx, pairs);
  return pairs;
}
