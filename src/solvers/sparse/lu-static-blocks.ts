/**
 * The U pattern of the diagonal-pivot factorization (lu-static-factor.ts) of a structurally
 * symmetric B = A(q, q), computed on the graph of its column blocks: consecutive columns k,
 * k + 1 whose rows are the same (same pivot rows in the same order) and include k and k + 1 are
 * indistinguishable in the graph of B (a power-flow Jacobian's Va and Vm columns of a PQ bus,
 * which jacobian-order.ts places next to each other), so they are eliminated as one node: the
 * elimination tree and each column's reach are found on the graph of blocks (a Jacobian's bus
 * graph, about half the nodes and a quarter of the entries), and expanded to columns. A block's
 * first column reaches the rows of the blocks its block reaches, plus its second column; the
 * second column the same blocks' rows (the supernode theorem for blocks with full diagonal
 * blocks; Davis, "Direct Methods for Sparse Linear Systems", 4.1-4.2 for the column version).
 * The result is the column version's bit for bit: the same sorted U columns, in an array of the
 * same length.
 */
import { LuNumeric } from './lu-numeric';
import { eliminationTree } from './lu-etree';
import { scratchI32 } from '../scratch-slab';

/**
 * st.Up/st.Ui (and st.Ux sized to match) for B = A in factor order (st.aPtr / st.aRow, pivot
 * rows = factor positions); returns the count of off-diagonal entries in each row of U (= column
 * of L). Null when a diagonal entry is missing or the entries below the diagonal do not number
 * those above it (the pattern is then not symmetric: the caller reads it the general way).
 * `cap0`: the column version's first capacity for U's rows (its growth rule is followed, so
 * the arrays have its lengths).
 */
export function upperPatternByBlocks(st: LuNumeric, cap0: number): Int32Array | null {
  const { n, aPtr, aRow } = st;
  const { nb, start, blockOf } = columnBlocks(n, aPtr, aRow);
  // lower neighbours of each block (blocks of the rows of its first column that come before it),
  // the diagonal checked and B's entries below the diagonal counted on every column
  const lp = scratchI32(nb + 1);
  const li = scratchI32(aPtr[n]);
  let w = 0,
    above = 0;
  for (let b = 0; b < nb; b++) {
    const k = start[b];
    let diagonal = 0,
      before = 0;
    for (let t = aPtr[k], e = aPtr[k + 1]; t < e; t++) {
      const a = aRow[t];
      diagonal |= ((a ^ k) - 1) >>> 31; // 1 when a === k
      before += (a - k) >>> 31; // 1 when a < k
      const c = blockOf[a];
      li[w] = c;
      // kept when c < b and a is its block's first row (each block once, no branch)
      w += ((c - b) >>> 31) & (((start[c] ^ a) - 1) >>> 31);
    }
    if (diagonal === 0) return null;
    lp[b + 1] = w;
    // the second column of a block has the same rows: those before k, and k
    above += start[b + 1] - k === 2 ? 2 * before + 1 : before;
  }
  // a symmetric pattern has as many entries above the diagonal as below it (the column
  // version's guard against a wrong promise, counted the same way)
  if (2 * above + n !== aPtr[n]) return null;
  return expand(st, nb, start, lp, li, cap0);
}

/**
 * The column blocks of B (A in factor order: aPtr / aRow): a column k with k + 1 when both have
 * the same rows in the same order, k and k + 1 among them, else alone. Block b is columns
 * start[b] .. start[b + 1] - 1; blockOf[k] is column k's block.
 */
export function columnBlocks(
  n: number,
  aPtr: Int32Array,
  aRow: Int32Array,
): { nb: number; start: Int32Array; blockOf: Int32Array } {
  const blockOf = scratchI32(n);
  const start = scratchI32(n + 1);
  let nb = 0;
  for (let k = 0; k < n; k++) {
    start[nb] = k;
    blockOf[k] = nb;
    if (k + 1 < n && sameBlock(aPtr, aRow, k)) blockOf[++k] = nb;
    nb++;
  }
  start[nb] = n;
  return { nb, start, blockOf };
}

/** Columns k and k + 1 of B have the same rows in the same order, k and k + 1 among them. */
function sameBlock(aPtr: Int32Array, aRow: Int32Array, k: number): boolean {
  const a0 = aPtr[k],
    b0 = aPtr[k + 1],
    len = b0 - a0;
  if (aPtr[k + 2] - b0 !== len) return false;
  let hasK = false,
    hasK1 = false;
  for (let t = 0; t < len; t++) {
    const r = aRow[a0 + t];
    if (r !== aRow[b0 + t]) return false;
    if (r === k) hasK = true;
    else if (r === k + 1) hasK1 = true;
  }
  return hasK && hasK1;
}

/** The blocks' etree and reaches, expanded to U's columns (see the file comment). */
function expand(
  st: LuNumeric,
  nb: number,
  start: Int32Array,
  lp: Int32Array,
  li: Int32Array,
  cap0: number,
): Int32Array {
  const n = st.n;
  const parent = eliminationTree(nb, lp, li);
  // each block's reach (blocks before it), ascending, in one list
  const rp = scratchI32(nb + 1);
  let reach = scratchI32(Math.max(lp[nb], 16));
  const mark = scratchI32(nb).fill(-1);
  let used = 0,
    unz = 0;
  for (let b = 0; b < nb; b++) {
    const r0 = used;
    mark[b] = b;
    for (let p = lp[b], e = lp[b + 1]; p < e; p++) {
      for (let i = li[p]; mark[i] !== b; i = parent[i]) {
        mark[i] = b;
        if (used === reach.length) {
          const g = scratchI32(2 * used + nb);
          g.set(reach);
          reach = g;
        }
        reach[used++] = i;
      }
    }
    sortAscending(reach, r0, used);
    rp[b + 1] = used;
    // U's entries of the block's columns: the reached blocks' columns, then the diagonal part
    let cols = 0;
    for (let t = r0; t < used; t++) cols += start[reach[t] + 1] - start[reach[t]];
    const size = start[b + 1] - start[b];
    unz += size === 2 ? 2 * cols + 3 : cols + 1;
  }
  // the column version's capacity: grown (2 cap + n) until the last entry fits
  let cap = cap0;
  while (cap <= unz) cap = 2 * cap + n;
  const Up = st.Up;
  const Ui = new Int32Array(cap);
  const lcount = scratchI32(n);
  let u = 0;
  for (let b = 0; b < nb; b++) {
    const k = start[b],
      two = start[b + 1] - k === 2;
    const u0 = u;
    Up[k] = u0;
    for (let t = rp[b], e = rp[b + 1]; t < e; t++) {
      const c = reach[t];
      for (let j = start[c], je = start[c + 1]; j < je; j++) {
        Ui[u++] = j;
        lcount[j] += two ? 2 : 1;
      }
    }
    Ui[u++] = k;
    if (two) {
      // column k + 1: column k's rows (k included), then its diagonal
      Up[k + 1] = u;
      Ui.copyWithin(u, u0, u);
      u += u - u0;
      Ui[u++] = k + 1;
      lcount[k]++;
    }
  }
  Up[n] = u;
  st.Ui = Ui;
  if (st.Ux.length !== Ui.length) st.Ux = new Float64Array(Ui.length);
  return lcount;
}

/** a[lo..hi) ascending: insertion sort for short runs (etree paths come in ascending runs). */
function sortAscending(a: Int32Array, lo: number, hi: number): void {
  if (hi - lo > 32) {
    a.subarray(lo, hi).sort();
    return;
  }
  for (let x = lo + 1; x < hi; x++) {
    const r = a[x];
    let y = x - 1;
    while (y >= lo && a[y] > r) {
      a[y + 1] = a[y];
      y--;
    }
    a[y + 1] = r;
  }
}
