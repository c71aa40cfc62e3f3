/**
 * The reduced KKT system of one MIPS iteration, [M B; B' D] with B = [dg] (or [dh_G dg] in the
 * augmented form) and D the (2,2) diagonal (empty, or -z/mu for augmented rows), factored once
 * for several right-hand sides.
 */
import type { Csc } from '../sparse/csc';
import { cscAdd, cscDiag, cscEmpty, cscHcat, cscTranspose, cscVcat } from '../sparse/csc-ops';
import type { KktSolver } from './kkt-solver';

export function allFinite(v: ArrayLike<number>): boolean {
  for (let k = 0; k < v.length; k++) if (!Number.isFinite(v[k])) return false;
  return true;
}

/**
 * Factors [M dg; dg' 0] once for several right-hand sides. With `regularize`, a singular
 * matrix or a non-finite solution moves to the next regularisation (delta on the Hessian
 * block, -delta/100 on the (2,2) block) and the factorization is redone.
 */
export class Kkt {
  private static readonly DELTAS = [0, 1e-8, 1e-6, 1e-4, 1e-2];
  private level = 0;
  private solveFn: ((b: Float64Array) => Float64Array) | null = null;

  /**
   * @param B constraint block (nx x nc): [dg] or [dh_G dg]
   * @param D diagonal of the (2,2) block (length nc), null for an empty block
   */
  constructor(private readonly ls: KktSolver, private readonly M: Csc, private readonly dg: Csc, private readonly D: Float64Array | null, private readonly regularize: boolean) {
    this.refactor();
  }

  private refactor(): void {
    const nx = this.M.n, neq = this.dg.n;
    const maxLevel = this.regularize ? Kkt.DELTAS.length - 1 : 0;
    while (this.level <= maxLevel) {
      const delta = Kkt.DELTAS[this.level];
      const Mr = delta > 0 ? cscAdd(this.M, cscDiag(new Float64Array(nx).fill(delta))) : this.M;
      const C = this.D ? cscDiag(this.D.map((v) => v - delta * 1e-2)) : delta > 0 ? cscDiag(new Float64Array(neq).fill(-delta * 1e-2)) : cscEmpty(neq, neq);
      try {
        this.solveFn = this.ls.factor(cscVcat(cscHcat(Mr, this.dg), cscHcat(cscTranspose(this.dg), C)));
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

