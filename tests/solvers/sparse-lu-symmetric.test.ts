/**
 * The first factorization's symmetric-pattern path (lu-static-factor.ts, LuSymbolic
 * .symmetricPattern): the graph of B + B' read from A's columns alone must give the factors of
 * the general path bit for bit on power-flow Jacobians (structurally symmetric by
 * construction), and solutions that agree with a dense LU with partial pivoting.
 */
import { Csc, cscFromTriplets, cscMulVec } from '../../src/solvers/sparse/csc';
import { amdBlocks } from '../../src/solvers/sparse/amd-blocks';
import { luFactor } from '../../src/solvers/sparse/lu';
import { LuNumeric } from '../../src/solvers/sparse/lu-numeric';
import { factorStaticPivots } from '../../src/solvers/sparse/lu-static-factor';
import { luSolveInto } from '../../src/solvers/sparse/lu-solve';
import { caseJacobians } from '../helpers/case-jacobian';

const bits = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** x = A \ b by dense Gaussian elimination with partial pivoting (the reference). */
function denseSolve(A: Csc, b: Float64Array): Float64Array {
  const n = A.n;
  const M = Array.from({ length: n }, () => new Float64Array(n));
  for (let j = 0; j < n; j++) for (let p = A.colPtr[j]; p < A.colPtr[j + 1]; p++) M[A.rowIdx[p]][j] += A.values[p];
  const x = Float64Array.from(b);
  for (let k = 0; k < n; k++) {
    let r = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(M[i][k]) > Math.abs(M[r][k])) r = i;
    [M[k], M[r]] = [M[r], M[k]];
    [x[k], x[r]] = [x[r], x[k]];
    for (let i = k + 1; i < n; i++) {
      const f = M[i][k] / M[k][k];
      if (f === 0) continue;
      for (let j = k; j < n; j++) M[i][j] -= f * M[k][j];
      x[i] -= f * x[k];
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    let s = x[k];
    for (let j = k + 1; j < n; j++) s -= M[k][j] * x[j];
    x[k] = s / M[k][k];
  }
  return x;
}

function maxRelDiff(x: Float64Array, y: Float64Array): number {
  let d = 0,
    m = 0;
  for (let i = 0; i < x.length; i++) {
    d = Math.max(d, Math.abs(x[i] - y[i]));
    m = Math.max(m, Math.abs(y[i]));
  }
  return d / m;
}

describe.each(['case118', 'case1354pegase', 'case9241pegase'])('%s Jacobian, symmetric pattern', (name) => {
  const { J } = caseJacobians(name, 1.05);
  const n = J.n;
  const q = amdBlocks(J);

  it('gives the general path factors and schedule bit for bit', () => {
    const general = new LuNumeric(n),
      symmetric = new LuNumeric(n);
    expect(factorStaticPivots(general, J, q, 1e-3)).toBe(true);
    expect(factorStaticPivots(symmetric, J, q, 1e-3, true)).toBe(true);
    for (const k of [
      'Lp',
      'Li',
      'Lx',
      'Up',
      'Ui',
      'Ux',
      'pinv',
      'prow',
      'aPtr',
      'aRow',
      'pair',
      'uPair',
      'uStep',
    ] as const)
      expect([k, bits(symmetric[k]).equals(bits(general[k]))]).toEqual([k, true]);
  });

  it('solves as a dense LU with partial pivoting does (case118) and to a small residual', () => {
    const f = luFactor(J, { symbolic: { n, q, symmetricPattern: true } });
    const b = Float64Array.from({ length: n }, (_, i) => Math.cos(i + 0.5));
    const x = f.solve(b);
    if (name === 'case118') expect(maxRelDiff(x, denseSolve(J, b))).toBeLessThan(1e-12);
    const r = cscMulVec(J, x);
    let res = 0,
      bm = 0;
    for (let i = 0; i < n; i++) {
      res = Math.max(res, Math.abs(r[i] - b[i]));
      bm = Math.max(bm, Math.abs(b[i]));
    }
    expect(res).toBeLessThan(1e-9 * bm);
  });
});

describe('symmetric pattern on a small matrix', () => {
  it('a wrong promise on a pattern with more entries below the diagonal than above is read the general way', () => {
    // lower-triangular couplings only: B + B' has fill the columns alone would miss
    const A = cscFromTriplets(4, 4, [0, 1, 2, 3, 2, 3, 3], [0, 1, 2, 3, 0, 0, 1], [4, 5, 6, 7, 1, 2, 3]);
    const q = Int32Array.of(0, 1, 2, 3);
    const g = new LuNumeric(4),
      s = new LuNumeric(4);
    expect(factorStaticPivots(g, A, q, 1e-3)).toBe(true);
    expect(factorStaticPivots(s, A, q, 1e-3, true)).toBe(true);
    expect(Array.from(s.Li)).toEqual(Array.from(g.Li));
    expect(bits(s.Lx).equals(bits(g.Lx)) && bits(s.Ux).equals(bits(g.Ux))).toBe(true);
    const b = Float64Array.of(1, 2, 3, 4);
    const x = luFactor(A, { symbolic: { n: 4, q, symmetricPattern: true } }).solve(b);
    expect(maxRelDiff(x, denseSolve(A, b))).toBeLessThan(1e-15);
  });

  it('matches the dense solve and the general path on a structurally symmetric, numerically unsymmetric matrix', () => {
    // 5x5 arrow plus a band, values unsymmetric
    const I = [0, 1, 2, 3, 4, 0, 4, 1, 4, 2, 4, 3, 4, 0, 1, 1, 2];
    const Jc = [0, 1, 2, 3, 4, 4, 0, 4, 1, 4, 2, 4, 3, 1, 0, 2, 1];
    const V = [9, 8, 7, 6, 10, 1, -2, 0.5, 3, -1, 2, 0.25, -4, 1.5, -0.5, 2, 0.75];
    const A = cscFromTriplets(5, 5, I, Jc, V);
    const q = Int32Array.of(4, 0, 3, 1, 2);
    const g = new LuNumeric(5),
      s = new LuNumeric(5);
    expect(factorStaticPivots(g, A, q, 1e-3)).toBe(true);
    expect(factorStaticPivots(s, A, q, 1e-3, true)).toBe(true);
    expect(bits(s.Lx).equals(bits(g.Lx)) && bits(s.Ux).equals(bits(g.Ux))).toBe(true);
    const b = Float64Array.of(1, -2, 3, 0.5, 4);
    const x = new Float64Array(5);
    luSolveInto(s, q, b, x);
    expect(maxRelDiff(x, denseSolve(A, b))).toBeLessThan(1e-14);
  });
});
