/**
 * Solves the sparse KKT systems of the interior-point iterations with the shared LU.
 * The KKT pattern is the same every iteration, so the AMD ordering is computed once and later
 * systems are refactored with the pivot sequence of the previous one (the LU re-pivots itself
 * when a reused pivot became too small).
 */
import type { Csc } from '../sparse/csc';
import { LuFactors, luFactor } from '../sparse/lu';
import { samePattern } from './csc-ops';

export interface KktSolver {
  /** Factors K (square) and returns K \ b; throws SingularMatrixError when singular. */
  solve(K: Csc, b: Float64Array): Float64Array;
}

export function makeLuKktSolver(): KktSolver {
  let lu: LuFactors | null = null;
  let last: Csc | null = null;
  return {
    solve(K: Csc, b: Float64Array): Float64Array {
      if (lu && last && samePattern(last, K)) {
        try {
          lu.refactor(K);
        } catch {
          lu = luFactor(K, { symbolic: lu.symbolic });
        }
      } else {
        lu = luFactor(K);
      }
      last = K;
      return lu.solve(b);
    },
  };
}
