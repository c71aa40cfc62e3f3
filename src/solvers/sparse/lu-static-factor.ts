/**
 * The first numeric factorization without a pivot search, for matrices whose diagonal pivots
 * pass the threshold test (power-flow Jacobians on an AMD order nearly always do): the L and U
 * patterns of diagonal pivoting are those of the Cholesky factor of B + B' (B = A(q, q)),
 * found from the elimination tree in time proportional to their size (Davis, "Direct Methods
 * for Sparse Linear Systems", sections 4.1 and 4.2: etree and ereach); the values then come
 * from the refactorization kernel (lu-refactor.ts), which checks every pivot with the same
 * threshold test as the factorization with pivoting (lu-factor-numeric.ts). So when this
 * succeeds, the pivots are the ones that factorization would have chosen, and the patterns
 * are the same for a structurally symmetric A (a superset with explicit zeros otherwise).
 * When a pivot fails the test, or a diagonal entry is missing from the pattern (KKT systems'
 * zero blocks), it returns false and the caller factors with pivoting.
 */
import type { Csc } from './csc';
import { LuNumeric } from './lu-numeric';
import { refactorNumeric } from './lu-refactor';
import { findSupernodes, permuteA } from './lu-refactor-schedule';
import { eliminationTree } from './lu-etree';
import { upperPatternByBlocks } from './lu-static-blocks';
import { scratchI32 } from '../scratch-slab';

/**
 * Factors A(q, q) with diagonal pivots into st; false when a pivot fails the threshold test.
 * `numeric` computes the values on the patterns (the refactorization kernel: lu-refactor.ts's,
 * or the WebAssembly one, lu-wasm.ts).
 * `symmetricPattern`: the caller guarantees A's pattern is structurally symmetric (see
 * LuSymbolic); the etree and the reaches are then found on the graph of its column blocks
 * (lu-static-blocks.ts: a Jacobian's buses), from A in factor order.
 */
export function factorStaticPivots(
  st: LuNumeric,
  A: Csc,
  q: Int32Array,
  tol: number,
  symmetricPattern = false,
  numeric: (st: LuNumeric, Ax: Float64Array, tol: number) => boolean = refactorNumeric,
): boolean {
  const n = st.n;
  for (let k = 0; k < n; k++) {
    st.pinv[q[k]] = k;
    st.prow[k] = q[k];
  }
  permuteA(st, A.colPtr, A.rowIdx, q); // A in factor order, as refactorization reads it
  // room for U: twice B's off-diagonal entries plus the diagonal, grown when fill needs more
  const cap = Math.max(2 * (A.colPtr[n] - n) + n, 16);
  // a symmetric pattern: the etree and reaches on the graph of column blocks (lu-static-blocks.ts)
  let lcount = symmetricPattern ? upperPatternByBlocks(st, cap) : null;
  if (lcount === null) {
    const B = lowerNeighbours(st);
    if (B === null) return false; // a diagonal entry is missing (a KKT zero block): pivoting needed
    lcount = upperPattern(st, B.lp, B.li, eliminationTree(n, B.lp, B.li), cap);
  }
  lowerPattern(st, lcount);
  findSupernodes(st); // U's columns come sorted
  return numeric(st, A.values, tol);
}

/*
 * The phases are separate functions so that V8 optimizes each on its own (one large function
 * was compiled by on-stack replacement loop by loop and deoptimized between calls).
 */

/**
 * Lower neighbours of each node of B + B' (B = A(q, q)), duplicates allowed: CSR lp/li. Read
 * from A in factor order (st.aRow): B(a, k) with a < k makes a a neighbour of k, with a > k
 * makes k one of a. Null when a diagonal entry is missing.
 */
function lowerNeighbours(st: LuNumeric): { lp: Int32Array; li: Int32Array } | null {
  const { n, aPtr, aRow } = st;
  const lp = scratchI32(n + 1);
  for (let k = 0; k < n; k++) {
    let diagonal = false;
    for (let t = aPtr[k], e = aPtr[k + 1]; t < e; t++) {
      const a = aRow[t];
      if (a !== k) lp[(a > k ? a : k) + 1]++;
      else diagonal = true;
    }
    if (!diagonal) return null;
  }
  for (let k = 0; k < n; k++) lp[k + 1] += lp[k];
  const li = scratchI32(lp[n]);
  const fill = scratchI32(n);
  fill.set(lp.subarray(0, n));
  for (let k = 0; k < n; k++) {
    for (let t = aPtr[k], e = aPtr[k + 1]; t < e; t++) {
      const a = aRow[t];
      if (a > k) li[fill[a]++] = k;
      else if (a < k) li[fill[k]++] = a;
    }
  }
  return { lp, li };
}

/**
 * st.Up/st.Ui: U(:,k) = rows reached from B(0:k-1, k) in the etree, ascending, then the
 * diagonal. Returns the count of off-diagonal entries in each row of U (= column of L).
 */
function upperPattern(st: LuNumeric, lp: Int32Array, li: Int32Array, parent: Int32Array, cap: number): Int32Array {
  const n = st.n;
  const Up = st.Up;
  let Ui: Int32Array = new Int32Array(cap);
  const mark = scratchI32(n).fill(-1);
  const lcount = scratchI32(n);
  let unz = 0;
  for (let k = 0; k < n; k++) {
    const u0 = unz;
    Up[k] = u0;
    mark[k] = k;
    for (let p = lp[k], e = lp[k + 1]; p < e; p++) {
      for (let i = li[p]; mark[i] !== k; i = parent[i]) {
        mark[i] = k;
        if (unz + 1 >= cap) Ui = grown(Ui, (cap = 2 * cap + n), unz);
        Ui[unz++] = i;
        lcount[i]++;
      }
    }
    if (unz + 1 >= cap) Ui = grown(Ui, (cap = 2 * cap + n), unz);
    // ascending: insertion sort for short columns (the etree paths come in ascending runs)
    if (unz - u0 > 32) Ui.subarray(u0, unz).sort();
    else
      for (let a = u0 + 1; a < unz; a++) {
        const r = Ui[a];
        let b = a - 1;
        while (b >= u0 && Ui[b] > r) {
          Ui[b + 1] = Ui[b];
          b--;
        }
        Ui[b + 1] = r;
      }
    Ui[unz++] = k;
  }
  Up[n] = unz;
  st.Ui = Ui;
  if (st.Ux.length !== Ui.length) st.Ux = new Float64Array(Ui.length);
  return lcount;
}

/** A copy of a[0..used) in a new array of length cap. */
function grown(a: Int32Array, cap: number, used: number): Int32Array {
  const u = new Int32Array(cap);
  u.set(a.subarray(0, used));
  return u;
}

/** st.Lp/Li/Lx: L(:,j) = the diagonal first, then every k whose U(:,k) holds row j (ascending). */
function lowerPattern(st: LuNumeric, lcount: Int32Array): void {
  const n = st.n;
  const { Lp, Up, Ui } = st;
  Lp[0] = 0;
  for (let j = 0; j < n; j++) Lp[j + 1] = Lp[j] + 1 + lcount[j];
  const lnz = Lp[n];
  // index and value arrays keep equal lengths (factorNumeric takes the index length as capacity)
  const reuseL = st.Li.length >= lnz && st.Lx.length === st.Li.length;
  const Li = reuseL ? st.Li : new Int32Array(lnz);
  const Lx = reuseL ? st.Lx : new Float64Array(lnz);
  const next = scratchI32(n);
  for (let j = 0; j < n; j++) {
    Li[Lp[j]] = j;
    Lx[Lp[j]] = 1;
    next[j] = Lp[j] + 1;
  }
  for (let k = 0; k < n; k++) {
    for (let p = Up[k], e = Up[k + 1] - 1; p < e; p++) Li[next[Ui[p]]++] = k;
  }
  st.Li = Li;
  st.Lx = Lx;
}
