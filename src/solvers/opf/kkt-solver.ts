/**
 * Solves the sparse KKT systems of the interior-point iterations with a sparse LU: KLU
 * (klu-ordered.ts) where it is installed, else the TypeScript LU (GRIDBATCH_LU as for the
 * power flow: ts | klu | auto).
 *
 * - Order: a fixed column order (kkt-order.ts for the AC OPF) or AMD on the pattern, computed
 *   once: the KKT pattern is the same every iteration.
 * - Pivoting: threshold partial pivoting with a tiny threshold (KLU 1e-5, TypeScript LU 1e-8:
 *   see TS_PIVOT_TOL; as sparse symmetric indefinite solvers in interior-point codes use) keeps
 *   the LU on the fill-reducing order and lets later iterations refactor numerically only (same
 *   pivot sequence, same L/U patterns). The TypeScript LU goes further (static pivoting): its
 *   first factorization of each system and its refactorizations keep the order's pivots unless
 *   one is below 1e-14 of its column (TS_KEEP_TOL); at 1e-8 the barrier tail of the 9241-bus
 *   case re-pivoted every iteration from the 29th on, its fill growing from 1.1M to 2.5M
 *   entries (0.3-1.5 s a factorization), where at 1e-14 the 1.1M-entry factors of the second
 *   iteration are refactored to the end. Every solve is refined iteratively and checked by its
 *   backward error; a system whose refined error stays above 1e-11 is factored afresh: a reused
 *   pivot sequence at the same threshold first, then at the next threshold of the ladder
 *   (TypeScript LU 1e-14, 1e-8, 0.1; KLU 1e-5, 0.1).
 * - Refinement: up to 2 steps x += K \ (b - K x) while the residual falls (as UMFPACK, behind
 *   MATLAB's backslash in MATPOWER, does by default).
 */
import type { Csc } from '../sparse/csc';
import { cscMulVec } from '../sparse/csc';
import { samePattern } from '../sparse/csc-ops';
import { amd } from '../sparse/amd';
import { defaultLuBackend } from '../sparse/lu-backend';
import { orderedKlu, OrderedKlu } from '../sparse/klu-ordered';
import { luFactor, LuFactors } from '../sparse/lu';

export interface KktSolver {
  /** Factors K (square) and returns a solve for right-hand sides; throws SingularMatrixError when singular. */
  factor(K: Csc): (b: Float64Array) => Float64Array;
}

export interface KktSolverOptions {
  refineSteps?: number;
  pivotTol?: number;
  /** threshold test of a reused pivot sequence (LuOptions.keepTol; TypeScript LU) */
  keepTol?: number;
  /** threshold of the refactorization when the backward error is too large */
  safePivotTol?: number;
  /** largest accepted backward error ||b - Kx|| / (||K|| ||x|| + ||b||) */
  maxBackwardError?: number;
  order?: Int32Array;
  /** 'auto' (default): GRIDBATCH_LU and availability, as sparseLu */
  backend?: 'auto' | 'ts' | 'klu';
}

/** One LU of the KKT matrices of a run: same pattern every call. */
interface KktLu {
  /**
   * New values: a numeric-only refactorization on the last pivot sequence (true), or a fresh
   * factorization at pivotTol when that one is certainly unusable (false).
   */
  update(K: Csc, pivotTol: number): boolean;
  /** a fresh numeric factorization with pivoting at this threshold */
  factor(K: Csc, pivotTol: number): void;
  solve(b: Float64Array): Float64Array;
}

function tsKktLu(K: Csc, order: Int32Array | undefined, pivotTol: number, keepTol: number): KktLu {
  const symbolic = order ? { n: K.n, q: order } : undefined;
  let lu: LuFactors = luFactor(K, { pivotTol, keepTol, symbolic });
  return {
    update(M, tol) {
      const before = lu.stats.refactorizations;
      try {
        lu.refactor(M);
      } catch {
        lu = luFactor(M, { symbolic: lu.symbolic, pivotTol: tol, keepTol });
      }
      return lu.stats.refactorizations > before;
    },
    factor(M, tol) {
      lu = luFactor(M, { symbolic: lu.symbolic, pivotTol: tol, keepTol: Math.min(keepTol, tol) });
    },
    solve: (b) => lu.solve(b),
  };
}

/**
 * KLU's numeric-only refactorization keeps the last pivot sequence without testing it (and its
 * rcond, min/max |U_kk|, is tiny on saddle-point matrices whatever the pivots). The test here is
 * the reciprocal pivot growth (klu_rgrowth, min_j max|A(:,j)| / max|U(:,j)|): a refactorization
 * is kept while its growth stays within REFACTOR_GROWTH of the last fresh factorization's, else
 * the matrix is factored afresh; the backward-error check of every solve (makeLuKktSolver)
 * catches the rest.
 */
const REFACTOR_GROWTH = 0.5;

function kluKktLu(K: Csc, order: Int32Array | undefined, pivotTol: number): KktLu {
  const lu: OrderedKlu = orderedKlu(K, order ?? amd(K));
  let growth = NaN;
  // back-off: after r refused refactorizations in a row, the next 2^(r-1) - 1 systems are factored
  // afresh without trying (in the middle of the barrier path the pivots change every iteration)
  let refused = 0,
    skip = 0;
  const fresh = (M: Csc, tol: number) => {
    lu.factor(M, tol);
    growth = lu.rgrowth(M);
  };
  fresh(K, pivotTol);
  return {
    update(M, tol) {
      if (skip > 0) skip--;
      else if (lu.refactor(M)) {
        if (lu.rgrowth(M) >= REFACTOR_GROWTH * growth) {
          refused = 0;
          return true;
        }
        refused++;
        skip = (1 << (refused - 1)) - 1;
      }
      fresh(M, tol);
      return false;
    },
    factor: fresh,
    solve: (b) => lu.solve(b),
  };
}

/**
 * Pivot thresholds: the TypeScript LU at 1e-8 follows MATPOWER iteration for iteration (the
 * 9241-bus case: 44 iterations, objective within 1e-15); KLU (which scales the rows by their
 * largest entry before the test) does at 1e-4 to 1e-6 and takes a different path at 1e-8
 * (objective 2e-12 off, and 46 iterations without refactorization).
 */
const TS_PIVOT_TOL = 1e-8;
const TS_KEEP_TOL = 1e-14;
const KLU_PIVOT_TOL = 1e-5;

export function makeLuKktSolver(o: KktSolverOptions = {}): KktSolver {
  const refineSteps = o.refineSteps ?? 2;
  const backend = !o.backend || o.backend === 'auto' ? defaultLuBackend() : o.backend;
  const pivotTol = o.pivotTol ?? (backend === 'klu' ? KLU_PIVOT_TOL : TS_PIVOT_TOL);
  const safeTol = o.safePivotTol ?? 0.1;
  const keepTol = Math.min(o.keepTol ?? (backend === 'klu' ? pivotTol : TS_KEEP_TOL), pivotTol);
  const maxBerr = o.maxBackwardError ?? 1e-11;
  // thresholds of fresh factorizations, each system from the first on, the next one while the
  // refined backward error stays too large: TypeScript LU static pivoting first
  const ladder = (backend === 'klu' ? [pivotTol, safeTol] : [keepTol, pivotTol, safeTol]).filter(
    (t, k, all) => k === 0 || t > all[k - 1],
  );
  let lu: KktLu | null = null;
  let last: Csc | null = null;
  const fixed = (n: number) => (o.order && o.order.length === n ? o.order : undefined);
  return {
    factor(K: Csc): (b: Float64Array) => Float64Array {
      let reused = false;
      let rung = 0;
      if (lu && last && samePattern(last, K)) reused = lu.update(K, ladder[0]);
      else lu = backend === 'klu' ? kluKktLu(K, fixed(K.n), ladder[0]) : tsKktLu(K, fixed(K.n), ladder[0], keepTol);
      last = K;
      const f = lu;
      const normK = norm1(K);
      return (b) => {
        for (;;) {
          const r = refined(K, f, b, refineSteps);
          if ((!reused && rung === ladder.length - 1) || !(r.berr(normK) > maxBerr)) return r.x;
          // a reused pivot sequence first gives way to fresh pivots at the same threshold
          if (!reused) rung++;
          f.factor(K, ladder[rung]);
          reused = false;
        }
      };
    },
  };
}

function refined(K: Csc, lu: KktLu, b: Float64Array, refineSteps: number) {
  const x = lu.solve(b);
  let rn = residual(K, x, b);
  for (let s = 0; s < refineSteps && rn.norm > 0; s++) {
    const dx = lu.solve(rn.r);
    const x1 = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) x1[i] = x[i] + dx[i];
    const r1 = residual(K, x1, b);
    if (!(r1.norm < rn.norm)) break;
    x.set(x1);
    rn = r1;
  }
  const bn = normInf(b);
  return { x, berr: (normK: number) => rn.norm / (normK * normInf(x) + bn) };
}

function residual(K: Csc, x: Float64Array, b: Float64Array): { r: Float64Array; norm: number } {
  const Kx = cscMulVec(K, x);
  let norm = 0;
  for (let i = 0; i < b.length; i++) {
    Kx[i] = b[i] - Kx[i];
    norm = Math.max(norm, Math.abs(Kx[i]));
  }
  return { r: Kx, norm };
}

function normInf(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]));
  return m;
}

/** max column sum of |K| */
function norm1(K: Csc): number {
  let m = 0;
  for (let j = 0; j < K.n; j++) {
    let s = 0;
    for (let p = K.colPtr[j]; p < K.colPtr[j + 1]; p++) s += Math.abs(K.values[p]);
    m = Math.max(m, s);
  }
  return m;
}
