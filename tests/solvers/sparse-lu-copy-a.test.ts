/**
 * The TypeScript LU's refactorization copies A's values in factor order first when A is large
 * (lu-refactor.ts, COPY_A_MIN_NNZ): on case9241pegase's Jacobian (above the threshold) the
 * factors with the copy are bit for bit those read straight from A, and they solve the system;
 * on case1354pegase's (below it) the copy is not made.
 */
import { cscMulVec } from '../../src/solvers/sparse/csc';
import { luAnalyze } from '../../src/solvers/sparse/lu';
import { LuNumeric } from '../../src/solvers/sparse/lu-numeric';
import { COPY_A_MIN_NNZ, refactorNumeric } from '../../src/solvers/sparse/lu-refactor';
import { factorStaticPivots } from '../../src/solvers/sparse/lu-static-factor';
import { luSolveInto } from '../../src/solvers/sparse/lu-solve';
import { caseJacobians } from '../helpers/case-jacobian';

const bits = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('TS LU refactorization with A copied in factor order', () => {
  it('gives the factors of reading A directly, bit for bit (case9241pegase)', () => {
    const { J, values2 } = caseJacobians('case9241pegase', 0.9);
    const n = J.n;
    expect(J.colPtr[n]).toBeGreaterThanOrEqual(COPY_A_MIN_NNZ);
    const q = luAnalyze(J).q;
    const copied = new LuNumeric(n),
      direct = new LuNumeric(n);
    expect(factorStaticPivots(copied, J, q, 1e-3)).toBe(true);
    expect(factorStaticPivots(direct, J, q, 1e-3)).toBe(true);
    // two value sets in turn: the copy is refreshed by every refactorization
    for (const values of [values2, J.values]) {
      expect(refactorNumeric(copied, values, 1e-3)).toBe(true);
      expect(copied.aBuf.length).toBe(J.colPtr[n]);
      expect(refactorNumeric(direct, values, 1e-3, false)).toBe(true);
      expect(bits(copied.Lx).equals(bits(direct.Lx))).toBe(true);
      expect(bits(copied.Ux).equals(bits(direct.Ux))).toBe(true);
      expect(copied.x.every((v) => v === 0) && copied.x2.every((v) => v === 0)).toBe(true);
      const b = Float64Array.from({ length: n }, (_, i) => Math.cos(i));
      const x = new Float64Array(n);
      luSolveInto(copied, q, b, x);
      const r = cscMulVec({ ...J, values }, x);
      let d = 0,
        m = 0;
      for (let i = 0; i < n; i++) {
        d = Math.max(d, Math.abs(r[i] - b[i]));
        m = Math.max(m, Math.abs(x[i]));
      }
      expect(d / m).toBeLessThan(1e-10);
    }
  });

  it('is not made for a Jacobian under the threshold (case1354pegase)', () => {
    const { J, values2 } = caseJacobians('case1354pegase', 0.9);
    expect(J.colPtr[J.n]).toBeLessThan(COPY_A_MIN_NNZ);
    const st = new LuNumeric(J.n);
    expect(factorStaticPivots(st, J, luAnalyze(J).q, 1e-3)).toBe(true);
    expect(refactorNumeric(st, values2, 1e-3)).toBe(true);
    expect(st.aBuf.length).toBe(0);
  });
});
