/**
 * Sparse direct LU of a general square CSC matrix: P A Q = L U.
 *
 * - Symbolic phase (`luAnalyze`): a fill-reducing column order Q from AMD on the pattern of
 *   A + A' (suits structurally symmetric matrices: power-flow Jacobians, KKT systems), with
 *   indistinguishable nodes merged first (amd-blocks.ts: a Jacobian's bus blocks).
 * - Numeric phase (`luFactor`, lu-factor-numeric.ts): left-looking Gilbert-Peierls
 *   factorization, column by column, with threshold partial pivoting that prefers the
 *   diagonal: the diagonal entry is taken as pivot when |a_diag| >= pivotTol * max |a_i| over
 *   the candidate rows, else the largest. The first factorization tries the diagonal pivots
 *   first (lu-static-factor.ts: etree patterns, then the refactorization kernel with the same
 *   threshold test), and searches for pivots only when one fails.
 * - Refactorization (`LuFactors.refactor`, lu-refactor.ts): for a matrix with the same
 *   pattern, reuses the pivot sequence and the L/U patterns (no graph search, no allocation).
 *   If a reused pivot fails the threshold test for the new values, it falls back to a fresh
 *   numeric factorization with pivoting (same column order), so the answer is always as stable
 *   as a new factorization.
 * - Solves (lu-solve.ts): forward and backward substitution over the factors.
 * - Refactorization and solves run in WebAssembly (lu-wasm.ts) when its module loads, with the
 *   same results bit for bit; the TypeScript kernels are the fallback (LuOptions.kernel).
 */
import { Csc, samePattern } from './csc';
import { amdBlocks } from './amd-blocks';
import { factorNumeric } from './lu-factor-numeric';
import { LuNumeric } from './lu-numeric';
import { refactorNumeric } from './lu-refactor';
import { factorStaticPivots } from './lu-static-factor';
import { luSolveInto } from './lu-solve';
import { LuFactors, LuOptions, LuStats, LuSymbolic } from './lu-types';
import { LuKernel, WasmLuKernels, luKernel } from './lu-wasm';

export { SingularMatrixError } from './lu-types';
export type { LuFactors, LuOptions, LuStats, LuSymbolic } from './lu-types';

/** Column ordering and checks; the symbolic phase. */
export function luAnalyze(A: Csc): LuSymbolic {
  checkSquare(A);
  return { n: A.n, q: amdBlocks(A) };
}

export function luFactor(A: Csc, opts: LuOptions = {}): LuFactors {
  checkSquare(A);
  const tol = opts.pivotTol ?? 1e-3;
  if (!(tol > 0 && tol <= 1)) throw new RangeError(`pivotTol must be in (0, 1], got ${tol}`);
  const sym = opts.symbolic ?? luAnalyze(A);
  if (sym.n !== A.n) throw new RangeError(`symbolic analysis is for n=${sym.n}, matrix has n=${A.n}`);
  const keepTol = opts.keepTol ?? tol;
  if (!(keepTol > 0 && keepTol <= tol)) throw new RangeError(`keepTol must be in (0, pivotTol], got ${keepTol}`);
  return new GpLu(A, sym, tol, keepTol, luKernel(opts.kernel), opts.kept === true);
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
  /** threshold test of the pivot sequence a refactorization reuses */
  private readonly keepTol: number;
  /** Pattern of the factored matrix, to check refactor input. */
  private colPtr: Int32Array;
  private rowIdx: Int32Array;
  private readonly num: LuNumeric;
  /** false after a numeric factorization threw: refactor re-pivots, solve refuses. */
  private valid = false;
  private disposed = false;
  /** The WebAssembly kernels bound to num, or null for the TypeScript ones. */
  private readonly wasm: WasmLuKernels | null;
  readonly kernel: LuKernel;

  constructor(A: Csc, sym: LuSymbolic, tol: number, keepTol: number, kernel: LuKernel, kept: boolean) {
    this.n = A.n;
    this.symbolic = sym;
    this.tol = tol;
    this.keepTol = keepTol;
    this.kernel = kernel;
    this.wasm = kernel === 'wasm' ? new WasmLuKernels(kept) : null;
    this.colPtr = A.colPtr;
    this.rowIdx = A.rowIdx;
    this.num = new LuNumeric(A.n);
    this.factor(A, true);
  }

  /** `tryStatic`: first try the diagonal pivots without a pivot search (lu-static-factor.ts). */
  private factor(A: Csc, tryStatic = false): void {
    this.valid = false;
    const { q, symmetricPattern } = this.symbolic;
    const wasm = this.wasm;
    // the WebAssembly kernel computes the diagonal-pivot factors' values once the patterns are bound
    const numeric = wasm
      ? (st: LuNumeric, Ax: Float64Array, tol: number) => {
          wasm.bind(st, q, false);
          return wasm.refactor(Ax, tol);
        }
      : undefined;
    if (!(tryStatic && factorStaticPivots(this.num, A, q, this.tol, symmetricPattern === true, numeric))) {
      factorNumeric(this.num, A, q, this.tol);
      wasm?.bind(this.num, q);
    }
    this.stats.nnzL = this.num.Lp[this.n];
    this.stats.nnzU = this.num.Up[this.n];
    this.stats.factorizations++;
    this.valid = true;
  }

  refactor(A: Csc): void {
    if (this.disposed) throw new Error('refactor: the factors were disposed');
    const n = this.n;
    if (A.n !== n || A.m !== n) throw new RangeError(`refactor: matrix is ${A.m}x${A.n}, factors are for n=${n}`);
    if (A.colPtr !== this.colPtr || A.rowIdx !== this.rowIdx) {
      if (!samePattern(A, { m: n, n, colPtr: this.colPtr, rowIdx: this.rowIdx })) {
        throw new RangeError('refactor: the matrix pattern differs from the factored one; call luFactor');
      }
    }
    if (
      this.valid &&
      (this.wasm ? this.wasm.refactor(A.values, this.keepTol) : refactorNumeric(this.num, A.values, this.keepTol))
    ) {
      this.stats.refactorizations++;
      return;
    }
    this.colPtr = A.colPtr;
    this.rowIdx = A.rowIdx;
    this.factor(A);
  }

  dispose(): void {
    this.disposed = true;
    this.valid = false;
    this.wasm?.release();
  }

  solve(b: Float64Array, out?: Float64Array): Float64Array {
    const n = this.n;
    if (b.length !== n) throw new RangeError(`solve: b has length ${b.length}, expected ${n}`);
    const x = out ?? new Float64Array(n);
    if (x === b) throw new RangeError('solve: out must not alias b');
    if (this.disposed) throw new Error('solve: the factors were disposed');
    if (!this.valid) throw new Error('solve: the last factorization failed; refactor first');
    if (this.wasm) this.wasm.solve(b, x);
    else luSolveInto(this.num, this.symbolic.q, b, x);
    return x;
  }
}
