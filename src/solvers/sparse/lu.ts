/**
 * Sparse direct LU of a general square CSC matrix: P A Q = L U.
 *
 * - Symbolic phase (`luAnalyze`): a fill-reducing column order Q from AMD on the pattern of
 *   A + A' (suits structurally symmetric matrices: power-flow Jacobians, KKT systems).
 * - Numeric phase (`luFactor`): left-looking Gilbert-Peierls factorization, column by column,
 *   with threshold partial pivoting that prefers the diagonal: the diagonal entry is taken as
 *   pivot when |a_diag| >= pivotTol * max |a_i| over the candidate rows, else the largest.
 * - Refactorization (`LuFactors.refactor`): for a matrix with the same pattern, reuses the
 *   pivot sequence and the L/U patterns (no graph search, no allocation). If a reused pivot
 *   fails the threshold test for the new values, it falls back to a fresh numeric
 *   factorization with pivoting (same column order), so the answer is always as stable as a
 *   new factorization.
 */
import { Csc, samePattern } from './csc';
import { amd } from './amd';

/** No acceptable pivot: the matrix is singular (structurally or numerically). */
export class SingularMatrixError extends Error {
  /** Column of A (0-based, original numbering) where the factorization found no pivot. */
  readonly column: number;

  constructor(column: number, detail = 'no nonzero pivot') {
    super(`matrix is singular: ${detail} in column ${column}`);
    this.name = 'SingularMatrixError';
    this.column = column;
  }
}

/** Result of the symbolic phase: reusable for any matrix with the same pattern. */
export interface LuSymbolic {
  readonly n: number;
  /** Column order: column k of the factored matrix is column q[k] of A. */
  readonly q: Int32Array;
}

export interface LuOptions {
  /**
   * Threshold for partial pivoting in (0, 1]: the diagonal is kept as pivot while
   * |a_diag| >= pivotTol * max|a_i|; 1 is classic partial pivoting. Default 0.001 (KLU and
   * UMFPACK's symmetric strategy use the same value).
   */
  pivotTol?: number;
  /** A symbolic analysis from `luAnalyze` (or `factors.symbolic`) to skip the ordering. */
  symbolic?: LuSymbolic;
}

export interface LuStats {
  nnzL: number;
  nnzU: number;
  /** Numeric factorizations with pivot search (the first one included). */
  factorizations: number;
  /** Refactorizations that reused the pivot sequence. */
  refactorizations: number;
}

export interface LuFactors {
  readonly n: number;
  readonly symbolic: LuSymbolic;
  readonly stats: LuStats;
  /** x = A \ b. `out` (length n, distinct from b) is filled and returned when given. */
  solve(b: Float64Array, out?: Float64Array): Float64Array;
  /**
   * Factors new values of a matrix with the same pattern as the one factored (same n, same
   * colPtr/rowIdx), reusing the pivot order; re-pivots when a reused pivot became too small.
   * Throws SingularMatrixError when the new matrix is singular.
   */
  refactor(A: Csc): void;
}

/** Column ordering and checks; the symbolic phase. */
export function luAnalyze(A: Csc): LuSymbolic {
  checkSquare(A);
  return { n: A.n, q: amd(A) };
}

export function luFactor(A: Csc, opts: LuOptions = {}): LuFactors {
  checkSquare(A);
  const tol = opts.pivotTol ?? 1e-3;
  if (!(tol > 0 && tol <= 1)) throw new RangeError(`pivotTol must be in (0, 1], got ${tol}`);
  const sym = opts.symbolic ?? luAnalyze(A);
  if (sym.n !== A.n) throw new RangeError(`symbolic analysis is for n=${sym.n}, matrix has n=${A.n}`);
  return new GpLu(A, sym, tol);
}

function checkSquare(A: Csc): void {
  if (A.m !== A.n) throw new RangeError(`LU needs a square matrix, got ${A.m}x${A.n}`);
  if (A.colPtr.length !== A.n + 1) throw new RangeError('colPtr length must be n + 1');
}

class GpLu implements LuFactors {
  readonly n: number;
  readonly symbolic: LuSymbolic;
  readonly stats: LuStats = { nnzL: 0, nnzU: 0, factorizations: 0, refactorizations: 0 };
  private readonly tol: number;
  /** Pattern of the factored matrix, to check refactor input. */
  private colPtr: Int32Array;
  private rowIdx: Int32Array;
  /** pinv[i] = pivot position of row i; prow = its inverse. */
  private pinv: Int32Array;
  private prow: Int32Array;
  /** L unit lower (diagonal stored first in each column), rows in pivot order. */
  private Lp: Int32Array;
  private Li: Int32Array = new Int32Array(0);
  private Lx: Float64Array = new Float64Array(0);
  /** U upper, entries of a column in topological order with the diagonal last. */
  private Up: Int32Array;
  private Ui: Int32Array = new Int32Array(0);
  private Ux: Float64Array = new Float64Array(0);
  private readonly x: Float64Array;
  private readonly work: Float64Array;
  /**
   * A in factor order for refactorization, built with each pivot sequence: entries of column
   * q[k] are aSrc[aPtr[k]..aPtr[k+1]) (positions in A's values) landing on pivot rows aRow.
   */
  private aPtr: Int32Array = new Int32Array(0);
  private aSrc: Int32Array = new Int32Array(0);
  private aRow: Int32Array = new Int32Array(0);
  /**
   * pair[j] = 1 when columns j and j+1 of L form a two-column supernode (L(:,j+1) has the
   * pattern of L(:,j) without row j+1; power-flow Jacobians pair each bus's P and Q this way).
   * L(:,j) then stores row j+1 first and its other rows in L(:,j+1)'s order, so refactorization
   * applies both columns in one pass.
   */
  private pair: Uint8Array = new Uint8Array(0);
  /** false after a numeric factorization threw: refactor re-pivots, solve refuses. */
  private valid = false;

  constructor(A: Csc, sym: LuSymbolic, tol: number) {
    const n = A.n;
    this.n = n;
    this.symbolic = sym;
    this.tol = tol;
    this.colPtr = A.colPtr;
    this.rowIdx = A.rowIdx;
    this.pinv = new Int32Array(n);
    this.prow = new Int32Array(n);
    this.Lp = new Int32Array(n + 1);
    this.Up = new Int32Array(n + 1);
    this.x = new Float64Array(n);
    this.work = new Float64Array(n);
    this.factorNumeric(A);
  }

  /** Gilbert-Peierls left-looking LU with threshold partial pivoting. */
  private factorNumeric(A: Csc): void {
    const n = this.n;
    const q = this.symbolic.q;
    const tol = this.tol;
    const { colPtr: Ap, rowIdx: Ai, values: Ax } = A;
    this.valid = false;
    const pinv = this.pinv.fill(-1);
    const x = this.x.fill(0);
    const Lp = this.Lp;
    const Up = this.Up;
    let cap = Math.max(Math.ceil(1.5 * Ap[n]) + n, 16);
    let Li = this.Li.length >= cap ? this.Li : new Int32Array(cap);
    let Lx = this.Lx.length >= cap ? this.Lx : new Float64Array(cap);
    let capU = cap;
    let Ui = this.Ui.length >= capU ? this.Ui : new Int32Array(capU);
    let Ux = this.Ux.length >= capU ? this.Ux : new Float64Array(capU);
    cap = Li.length;
    capU = Ui.length;
    const xi = new Int32Array(n); // reach, topological order in xi[top..n-1]
    const stack = new Int32Array(n);
    const pstack = new Int32Array(n);
    const mark = new Int32Array(n).fill(-1);
    // symmetric pruning (Eisenstat-Liu, as in KLU): lpend[J] ends the part of L(:,J) the
    // graph search still has to visit; -1 while L(:,J) is unpruned
    const lpend = new Int32Array(n).fill(-1);
    let lnz = 0;
    let unz = 0;
    for (let k = 0; k < n; k++) {
      if (lnz + n > cap) {
        cap = 2 * cap + n;
        const li = new Int32Array(cap);
        li.set(Li.subarray(0, lnz));
        Li = li;
        const lx = new Float64Array(cap);
        lx.set(Lx.subarray(0, lnz));
        Lx = lx;
      }
      if (unz + n > capU) {
        capU = 2 * capU + n;
        const ui = new Int32Array(capU);
        ui.set(Ui.subarray(0, unz));
        Ui = ui;
        const ux = new Float64Array(capU);
        ux.set(Ux.subarray(0, unz));
        Ux = ux;
      }
      Lp[k] = lnz;
      Up[k] = unz;
      const col = q[k];
      // reach of A(:,col) in the graph of L (rows are original row numbers while factoring)
      let top = n;
      for (let p = Ap[col]; p < Ap[col + 1]; p++) {
        const r = Ai[p];
        if (mark[r] === k) continue;
        // non-recursive depth-first search from r
        let head = 0;
        stack[0] = r;
        while (head >= 0) {
          const j = stack[head];
          const J = pinv[j];
          if (mark[j] !== k) {
            mark[j] = k;
            pstack[head] = J < 0 ? 0 : Lp[J] + 1;
          }
          let done = true;
          if (J >= 0) {
            const end = lpend[J] >= 0 ? lpend[J] : Lp[J + 1];
            for (let pp = pstack[head]; pp < end; pp++) {
              const i = Li[pp];
              if (mark[i] === k) continue;
              pstack[head] = pp + 1;
              stack[++head] = i;
              done = false;
              break;
            }
          }
          if (done) {
            head--;
            xi[--top] = j;
          }
        }
      }
      // x = L \ A(:,col) on the reach
      for (let p = top; p < n; p++) x[xi[p]] = 0;
      for (let p = Ap[col]; p < Ap[col + 1]; p++) x[Ai[p]] += Ax[p];
      for (let px = top; px < n; px++) {
        const j = xi[px];
        const J = pinv[j];
        if (J < 0) continue;
        const xj = x[j];
        if (xj === 0) continue;
        for (let p = Lp[J] + 1, end = Lp[J + 1]; p < end; p++) x[Li[p]] -= Lx[p] * xj;
      }
      // pivot search among rows not yet pivotal; U part in topological order
      let ipiv = -1;
      let amax = -1;
      for (let px = top; px < n; px++) {
        const i = xi[px];
        const I = pinv[i];
        if (I < 0) {
          const t = Math.abs(x[i]);
          if (t > amax) {
            amax = t;
            ipiv = i;
          }
        } else {
          Ui[unz] = I;
          Ux[unz++] = x[i];
        }
      }
      if (ipiv === -1 || !(amax > 0)) {
        throw new SingularMatrixError(
          col,
          ipiv === -1 ? 'structurally singular, no candidate pivot' : amax === 0 ? 'zero pivot' : 'non-finite values',
        );
      }
      if (!Number.isFinite(amax)) throw new SingularMatrixError(col, 'non-finite values');
      if (pinv[col] < 0 && mark[col] === k && Math.abs(x[col]) >= tol * amax) ipiv = col;
      const pivot = x[ipiv];
      Ui[unz] = k;
      Ux[unz++] = pivot;
      pinv[ipiv] = k;
      Li[lnz] = ipiv;
      Lx[lnz++] = 1;
      for (let px = top; px < n; px++) {
        const i = xi[px];
        if (pinv[i] < 0) {
          Li[lnz] = i;
          Lx[lnz++] = x[i] / pivot;
        }
        x[i] = 0;
      }
      // prune every L(:,J), J in U(:,k), that contains the new pivot row: rows not yet
      // pivotal are reachable through L(:,k) from now on
      for (let p = Up[k]; p < unz - 1; p++) {
        const J = Ui[p];
        if (lpend[J] >= 0) continue;
        const l0 = Lp[J] + 1;
        const l1 = Lp[J + 1];
        let hit = false;
        for (let pl = l0; pl < l1; pl++)
          if (Li[pl] === ipiv) {
            hit = true;
            break;
          }
        if (!hit) continue;
        let head = l0;
        let tail = l1;
        while (head < tail) {
          const i = Li[head];
          if (pinv[i] >= 0) head++;
          else {
            tail--;
            Li[head] = Li[tail];
            Li[tail] = i;
            const v = Lx[head];
            Lx[head] = Lx[tail];
            Lx[tail] = v;
          }
        }
        lpend[J] = tail;
      }
    }
    Lp[n] = lnz;
    Up[n] = unz;
    for (let p = 0; p < lnz; p++) Li[p] = pinv[Li[p]];
    for (let i = 0; i < n; i++) this.prow[pinv[i]] = i;
    this.Li = Li;
    this.Lx = Lx;
    this.Ui = Ui;
    this.Ux = Ux;
    this.permuteA(Ap, Ai);
    this.findPairs();
    this.stats.nnzL = lnz;
    this.stats.nnzU = unz;
    this.stats.factorizations++;
    this.valid = true;
  }

  private permuteA(Ap: Int32Array, Ai: Int32Array): void {
    const n = this.n,
      q = this.symbolic.q,
      pinv = this.pinv;
    const nz = Ap[n];
    const aPtr = new Int32Array(n + 1),
      aSrc = new Int32Array(nz),
      aRow = new Int32Array(nz);
    let c = 0;
    for (let k = 0; k < n; k++) {
      const col = q[k];
      for (let p = Ap[col]; p < Ap[col + 1]; p++) {
        aSrc[c] = p;
        aRow[c++] = pinv[Ai[p]];
      }
      aPtr[k + 1] = c;
    }
    this.aPtr = aPtr;
    this.aSrc = aSrc;
    this.aRow = aRow;
  }

  /** U columns in ascending row order (a topological order), then two-column supernodes. */
  private findPairs(): void {
    const n = this.n;
    const { Lp, Li, Lx, Up, Ui, Ux } = this;
    for (let k = 0; k < n; k++) {
      // insertion sort of the off-diagonal part (columns are short)
      const lo = Up[k],
        hi = Up[k + 1] - 1;
      for (let a = lo + 1; a < hi; a++) {
        const r = Ui[a],
          v = Ux[a];
        let b = a - 1;
        while (b >= lo && Ui[b] > r) {
          Ui[b + 1] = Ui[b];
          Ux[b + 1] = Ux[b];
          b--;
        }
        Ui[b + 1] = r;
        Ux[b + 1] = v;
      }
    }
    const pair = new Uint8Array(n);
    const where = new Int32Array(n).fill(-1);
    const rows = new Int32Array(n);
    const vals = new Float64Array(n);
    // from the last column down, so L(:,j+1) has its final order when L(:,j) is aligned to it
    for (let j = n - 2; j >= 0; j--) {
      const a0 = Lp[j] + 1,
        a1 = Lp[j + 1];
      const b0 = Lp[j + 1] + 1,
        b1 = Lp[j + 2];
      if (a1 - a0 !== b1 - b0 + 1) continue;
      for (let p = b0; p < b1; p++) where[Li[p]] = p - b0;
      let ok = true;
      let hasNext = false;
      for (let p = a0; p < a1; p++) {
        const r = Li[p];
        if (r === j + 1) hasNext = true;
        else if (where[r] < 0) {
          ok = false;
          break;
        }
      }
      if (ok && hasNext) {
        // L(:,j) = [j+1, rows of L(:,j+1) in its order]
        for (let p = a0; p < a1; p++) {
          const r = Li[p];
          const t = r === j + 1 ? 0 : where[r] + 1;
          rows[t] = r;
          vals[t] = Lx[p];
        }
        for (let t = 0; t < a1 - a0; t++) {
          Li[a0 + t] = rows[t];
          Lx[a0 + t] = vals[t];
        }
        pair[j] = 1;
      }
      for (let p = b0; p < b1; p++) where[Li[p]] = -1;
    }
    this.pair = pair;
  }

  refactor(A: Csc): void {
    const n = this.n;
    if (A.n !== n || A.m !== n) throw new RangeError(`refactor: matrix is ${A.m}x${A.n}, factors are for n=${n}`);
    if (A.colPtr !== this.colPtr || A.rowIdx !== this.rowIdx) {
      if (!samePattern(A, { m: n, n, colPtr: this.colPtr, rowIdx: this.rowIdx })) {
        throw new RangeError('refactor: the matrix pattern differs from the factored one; call luFactor');
      }
    }
    if (!this.valid || !this.refactorNumeric(A)) {
      this.colPtr = A.colPtr;
      this.rowIdx = A.rowIdx;
      this.factorNumeric(A);
    }
  }

  /**
   * Same pivots, same patterns; false when a pivot fails the threshold test. A is read in
   * factor order through the permutation built with the pivots (no pinv lookups), and L is
   * scaled by the reciprocal pivot.
   */
  private refactorNumeric(A: Csc): boolean {
    const n = this.n;
    const tol = this.tol;
    const Ax = A.values;
    const { Lp, Li, Lx, Up, Ui, Ux, x, aPtr, aSrc, aRow, pair } = this;
    for (let k = 0; k < n; k++) {
      for (let t = aPtr[k], e = aPtr[k + 1]; t < e; t++) x[aRow[t]] += Ax[aSrc[t]];
      const uend = Up[k + 1] - 1;
      for (let p = Up[k]; p < uend; p++) {
        const j = Ui[p];
        const xj = x[j];
        x[j] = 0;
        Ux[p] = xj;
        const l0 = Lp[j] + 1,
          l1 = Lp[j + 1];
        if (pair[j] === 1 && p + 1 < uend && Ui[p + 1] === j + 1) {
          // columns j and j+1 together: L(j+1, j) first, then the shared rows
          const xj1 = x[j + 1] - Lx[l0] * xj;
          x[j + 1] = 0;
          Ux[++p] = xj1;
          for (let pl = l0 + 1, pm = Lp[j + 1] + 1; pl < l1; pl++, pm++) x[Li[pl]] -= Lx[pl] * xj + Lx[pm] * xj1;
          continue;
        }
        if (xj === 0) continue;
        for (let pl = l0; pl < l1; pl++) x[Li[pl]] -= Lx[pl] * xj;
      }
      const pivot = x[k];
      x[k] = 0;
      Ux[uend] = pivot;
      // L(:,k) = x / pivot; the threshold test |pivot| >= tol * max|x_i| is max|L(:,k)| <= 1/tol
      const inv = 1 / pivot;
      let lmax = 0;
      for (let pl = Lp[k] + 1, end = Lp[k + 1]; pl < end; pl++) {
        const i = Li[pl];
        const l = x[i] * inv;
        x[i] = 0;
        Lx[pl] = l;
        const a = l < 0 ? -l : l;
        if (a > lmax) lmax = a;
      }
      if (!(lmax * tol <= 1) || !(Math.abs(pivot) > 0) || !Number.isFinite(pivot)) {
        x.fill(0);
        return false;
      }
    }
    this.stats.refactorizations++;
    return true;
  }

  solve(b: Float64Array, out?: Float64Array): Float64Array {
    const n = this.n;
    if (b.length !== n) throw new RangeError(`solve: b has length ${b.length}, expected ${n}`);
    const x = out ?? new Float64Array(n);
    if (x === b) throw new RangeError('solve: out must not alias b');
    if (!this.valid) throw new Error('solve: the last factorization failed; refactor first');
    const y = this.work;
    const { prow, Lp, Li, Lx, Up, Ui, Ux } = this;
    const q = this.symbolic.q;
    for (let k = 0; k < n; k++) y[k] = b[prow[k]];
    for (let j = 0; j < n; j++) {
      const yj = y[j];
      if (yj === 0) continue;
      for (let p = Lp[j] + 1, end = Lp[j + 1]; p < end; p++) y[Li[p]] -= Lx[p] * yj;
    }
    for (let j = n - 1; j >= 0; j--) {
      const d = Up[j + 1] - 1;
      const yj = (y[j] /= Ux[d]);
      if (yj === 0) continue;
      for (let p = Up[j]; p < d; p++) y[Ui[p]] -= Ux[p] * yj;
    }
    for (let k = 0; k < n; k++) x[q[k]] = y[k];
    return x;
  }
}
