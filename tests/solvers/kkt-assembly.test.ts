/**
 * The KKT matrix of a MIPS iteration assembled on its fixed pattern (kkt-assembly.ts) equals
 * [Lxx + dhS diag(w) dhS' + delta I, B; B', diag(D) - delta/100 I] built with dense algebra,
 * keeps the same pattern arrays across calls, and the KKT solver (kkt-solver.ts) solves it to
 * rounding on each LU backend, including after numeric-only refactorizations with new values.
 */
import { cscFromTriplets, cscMulVec, Csc } from '../../src/solvers/sparse/csc';
import { KktAssembly } from '../../src/solvers/opf/kkt-assembly';
import { makeLuKktSolver } from '../../src/solvers/opf/kkt-solver';
import { mulberry32 } from '../../src/scenarios/prng';
import { luBackends } from '../helpers/lu-backends';

const nx = 12,
  nS = 9,
  nc = 5;

function sparseRandom(m: number, n: number, perCol: number, seed: number, symmetric = false): Csc {
  const r = mulberry32(seed);
  const I: number[] = [],
    J: number[] = [],
    V: number[] = [];
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < perCol; k++) {
      const i = Math.floor(r() * m),
        v = 2 * r() - 1;
      I.push(i);
      J.push(j);
      V.push(v);
      if (symmetric) {
        I.push(j);
        J.push(i);
        V.push(v);
      }
    }
    if (symmetric) {
      I.push(j);
      J.push(j);
      V.push(4 + r());
    }
  }
  return cscFromTriplets(m, n, I, J, V);
}

function dense(A: Csc): number[][] {
  const D = Array.from({ length: A.m }, () => new Array<number>(A.n).fill(0));
  for (let j = 0; j < A.n; j++) for (let p = A.colPtr[j]; p < A.colPtr[j + 1]; p++) D[A.rowIdx[p]][j] += A.values[p];
  return D;
}

function withValues(A: Csc, seed: number): Csc {
  const r = mulberry32(seed);
  return { ...A, values: A.values.map((v) => v * (0.5 + r())) };
}

const Lxx = sparseRandom(nx, nx, 2, 1, true);
const dhS = sparseRandom(nx, nS, 2, 2);
const B = sparseRandom(nx, nc, 3, 3);
const w = Float64Array.from({ length: nS }, (_, k) => 0.1 + k);
const D = Float64Array.from({ length: nc }, (_, k) => -0.01 * (k + 1));

function expected(L: Csc, H: Csc, Bm: Csc, Dd: Float64Array | null, delta: number): number[][] {
  const n = nx + nc;
  const K = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const l = dense(L),
    h = dense(H),
    b = dense(Bm);
  for (let i = 0; i < nx; i++)
    for (let j = 0; j < nx; j++) {
      let s = l[i][j];
      for (let k = 0; k < nS; k++) s += w[k] * h[i][k] * h[j][k];
      K[i][j] = s + (i === j ? delta : 0);
    }
  for (let i = 0; i < nx; i++)
    for (let j = 0; j < nc; j++) {
      K[i][nx + j] = b[i][j];
      K[nx + j][i] = b[i][j];
    }
  for (let j = 0; j < nc; j++) K[nx + j][nx + j] = (Dd ? Dd[j] : 0) - delta / 100;
  return K;
}

function expectClose(a: number[][], b: number[][]): void {
  for (let i = 0; i < a.length; i++)
    for (let j = 0; j < a.length; j++) expect(Math.abs(a[i][j] - b[i][j])).toBeLessThan(1e-13);
}

test('assembled KKT matrix equals the dense formula, with and without (2,2) block and regularisation', () => {
  const asm = new KktAssembly(Lxx, dhS, B);
  expect(asm.fits(Lxx, dhS, B)).toBe(true);
  expect(asm.fits(Lxx, dhS, sparseRandom(nx, nc, 3, 99))).toBe(false);
  const K0 = asm.assemble(Lxx, dhS, w, B, null, 0);
  expectClose(dense(K0), expected(Lxx, dhS, B, null, 0));
  const K1 = asm.assemble(Lxx, dhS, w, B, D, 1e-4);
  expectClose(dense(K1), expected(Lxx, dhS, B, D, 1e-4));
  // the same pattern arrays every call (the LU's pattern test is a reference comparison)
  expect(K1.colPtr).toBe(K0.colPtr);
  expect(K1.rowIdx).toBe(K0.rowIdx);
});

describe.each(luBackends('KKT solver'))('KKT solver on LU %s', (backend) => {
  test('solves to rounding, then refactors for new values of the same pattern', () => {
    const asm = new KktAssembly(Lxx, dhS, B);
    const ls = makeLuKktSolver({ backend });
    for (let it = 0; it < 4; it++) {
      const L = withValues(Lxx, 10 + it),
        H = withValues(dhS, 20 + it),
        Bm = withValues(B, 30 + it);
      const K = asm.assemble(L, H, w, Bm, D, 0);
      const solve = ls.factor(K);
      const b = Float64Array.from({ length: K.n }, (_, i) => Math.sin(i + it));
      const x = solve(b);
      const r = cscMulVec(K, x);
      for (let i = 0; i < b.length; i++) expect(Math.abs(r[i] - b[i])).toBeLessThan(1e-12);
    }
  });
});
