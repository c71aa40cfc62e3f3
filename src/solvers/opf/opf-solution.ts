/**
 * OPF options and the OPF extension of the shared Solution (prices, binding limits).
 */
import type { SolveOptions, Solution } from '../solution';
import { failedSolution } from '../solution';
import type { MipsOptions, MipsSafeguards } from './mips';

export interface OpfOptions extends SolveOptions {
  /** DC OPF: 'auto' = HiGHS for linear costs when loaded (see loadHighs), else MIPS. */
  dcSolver?: 'auto' | 'highs' | 'mips';
  /** MIPS settings (defaults: MATPOWER's: feastol 5e-6 = opf.violation, gradtol/comptol/costtol 1e-6, max_it 150) */
  mips?: Omit<MipsOptions, 'linsolver' | 'safeguards'>;
  /**
   * What to do when plain MIPS fails: 'fallback' (default) reruns with the safeguards,
   * 'always' runs the safeguarded method only, 'never' reports the MIPS failure.
   */
  safeguards?: 'fallback' | 'always' | 'never';
  /** MATPOWER's opf.ignore_angle_lim */
  ignoreAngleLimits?: boolean;
}

export interface OpfDetails {
  /** 'HiGHS' | 'MIPS' | 'MIPS+safeguards' */
  solver: string;
  message: string;
  /** shadow prices of the flow limits at the from / to end ($/MVA/h, MATPOWER's MU_SF / MU_ST) */
  muSf: Float64Array;
  muSt: Float64Array;
  /** rows of branches whose flow limit is binding (multiplier > 0 or flow at the limit) */
  bindingBranches: number[];
  /** generator limit multipliers ($/MW/h, MU_PMIN / MU_PMAX) */
  muPmin: Float64Array;
  muPmax: Float64Array;
  /** bus voltage limit multipliers (AC) */
  muVmin?: Float64Array;
  muVmax?: Float64Array;
}

export interface OpfSolution extends Solution {
  opf: OpfDetails;
}

/**
 * Always on: once the barrier parameter is below 1e-9 the KKT systems keep the general
 * inequalities whose mu/z exceeds 1e-6 as augmented rows (same Newton step, bounded entries
 * instead of mu/z -> inf) and condense the others. MATPOWER's iterates are unchanged before that
 * point (same iteration counts on every case here). On case9241pegase the tail's mu/z is below
 * 1e-9 on 99% of the 12,590 flow limits and 1e-3 or more on the 13-18 binding ones: 19-24 rows
 * keep the KKT at the reduced system's size and fill (1.15M entries in L+U against 5-6M with
 * all of them augmented, TypeScript LU).
 */
export const TAIL_SAFEGUARDS: MipsSafeguards = { augmentBelowGamma: 1e-9, augmentAbove: 1e-6 };

/** The fallback run after a MIPS failure: augmented KKT throughout, regularised when singular. */
export const SAFEGUARDS: MipsSafeguards = { augmented: true, regularize: true };

export function failedOpf(
  task: 'opf_dc' | 'opf_ac',
  nb: number,
  ng: number,
  nl: number,
  error: string,
  offBuses: number[] = [],
  iterations = 0,
  solveMs = 0,
  solver = '',
): OpfSolution {
  const nan = (n: number) => new Float64Array(n).fill(NaN);
  return {
    ...failedSolution(task, nb, ng, nl, error, offBuses, iterations, solveMs),
    opf: {
      solver,
      message: error,
      muSf: nan(nl),
      muSt: nan(nl),
      bindingBranches: [],
      muPmin: nan(ng),
      muPmax: nan(ng),
    },
  };
}
