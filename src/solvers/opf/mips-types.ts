/** The problem, options and result of MIPS (MATPOWER's interior point solver, mips.m). */
import type { Csc } from '../sparse/csc';
import type { KktSolver } from './kkt-solver';

export interface MipsConstraints {
  /** nonlinear inequalities h(x) <= 0 and equalities g(x) = 0 */
  h: Float64Array;
  g: Float64Array;
  /** transposed Jacobians (nx x nh, nx x ng), as MATPOWER's dh and dg */
  dh: Csc;
  dg: Csc;
}

export interface MipsProblem {
  x0: Float64Array;
  /** cost f(x) and gradient */
  f(x: Float64Array): { f: number; df: Float64Array };
  /** nonlinear constraints; omit for a QP/LP */
  gh?(x: Float64Array): MipsConstraints;
  /** Hessian of the Lagrangian: cost scaled by costMult plus lam'g + mu'h (nonlinear parts) */
  hess(x: Float64Array, lamEq: Float64Array, muIneq: Float64Array, costMult: number): Csc;
  A?: Csc;
  l?: Float64Array;
  u?: Float64Array;
  xmin?: Float64Array;
  xmax?: Float64Array;
}

export interface MipsSafeguards {
  /** Mehrotra predictor-corrector: adaptive centring sigma = (mu_aff/mu)^3 and second-order term. */
  predictorCorrector?: boolean;
  /** On a singular or non-finite KKT solve, add delta to the Hessian block and -delta*1e-2 to the (2,2) block and retry. */
  regularize?: boolean;
  /** Keep gamma >= gammaFloorRatio * previous gamma (avoids too fast barrier decrease). */
  gammaFloorRatio?: number;
  /**
   * Keep general inequalities (constraints on more than one variable) in the KKT system as
   * [dh_G' -Z/M] rows instead of condensing mu/z dh dh' into the Hessian block: as z -> 0 the
   * condensed block grows like mu/z and swamps the Hessian; the augmented rows stay bounded.
   */
  augmented?: boolean;
  /**
   * Switch to the augmented system for the remaining iterations once the barrier parameter
   * gamma is below this value and the gradient condition stalls (falls by less than half).
   */
  augmentBelowGamma?: number;
  /**
   * In the augmented form, keep as rows only the general inequalities whose mu/z exceeds this
   * (the binding ones, as the barrier falls) and condense the others (kkt-system.ts
   * splitInequalities); default 0: every general inequality.
   */
  augmentAbove?: number;
}

export interface MipsOptions {
  feastol?: number;
  gradtol?: number;
  comptol?: number;
  costtol?: number;
  maxIt?: number;
  stepControl?: boolean;
  scRedIt?: number;
  costMult?: number;
  xi?: number;
  sigma?: number;
  z0?: number;
  alphaMin?: number;
  rhoMin?: number;
  rhoMax?: number;
  muThreshold?: number;
  maxStepsize?: number;
  safeguards?: MipsSafeguards;
  linsolver?: KktSolver;
  /**
   * Column order for the KKT matrix (variables, then the augmented rows when `dhG` (their
   * columns of dh) is given, then nonlinear equalities, then the equality rows `ieq` of [I; A]
   * that MIPS derives from the bounds); default, or when its length does not fit: AMD on the
   * KKT pattern.
   */
  kktOrder?(ieq: number[], dhG?: Csc): Int32Array;
  /** called after every iteration (for traces) */
  onIteration?(it: MipsIterate): void;
}

export interface MipsIterate {
  it: number;
  f: number;
  stepsize: number;
  feascond: number;
  gradcond: number;
  compcond: number;
  costcond: number;
  gamma: number;
  alphap: number;
  alphad: number;
}

export interface MipsLambda {
  eqnonlin: Float64Array;
  ineqnonlin: Float64Array;
  /** multipliers of l <= A x and A x <= u */
  muL: Float64Array;
  muU: Float64Array;
  /** multipliers of xmin <= x and x <= xmax */
  lower: Float64Array;
  upper: Float64Array;
}

export interface MipsResult {
  x: Float64Array;
  f: number;
  /** 1 converged, 0 iteration limit, -1 numerically failed */
  eflag: 1 | 0 | -1;
  iterations: number;
  message: string;
  lambda: MipsLambda;
  last: MipsIterate;
}
