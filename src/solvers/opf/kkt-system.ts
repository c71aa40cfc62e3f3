/**
 * The reduced KKT system of one MIPS iteration, [M B; B' D] with B = [dg] (or [dh_G dg] in the
 * augmented form) and D the (2,2) diagonal (zero, or -z/mu for augmented rows), factored once
 * for several right-hand sides.
 */
import type { Csc } from '../sparse/csc';
import type { KktSolver } from './kkt-solver';

/**
 * Which inequality columns of dh the KKT system condenses into the Hessian block (S, weight
 * mu/z) and which it keeps as augmented rows (G, diagonal -z/mu): in the augmented form the
 * general ones (more than one variable) whose mu/z exceeds `above` (all of them with 0). Near
 * the optimum mu/z grows without bound on the binding constraints, where condensing would swamp
 * the Hessian, and falls to zero on the others, which condense harmlessly and keep the system
 * at the reduced size. A row once augmented stays (`kept`, marked here): the KKT pattern
 * changes only when a constraint joins.
 */
export function splitInequalities(
  dh: Csc,
  mu: Float64Array,
  z: Float64Array,
  augmented: boolean,
  above: number,
  kept: Uint8Array,
): { S: number[]; G: number[] } {
  const S: number[] = [],
    G: number[] = [];
  for (let k = 0; k < dh.n; k++) {
    if (augmented && dh.colPtr[k + 1] - dh.colPtr[k] > 1 && (kept[k] || !(mu[k] / z[k] <= above))) {
      kept[k] = 1;
      G.push(k);
    } else S.push(k);
  }
  return { S, G };
}

export function allFinite(v: ArrayLike<number>): boolean {
  for (let k = 0; k < v.length; k++) if (!Number.isFinite(v[k])) return false;
  return true;
}

/**
 * Factors the KKT matrix once for several right-hand sides. With `regularize`, a singular
 * matrix or a non-finite solution moves to the next regularisation (delta on the Hessian
 * block, -delta/100 on the (2,2) block) and the factorization is redone.
 */
export class Kkt {
  private static readonly DELTAS = [0, 1e-8, 1e-6, 1e-4, 1e-2];
  private level = 0;
  private solveFn: ((b: Float64Array) => Float64Array) | null = null;

  /** @param build the KKT matrix with regularisation delta (kkt-assembly.ts) */
  constructor(
    private readonly ls: KktSolver,
    private readonly build: (delta: number) => Csc,
    private readonly regularize: boolean,
  ) {
    this.refactor();
  }

  private refactor(): void {
    const maxLevel = this.regularize ? Kkt.DELTAS.length - 1 : 0;
    while (this.level <= maxLevel) {
      try {
        this.solveFn = this.ls.factor(this.build(Kkt.DELTAS[this.level]));
        return;
      } catch (e) {
        if (!(e instanceof Error && e.name === 'SingularMatrixError')) throw e;
        this.level++;
      }
    }
    this.solveFn = null;
  }
  solve(rhs: Float64Array): Float64Array | null {
    for (;;) {
      if (!this.solveFn) return null;
      const s = this.solveFn(rhs);
      if (allFinite(s)) return s;
      if (!this.regularize || this.level >= Kkt.DELTAS.length - 1) return null;
      this.level++;
      this.refactor();
    }
  }
}
