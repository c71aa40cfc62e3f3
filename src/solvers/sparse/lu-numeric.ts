/**
 * Numeric state of a Gilbert-Peierls LU (P A Q = L U): the factors, the pivot permutation and
 * the refactorization schedule. One concern per file: lu-factor-numeric.ts fills it with
 * pivoting, lu-refactor-schedule.ts derives the refactor order, lu-refactor.ts refactors,
 * lu-solve.ts solves.
 */
/** Shared empty arrays for the fields a factorization fills (length 0 holds nothing to share). */
const NO_I32 = new Int32Array(0);
const NO_F64 = new Float64Array(0);
const NO_U8 = new Uint8Array(0);

export class LuNumeric {
  readonly n: number;
  /** pinv[i] = pivot position of row i; prow = its inverse. */
  pinv: Int32Array;
  prow: Int32Array;
  /** L unit lower (diagonal stored first in each column), rows in pivot order. */
  Lp: Int32Array;
  Li: Int32Array = NO_I32;
  Lx: Float64Array = NO_F64;
  /** U upper, entries of a column in topological order with the diagonal last. */
  Up: Int32Array;
  Ui: Int32Array = NO_I32;
  Ux: Float64Array = NO_F64;
  readonly x: Float64Array;
  /** Second dense column for refactoring two columns at once (U pairs). */
  readonly x2: Float64Array;
  readonly work: Float64Array;
  /**
   * A in factor order for refactorization, built with each pivot sequence: column q[k] lands
   * on pivot rows aRow[aPtr[k]..aPtr[k+1]) and its values are A's from aCol[k] on (A's column
   * start) or, copied in factor order, aBuf[aPtr[k]..aPtr[k+1]) with aBuf[aMap[p]] = A's p-th.
   */
  aPtr: Int32Array = NO_I32;
  aCol: Int32Array = NO_I32;
  aMap: Int32Array = NO_I32;
  aBuf: Float64Array = NO_F64;
  aRow: Int32Array = NO_I32;
  /**
   * pair[j] = 1 when columns j and j+1 of L form a two-column supernode (L(:,j+1) has the
   * pattern of L(:,j) without row j+1; power-flow Jacobians pair each bus's P and Q this way).
   * L(:,j) then stores row j+1 first and its other rows in L(:,j+1)'s order, so refactorization
   * applies both columns in one pass.
   */
  pair: Uint8Array = NO_U8;
  /**
   * uPair[k] != 0 when U(:,k+1) has U(:,k)'s rows plus row k; 2 when A's two columns also
   * share their rows (lu-refactor-schedule.ts).
   */
  uPair: Uint8Array = NO_U8;
  /** Step kind at each U position (4 four L columns, 2 an L pair, 1 one column; lu-refactor-schedule.ts). */
  uStep: Uint8Array = NO_U8;

  constructor(n: number) {
    this.n = n;
    this.pinv = new Int32Array(n);
    this.prow = new Int32Array(n);
    this.Lp = new Int32Array(n + 1);
    this.Up = new Int32Array(n + 1);
    this.x = new Float64Array(n);
    this.x2 = new Float64Array(n);
    this.work = new Float64Array(n);
  }
}
