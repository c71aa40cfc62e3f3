/** Public types of the TypeScript sparse LU (see lu.ts). */
import { Csc } from './csc';
import type { LuKernel, LuKernelOption } from './lu-wasm';

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
  /**
   * The caller's promise that A's pattern is structurally symmetric (A(i,j) stored exactly when
   * A(j,i) is; explicit zeros count as stored), e.g. a power-flow Jacobian built on a Ybus
   * pattern. The first factorization then reads the graph of A + A' from A's columns alone
   * (lu-static-factor.ts). A pattern with unequal numbers of entries below and above the
   * diagonal is read the general way; a wrong promise that passes this count gives wrong
   * factors, so leave it unset when unsure.
   */
  readonly symmetricPattern?: boolean;
}

export interface LuOptions {
  /**
   * Threshold for partial pivoting in (0, 1]: the diagonal is kept as pivot while
   * |a_diag| >= pivotTol * max|a_i|; 1 is classic partial pivoting. Default 0.001 (KLU and
   * UMFPACK's symmetric strategy use the same value).
   */
  pivotTol?: number;
  /**
   * Threshold test of the pivot sequence a refactorization reuses, in (0, pivotTol]; default
   * pivotTol. A smaller value keeps the pivots through values that threshold pivoting would
   * move (static pivoting, as KLU's refactorization, which tests nothing); the caller then
   * checks its solutions (the KKT solver refines them and tests the backward error,
   * kkt-solver.ts). A refactorization that fails the test factors afresh at pivotTol.
   */
  keepTol?: number;
  /** A symbolic analysis from `luAnalyze` (or `factors.symbolic`) to skip the ordering. */
  symbolic?: LuSymbolic;
  /**
   * Numeric kernels of refactorization and solves: 'wasm' (lu-wasm.ts) or 'ts' (lu-refactor.ts,
   * lu-solve.ts); same results bit for bit. Default 'auto': see luKernel in lu-wasm.ts.
   */
  kernel?: LuKernelOption;
  /**
   * The factors are kept by a long-lived object (a prepared solver's Jacobian or DC model) rather
   * than disposed after one solve: their WebAssembly arrays take a region of a shared memory
   * (kernel-arena.ts) instead of a memory of their own or a spare one. Same values either way.
   */
  kept?: boolean;
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
  /** The kernels refactorization and solves run on (LuOptions.kernel). */
  readonly kernel: LuKernel;
  /** x = A \ b. `out` (length n, distinct from b) is filled and returned when given. */
  solve(b: Float64Array, out?: Float64Array): Float64Array;
  /**
   * Factors new values of a matrix with the same pattern as the one factored (same n, same
   * colPtr/rowIdx), reusing the pivot order; re-pivots when a reused pivot became too small.
   * Throws SingularMatrixError when the new matrix is singular.
   */
  refactor(A: Csc): void;
  /**
   * Done with the factors: their WebAssembly memory (lu-wasm.ts) serves the next factorization.
   * solve and refactor throw afterwards. Optional: undisposed factors are garbage collected.
   */
  dispose(): void;
}
