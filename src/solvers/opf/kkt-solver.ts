/**
 * Solves the sparse KKT systems of the interior-point iterations with the shared LU.
 * The KKT pattern is the same every iteration, so the AMD ordering is computed once and later
 * systems are refactored with the pivot sequence of the previous one (the LU re-pivots itself
 * when a reused pivot became too small).
 */
import type { Csc } from '../sparse/csc';
import { LuFactors, luFactor } from '../sparse/lu';
import { cscMulVec } from '../sparse/csc';
import { samePattern } from './csc-ops';

export interface KktSolver {
  /** Factors K (square) and returns a solve for right-hand sides; throws SingularMatrixError when singular. */
  factor(K: Csc): (b: Float64Array) => Float64Array;
}

/**
 * @param refineSteps iterative refinement steps (x += K \ (b - K x)) while the residual falls
 *   (2, as UMFPACK behind MATLAB's backslash does by default); 0 keeps the plain solve.
 * @param order a column order for the LU (else AMD on the pattern)
 */
export function makeLuKktSolver(refineSteps = 2, pivotTol = 0.1, order?: Int32Array): KktSolver {
  const fixed = order ? { n: order.length, q: order } : undefined;
  let lu: LuFactors | null = null;
  let last: Csc | null = null;
  return {
    factor(K: Csc): (b: Float64Array) => Float64Array {
      if (lu && last && samePattern(last, K)) {
        try {
          lu.refactor(K);
        } catch {
          lu = luFactor(K, { symbolic: lu.symbolic, pivotTol });
        }
      } else {
        lu = luFactor(K, { pivotTol, symbolic: fixed && fixed.n === K.n ? fixed : undefined });
      }
      last = K;
      const f = lu;
      return (b) => refined(K, f, b, refineSteps);
    },
  };
}

function refined(K: Csc, lu: LuFactors, b: Float64Array, refineSteps: number): Float64Array {
      const x = lu.solve(b);
      if (refineSteps > 0) {
        let rn = residual(K, x, b);
        for (let s = 0; s < refineSteps && rn.norm > 0; s++) {
          const dx = lu.solve(rn.r);
          const x1 = Float64Array.from(x, (v, i) => v + dx[i]);
          const r1 = residual(K, x1, b);
          if (!(r1.norm < rn.norm)) break;
          x.set(x1);
          rn = r1;
        }
      }
      return x;
}

function residual(K: Csc, x: Float64Array, b: Float64Array): { r: Float64Array; norm: number } {
  const Kx = cscMulVec(K, x);
  let norm = 0;
  for (let i = 0; i < b.length; i++) { Kx[i] = b[i] - Kx[i]; norm = Math.max(norm, Math.abs(Kx[i])); }
  return { r: Kx, norm };
}
