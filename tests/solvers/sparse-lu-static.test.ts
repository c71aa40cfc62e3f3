/**
 * The TypeScript LU's cold path on real power-flow Jacobians: the first factorization with
 * diagonal pivots (lu-static-factor.ts) against the factorization with a pivot search
 * (lu-factor-numeric.ts), and the merged-column AMD (amd-blocks.ts) against plain AMD.
 */
import { amd } from '../../src/solvers/sparse/amd';
import { amdBlocks } from '../../src/solvers/sparse/amd-blocks';
import { Csc, cscFromTriplets, cscMulVec } from '../../src/solvers/sparse/csc';
import { luFactor } from '../../src/solvers/sparse/lu';
import { factorNumeric } from '../../src/solvers/sparse/lu-factor-numeric';
import { LuNumeric } from '../../src/solvers/sparse/lu-numeric';
import { factorStaticPivots } from '../../src/solvers/sparse/lu-static-factor';
import { luSolveInto } from '../../src/solvers/sparse/lu-solve';
import { caseJacobian } from '../helpers/case-jacobian';

/** The Newton Jacobian of `name` at its case voltages. */
const caseJ = (name: string): Csc => caseJacobian(name).J;

function residual(A: Csc, x: Float64Array, b: Float64Array): number {
  const r = cscMulVec(A, x);
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(r[i] - b[i]));
  return m;
}

function isPermutation(p: Int32Array, n: number): boolean {
  const seen = new Uint8Array(n);
  for (const i of p) {
    if (i < 0 || i >= n || seen[i]) return false;
    seen[i] = 1;
  }
  return p.length === n;
}

describe.each(['case118', 'case1354pegase', 'pglib_opf_case2869_pegase'])('%s Jacobian', (name) => {
  const J = caseJ(name);
  const n = J.n;

  it('block AMD is a permutation with the fill of plain AMD (within 3%)', () => {
    const qb = amdBlocks(J);
    expect(isPermutation(qb, n)).toBe(true);
    const fillOf = (q: Int32Array) => {
      const st = new LuNumeric(n);
      factorNumeric(st, J, q, 1e-3);
      return st.Lp[n] + st.Up[n];
    };
    const plain = fillOf(amd(J)),
      blocks = fillOf(qb);
    expect(blocks).toBeLessThanOrEqual(1.03 * plain);
  });

  it('diagonal pivots give the factors of the pivot search, to rounding', () => {
    const q = amdBlocks(J);
    const a = new LuNumeric(n),
      s = new LuNumeric(n);
    factorNumeric(a, J, q, 1e-3);
    expect(factorStaticPivots(s, J, q, 1e-3)).toBe(true);
    // same pivot rows, same L / U sizes (the Jacobian's pattern is symmetric)
    expect(Array.from(s.pinv)).toEqual(Array.from(a.pinv));
    expect(s.Lp[n]).toBe(a.Lp[n]);
    expect(s.Up[n]).toBe(a.Up[n]);
    const b = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
    const xa = new Float64Array(n),
      xs = new Float64Array(n);
    luSolveInto(a, q, b, xa);
    luSolveInto(s, q, b, xs);
    let d = 0,
      m = 0;
    for (let i = 0; i < n; i++) {
      d = Math.max(d, Math.abs(xa[i] - xs[i]));
      m = Math.max(m, Math.abs(xa[i]));
    }
    expect(d).toBeLessThan(1e-12 * m);
    expect(residual(J, xs, b)).toBeLessThan(1e-9);
  });
});

describe('diagonal pivots first', () => {
  it('fall back to the pivot search when a diagonal pivot fails the threshold', () => {
    // [[1e-9, 1], [1, 1]]: the first diagonal is far below 1e-3 times its column's largest entry
    const A = cscFromTriplets(2, 2, [0, 1, 0, 1], [0, 0, 1, 1], [1e-9, 1, 1, 1]);
    const st = new LuNumeric(2);
    expect(factorStaticPivots(st, A, Int32Array.of(0, 1), 1e-3)).toBe(false);
    const f = luFactor(A, { symbolic: { n: 2, q: Int32Array.of(0, 1) } });
    const b = Float64Array.of(1, 2);
    expect(residual(A, f.solve(b), b)).toBeLessThan(1e-15);
  });

  it('are not tried on a pattern with a missing diagonal (a KKT zero block)', () => {
    const A = cscFromTriplets(2, 2, [1, 0, 1], [0, 1, 1], [1, 1, 1]);
    expect(factorStaticPivots(new LuNumeric(2), A, Int32Array.of(0, 1), 1e-3)).toBe(false);
    const b = Float64Array.of(1, 2);
    expect(residual(A, luFactor(A).solve(b), b)).toBeLessThan(1e-15);
  });
});
