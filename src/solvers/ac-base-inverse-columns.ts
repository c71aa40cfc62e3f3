/**
 * Columns of the base case's inverse Jacobian, J_base^-1 e_r, kept for the N-1 Newton start
 * (ac-outage-newton-start.ts): the start of an outage of branch f-t needs the columns of the rows
 * P_f, P_t, Q_f, Q_t, and every bus ends many branches (case118: 177 connected outages ask for 708
 * columns, 181 distinct). A column is solved once per held base case, on its first request, and
 * copied out afterwards (one solve call of up to four right-hand sides on case118's factors costs
 * ~2.5 us, the copy ~0.1 us).
 *
 * Only small systems keep them (nx^2 doubles up to MAX_BYTES: nx <= 512): on case1354pegase
 * (nx ~2,500, 50 MB) keeping per-bus columns measured 1.08x slower per outage. One base case at
 * a time: a column list belongs to the factors it was solved on (`owner`), and another owner
 * starts a new list (a generation stamp, no clearing).
 *
 * A kept column is bit for bit the column a fresh solve gives: KLU's klu_solve and the
 * TypeScript LU solve each right-hand side with the same operations whatever the others are
 * (tests/solvers/ac-base-inverse-columns.test.ts), so an outage's start does not depend on which
 * outages came before it.
 */
import type { SparseLu } from './sparse/klu-native';

/** Keep the columns of systems whose full inverse takes at most this many bytes. */
const MAX_BYTES = 2 * 1024 * 1024;

/**
 * After this many requests on one owner's factors, a miss solves every column at once (one call
 * of nx right-hand sides instead of many of up to four: case118's 177 outages, 40.8 against 41.5
 * us per outage); before, only the missing ones, so a few outages do not pay for all columns.
 */
const ALL_AFTER = 16;

export class BaseInverseColumns {
  private owner: object | null = null;
  private cols = new Float64Array(0);
  /** the generation each row's column was solved in (0: never) */
  private stamp = new Int32Array(0);
  private generation = 0;
  /** requests since the owner changed */
  private asked = 0;
  private readonly missing = new Int32Array(4);
  /** up to four columns being solved, and one more for backends that solve column by column */
  private scratch = new Float64Array(0);
  private col = new Float64Array(0);

  /** Whether a system of nx unknowns keeps its columns (else callers solve every time). */
  static keeps(nx: number): boolean {
    return 8 * nx * nx <= MAX_BYTES;
  }

  /**
   * The columns rows[0..m) of lu's inverse, lu being the factors `owner` holds: returns the array
   * that holds them, column j from offset at[j] on (nx values); solves the ones not kept yet in one
   * call.
   */
  columns(owner: object, lu: SparseLu, rows: ArrayLike<number>, m: number, nx: number, at: Int32Array): Float64Array {
    if (owner !== this.owner || this.stamp.length !== nx) {
      if (this.stamp.length !== nx) {
        this.cols = new Float64Array(nx * nx);
        this.stamp = new Int32Array(nx);
        this.scratch = new Float64Array(4 * nx);
        this.col = new Float64Array(nx);
        this.generation = 0;
      }
      this.owner = owner;
      this.generation++;
      this.asked = 0;
    }
    this.asked++;
    const gen = this.generation,
      stamp = this.stamp,
      cols = this.cols,
      missing = this.missing,
      Z = this.scratch;
    let k = 0;
    for (let j = 0; j < m; j++) {
      const r = rows[j];
      at[j] = r * nx;
      if (stamp[r] === gen) continue;
      let seen = false;
      for (let i = 0; i < k; i++) if (missing[i] === r) seen = true;
      if (!seen) missing[k++] = r;
    }
    if (k > 0 && this.asked > ALL_AFTER) {
      // many outages on these factors: every column in one call (solved in place)
      cols.fill(0);
      for (let c = 0; c < nx; c++) cols[c * nx + c] = 1;
      solveColumns(lu, cols, nx, nx, this.col);
      stamp.fill(gen);
      return cols;
    }
    if (k > 0) {
      Z.fill(0, 0, k * nx);
      for (let i = 0; i < k; i++) Z[i * nx + missing[i]] = 1;
      solveColumns(lu, Z, k, nx, this.col);
      for (let i = 0; i < k; i++) {
        const to = missing[i] * nx,
          from = i * nx;
        for (let c = 0; c < nx; c++) cols[to + c] = Z[from + c];
        stamp[missing[i]] = gen;
      }
    }
    return cols;
  }

  /** Forgets the columns of `owner`'s factors (they are freed). */
  forget(owner: object): void {
    if (this.owner === owner) this.owner = null;
  }

  /** Forgets the columns and their memory. */
  release(): void {
    this.owner = null;
    this.cols = new Float64Array(0);
    this.stamp = new Int32Array(0);
    this.scratch = new Float64Array(0);
    this.col = new Float64Array(0);
  }
}

/** B = A \ B for B's nrhs columns of n values: one call where the backend offers it, else column by column. */
export function solveColumns(lu: SparseLu, B: Float64Array, nrhs: number, n: number, scratch?: Float64Array): void {
  if (lu.solveColumns) {
    lu.solveColumns(B, nrhs);
    return;
  }
  const col = scratch ?? new Float64Array(n);
  for (let j = 0; j < nrhs; j++) {
    const bj = B.subarray(j * n, (j + 1) * n);
    lu.solve(bj, col);
    bj.set(col);
  }
}
