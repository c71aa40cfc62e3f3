import { Csc, cscFromTriplets, cscMulVec } from '../../src/solvers/sparse/csc';
import { amd } from '../../src/solvers/sparse/amd';
import { SingularMatrixError, luAnalyze, luFactor } from '../../src/solvers/sparse/lu';
import { skipGroup } from '../helpers/requirements';
import { sparseLu } from '../../src/solvers/sparse/lu-backend';
import { mulberry32 } from '../../src/scenarios/prng';

function randomSparse(n: number, density: number, seed: number, diag = true): Csc {
  const r = mulberry32(seed);
  const I: number[] = [],
    J: number[] = [],
    V: number[] = [];
  for (let j = 0; j < n; j++) {
    if (diag) {
      I.push(j);
      J.push(j);
      V.push(1 + r());
    }
    for (let i = 0; i < n; i++)
      if (i !== j && r() < density) {
        I.push(i);
        J.push(j);
        V.push(2 * r() - 1);
      }
  }
  return cscFromTriplets(n, n, I, J, V);
}

/** 5-point grid operator with unsymmetric values (like a Jacobian of a meshed network). */
function gridMatrix(nx: number, ny: number, seed: number): Csc {
  const r = mulberry32(seed);
  const I: number[] = [],
    J: number[] = [],
    V: number[] = [];
  const id = (x: number, y: number) => x * ny + y;
  for (let x = 0; x < nx; x++)
    for (let y = 0; y < ny; y++) {
      const k = id(x, y);
      let s = 0;
      for (const [dx, dy] of [
        [1, 0],
        [-1, 0],
        [0, 1],
        [0, -1],
      ]) {
        const xx = x + dx,
          yy = y + dy;
        if (xx < 0 || yy < 0 || xx >= nx || yy >= ny) continue;
        const v = -(0.5 + r());
        I.push(k);
        J.push(id(xx, yy));
        V.push(v);
        s += Math.abs(v);
      }
      I.push(k);
      J.push(k);
      V.push(s * (0.3 + r()));
    }
  return cscFromTriplets(nx * ny, nx * ny, I, J, V);
}

function toDense(A: Csc): number[][] {
  const D = Array.from({ length: A.m }, () => new Array<number>(A.n).fill(0));
  for (let j = 0; j < A.n; j++) for (let p = A.colPtr[j]; p < A.colPtr[j + 1]; p++) D[A.rowIdx[p]][j] += A.values[p];
  return D;
}

function denseSolve(A0: number[][], b0: ArrayLike<number>): Float64Array {
  const n = A0.length;
  const A = A0.map((r) => r.slice());
  const b = Array.from(b0);
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(A[i][k]) > Math.abs(A[p][k])) p = i;
    [A[k], A[p]] = [A[p], A[k]];
    [b[k], b[p]] = [b[p], b[k]];
    for (let i = k + 1; i < n; i++) {
      const f = A[i][k] / A[k][k];
      if (f === 0) continue;
      for (let j = k; j < n; j++) A[i][j] -= f * A[k][j];
      b[i] -= f * b[k];
    }
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let j = i + 1; j < n; j++) s -= A[i][j] * x[j];
    x[i] = s / A[i][i];
  }
  return x;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Normwise backward error |b - A x|_inf / (|A|_inf |x|_inf + |b|_inf). */
function residual(A: Csc, x: Float64Array, b: Float64Array): number {
  const r = cscMulVec(A, x);
  const rowSum = new Float64Array(A.m);
  for (let j = 0; j < A.n; j++)
    for (let p = A.colPtr[j]; p < A.colPtr[j + 1]; p++) rowSum[A.rowIdx[p]] += Math.abs(A.values[p]);
  let m = 0,
    nb = 0,
    na = 0,
    nx = 0;
  for (let i = 0; i < b.length; i++) {
    m = Math.max(m, Math.abs(r[i] - b[i]));
    nb = Math.max(nb, Math.abs(b[i]));
    na = Math.max(na, rowSum[i]);
    nx = Math.max(nx, Math.abs(x[i]));
  }
  return m / (na * nx + nb);
}

function randomVec(n: number, seed: number): Float64Array {
  const r = mulberry32(seed);
  return Float64Array.from({ length: n }, () => 2 * r() - 1);
}

describe('amd', () => {
  it('returns a permutation', () => {
    for (const A of [randomSparse(60, 0.05, 1), gridMatrix(12, 9, 2), randomSparse(1, 0, 3)]) {
      const p = amd(A);
      expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: A.n }, (_, i) => i));
    }
  });

  it('reduces fill on a grid versus the natural order', () => {
    const A = gridMatrix(30, 30, 4);
    const withAmd = luFactor(A, { pivotTol: 1e-3 });
    const natural = luFactor(A, {
      pivotTol: 1e-3,
      symbolic: { n: A.n, q: Int32Array.from({ length: A.n }, (_, i) => i) },
    });
    expect(withAmd.stats.nnzL + withAmd.stats.nnzU).toBeLessThan(0.6 * (natural.stats.nnzL + natural.stats.nnzU));
  });
});

describe('luFactor', () => {
  it.each([
    ['random sparse with diagonal', () => randomSparse(80, 0.04, 11)],
    ['random sparse without diagonal', () => randomSparse(70, 0.08, 12, false)],
    ['grid-like', () => gridMatrix(9, 11, 13)],
  ])('solves %s like a dense solve', (_name, make) => {
    const A = make();
    const b = randomVec(A.n, 5);
    let x: Float64Array;
    try {
      x = luFactor(A).solve(b);
    } catch (e) {
      // a random pattern without diagonal may be structurally singular: the dense solve must agree
      expect(e).toBeInstanceOf(SingularMatrixError);
      return;
    }
    const xd = denseSolve(toDense(A), b);
    expect(maxDiff(x, xd)).toBeLessThan(1e-8 * Math.max(1, maxDiff(xd, new Float64Array(A.n))));
    expect(residual(A, x, b)).toBeLessThan(1e-12);
  });

  it('handles many random matrices, every pivot tolerance', () => {
    for (let s = 0; s < 30; s++) {
      const n = 5 + ((s * 7) % 50);
      const A = randomSparse(n, 0.15, 100 + s, s % 3 !== 0);
      const b = randomVec(n, 200 + s);
      for (const pivotTol of [1, 0.1, 1e-3]) {
        let x: Float64Array;
        try {
          x = luFactor(A, { pivotTol }).solve(b);
        } catch (e) {
          expect(e).toBeInstanceOf(SingularMatrixError);
          continue;
        }
        expect(residual(A, x, b)).toBeLessThan(1e-12);
      }
    }
  });

  it("solves a symmetric indefinite KKT system [H Aeq'; Aeq 0]", () => {
    const nx = 40,
      ne = 15;
    const r = mulberry32(21);
    const I: number[] = [],
      J: number[] = [],
      V: number[] = [];
    for (let i = 0; i < nx; i++) {
      I.push(i);
      J.push(i);
      V.push(1 + r());
    }
    for (let i = 0; i < nx - 1; i++) {
      const v = 0.3 * r();
      I.push(i, i + 1);
      J.push(i + 1, i);
      V.push(v, v);
    }
    for (let e = 0; e < ne; e++) {
      for (const c of [e, (3 * e + 5) % nx, (7 * e + 1) % nx]) {
        const v = 2 * r() - 1;
        I.push(nx + e, c);
        J.push(c, nx + e);
        V.push(v, v);
      }
    }
    const K = cscFromTriplets(nx + ne, nx + ne, I, J, V);
    const b = randomVec(nx + ne, 22);
    const x = luFactor(K).solve(b);
    expect(maxDiff(x, denseSolve(toDense(K), b))).toBeLessThan(1e-9);
  });

  it('solves a 2,500-row grid with a small residual', () => {
    const A = gridMatrix(50, 50, 31);
    const b = randomVec(A.n, 32);
    const f = luFactor(A);
    expect(residual(A, f.solve(b), b)).toBeLessThan(1e-13);
  });

  it('throws SingularMatrixError with the column for a zero column', () => {
    const A = cscFromTriplets(3, 3, [0, 1, 2, 0], [0, 0, 2, 2], [1, 2, 3, 4]);
    try {
      luFactor(A);
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(SingularMatrixError);
      expect((e as SingularMatrixError).column).toBe(1);
    }
  });

  it('throws SingularMatrixError for a numerically singular matrix', () => {
    // column 2 = column 0 + column 1
    const A = cscFromTriplets(3, 3, [0, 1, 1, 2, 0, 1, 2], [0, 0, 1, 1, 2, 2, 2], [1, 2, 3, 4, 1, 5, 4]);
    expect(() => luFactor(A)).toThrow(SingularMatrixError);
  });

  it('rejects non-square input', () => {
    expect(() => luFactor(cscFromTriplets(2, 3, [0], [0], [1]))).toThrow(RangeError);
  });
});

describe('refactor', () => {
  it('reuses the pivot sequence for new values with the same pattern', () => {
    const A = gridMatrix(20, 20, 41);
    const f = luFactor(A);
    const r = mulberry32(42);
    const A2: Csc = { ...A, values: A.values.map((v) => v * (0.9 + 0.2 * r())) };
    f.refactor(A2);
    expect(f.stats.refactorizations).toBe(1);
    expect(f.stats.factorizations).toBe(1);
    const b = randomVec(A.n, 43);
    expect(residual(A2, f.solve(b), b)).toBeLessThan(1e-12);
  });

  it('re-pivots when a reused pivot becomes too small, and stays correct', () => {
    const A = randomSparse(40, 0.1, 51);
    const f = luFactor(A, { pivotTol: 0.5 });
    const q = f.symbolic.q;
    // make the first pivot column's diagonal tiny
    const col = q[0];
    const values = A.values.slice();
    for (let p = A.colPtr[col]; p < A.colPtr[col + 1]; p++) if (A.rowIdx[p] === col) values[p] = 1e-14;
    const A2: Csc = { m: A.m, n: A.n, colPtr: A.colPtr.slice(), rowIdx: A.rowIdx.slice(), values };
    const b = randomVec(A.n, 52);
    try {
      f.refactor(A2);
    } catch (e) {
      expect(e).toBeInstanceOf(SingularMatrixError);
      return;
    }
    expect(f.stats.factorizations).toBe(2);
    expect(residual(A2, f.solve(b), b)).toBeLessThan(1e-9);
  });

  it.each(['ts', 'wasm'] as const)(
    'keepTol (%s kernels): a refactorization keeps a pivot the factorization threshold would move',
    (kernel) => {
      const A = randomSparse(40, 0.1, 51);
      // the first pivot column's diagonal 1e-3 of its largest entry: fails the test at 0.5, passes at 1e-6
      const col = luFactor(A, { pivotTol: 0.5 }).symbolic.q[0];
      const values = A.values.slice();
      let amax = 0;
      for (let p = A.colPtr[col]; p < A.colPtr[col + 1]; p++)
        if (A.rowIdx[p] !== col) amax = Math.max(amax, Math.abs(values[p]));
      for (let p = A.colPtr[col]; p < A.colPtr[col + 1]; p++) if (A.rowIdx[p] === col) values[p] = 1e-3 * amax;
      const A2: Csc = { ...A, values };
      const b = randomVec(A.n, 52);
      const kept = luFactor(A, { pivotTol: 0.5, keepTol: 1e-6, kernel });
      kept.refactor(A2);
      expect(kept.stats).toMatchObject({ factorizations: 1, refactorizations: 1 });
      expect(residual(A2, kept.solve(b), b)).toBeLessThan(1e-9);
      const moved = luFactor(A, { pivotTol: 0.5, kernel });
      moved.refactor(A2);
      expect(moved.stats).toMatchObject({ factorizations: 2, refactorizations: 0 });
      expect(residual(A2, moved.solve(b), b)).toBeLessThan(1e-12);
      expect(() => luFactor(A, { pivotTol: 1e-3, keepTol: 1e-2 })).toThrow(RangeError);
    },
  );

  it('refuses a different pattern', () => {
    const A = gridMatrix(5, 5, 61);
    const f = luFactor(A);
    expect(() => f.refactor(gridMatrix(5, 6, 61))).toThrow(RangeError);
  });

  it('shares a symbolic analysis between factorizations', () => {
    const A = gridMatrix(15, 15, 71);
    const sym = luAnalyze(A);
    const f = luFactor(A, { symbolic: sym });
    expect(f.symbolic).toBe(sym);
    const b = randomVec(A.n, 72);
    expect(residual(A, f.solve(b), b)).toBeLessThan(1e-12);
  });

  it('recovers after a singular refactor', () => {
    const A = gridMatrix(6, 6, 81);
    const f = luFactor(A);
    const Z: Csc = { ...A, values: new Float64Array(A.values.length) };
    expect(() => f.refactor(Z)).toThrow(SingularMatrixError);
    expect(() => f.solve(new Float64Array(A.n))).toThrow();
    f.refactor(A);
    const b = randomVec(A.n, 82);
    expect(residual(A, f.solve(b), b)).toBeLessThan(1e-12);
  });
});

describe('sparseLu backends', () => {
  const backends: ('ts' | 'klu')[] = skipGroup('klu', 'tests/solvers/sparse-lu.test.ts (KLU backend)')
    ? ['ts']
    : ['ts', 'klu'];

  it.each(backends)('%s: solves, refactors and reports singular matrices', (backend) => {
    const A = gridMatrix(30, 30, 91);
    const f = sparseLu(A, { backend });
    expect(f.backend).toBe(backend);
    const b = randomVec(A.n, 92);
    expect(residual(A, f.solve(b), b)).toBeLessThan(1e-12);
    const r = mulberry32(93);
    const A2: Csc = { ...A, values: A.values.map((v) => v * (0.8 + 0.4 * r())) };
    f.refactor(A2);
    expect(residual(A2, f.solve(b), b)).toBeLessThan(1e-12);
    const K = randomSparse(60, 0.1, 94, false);
    try {
      sparseLu(K, { backend }).solve(b.subarray(0, 60));
    } catch (e) {
      expect(e).toBeInstanceOf(SingularMatrixError);
    }
    const Z = cscFromTriplets(3, 3, [0, 1, 2, 0], [0, 0, 2, 2], [1, 2, 3, 4]);
    expect(() => sparseLu(Z, { backend })).toThrow(SingularMatrixError);
    f.dispose();
  });

  it.each(backends)(
    '%s: factorizations alive together stay independent (KLU shares one klu_common per thread)',
    (backend) => {
      const A = gridMatrix(20, 20, 97);
      const B = randomSparse(80, 0.05, 98);
      const fa = sparseLu(A, { backend, pivotTol: 1 });
      const fb = sparseLu(B, { backend, pivotTol: 1e-3 });
      const ba = randomVec(A.n, 99),
        bb = randomVec(B.n, 100);
      const r = mulberry32(101);
      for (let round = 0; round < 4; round++) {
        const A2: Csc = { ...A, values: A.values.map((v) => v * (0.8 + 0.4 * r())) };
        const B2: Csc = { ...B, values: B.values.map((v) => v * (0.8 + 0.4 * r())) };
        fa.refactor(A2);
        fb.refactor(B2);
        expect(residual(B2, fb.solve(bb), bb)).toBeLessThan(1e-10);
        expect(residual(A2, fa.solve(ba), ba)).toBeLessThan(1e-12);
      }
      // a singular refactor of one leaves the other usable
      const Bz: Csc = { ...B, values: new Float64Array(B.values.length) };
      expect(() => fb.refactor(Bz)).toThrow(SingularMatrixError);
      expect(residual(A, (fa.refactor(A), fa.solve(ba)), ba)).toBeLessThan(1e-12);
      fa.dispose();
      fb.dispose();
      expect(() => fb.solve(bb)).toThrow();
    },
  );

  it.each(backends)('%s: agrees with the dense solve on a random matrix', (backend) => {
    const A = randomSparse(80, 0.05, 95);
    const b = randomVec(80, 96);
    expect(maxDiff(sparseLu(A, { backend }).solve(b), denseSolve(toDense(A), b))).toBeLessThan(1e-9);
  });
});
