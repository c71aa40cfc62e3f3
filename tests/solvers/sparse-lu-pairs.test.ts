/**
 * The two-column supernode paths of the TypeScript LU (src/solvers/sparse/lu-refactor.ts,
 * lu-solve.ts) on a matrix shaped like a power-flow Jacobian: two unknowns per node of a grid,
 * a dense 2x2 block per edge. The internal factor state is inspected to make sure the L and U
 * pair paths are taken, then refactor and solve are checked against a fresh factorization.
 */
import { Csc, cscFromTriplets, cscMulVec } from '../../src/solvers/sparse/csc';
import { luAnalyze, luFactor } from '../../src/solvers/sparse/lu';
import { factorNumeric } from '../../src/solvers/sparse/lu-factor-numeric';
import { LuNumeric } from '../../src/solvers/sparse/lu-numeric';
import { refactorNumeric } from '../../src/solvers/sparse/lu-refactor';
import { luSolveInto } from '../../src/solvers/sparse/lu-solve';
import { mulberry32 } from '../../src/scenarios/prng';

/** nx x ny grid, unknowns (2 node, 2 node + 1), unsymmetric values, diagonally dominant blocks. */
function blockGrid(nx: number, ny: number, seed: number): Csc {
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
        const m = id(xx, yy);
        for (let a = 0; a < 2; a++)
          for (let b = 0; b < 2; b++) {
            const v = -(0.5 + r());
            I.push(2 * k + a);
            J.push(2 * m + b);
            V.push(v);
            s += Math.abs(v);
          }
      }
      for (let a = 0; a < 2; a++)
        for (let b = 0; b < 2; b++) {
          I.push(2 * k + a);
          J.push(2 * k + b);
          V.push(a === b ? s * (0.6 + r()) : 0.3 * s * r());
        }
    }
  return cscFromTriplets(2 * nx * ny, 2 * nx * ny, I, J, V);
}

function scaled(A: Csc, seed: number): Csc {
  const r = mulberry32(seed);
  return { ...A, values: A.values.map((v) => v * (0.8 + 0.4 * r())) };
}

function rhs(n: number, seed: number): Float64Array {
  const r = mulberry32(seed);
  return Float64Array.from({ length: n }, () => 2 * r() - 1);
}

/** |b - A x|_inf / (|A|_1-ish scale): entries of A are O(1..10), so 1e-12 is tight. */
function resid(A: Csc, x: Float64Array, b: Float64Array): number {
  const r = cscMulVec(A, x);
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(r[i] - b[i]));
  return m;
}

const sum = (a: Uint8Array) => a.reduce((t, v) => t + v, 0);

describe('TS LU two-column supernodes', () => {
  const A = blockGrid(14, 12, 7);
  const n = A.n;
  const q = luAnalyze(A).q;

  it('finds L and U pairs on a Jacobian-shaped matrix and refactors them to a fresh factorization', () => {
    const st = new LuNumeric(n);
    factorNumeric(st, A, q, 1e-3);
    expect(sum(st.pair)).toBeGreaterThan(n / 4);
    expect(st.uPair.filter((v) => v !== 0).length).toBeGreaterThan(n / 4);
    // most with A's two columns on the same rows (a node's two unknowns), scattered in one pass
    expect(st.uPair.filter((v) => v === 2).length).toBeGreaterThan(n / 8);
    const A2 = scaled(A, 8);
    expect(refactorNumeric(st, A2.values, 1e-3)).toBe(true);
    const b = rhs(n, 9);
    const x = new Float64Array(n);
    luSolveInto(st, q, b, x);
    const fresh = new LuNumeric(n);
    factorNumeric(fresh, A2, q, 1e-3);
    const y = new Float64Array(n);
    luSolveInto(fresh, q, b, y);
    let d = 0,
      s = 0;
    for (let i = 0; i < n; i++) {
      d = Math.max(d, Math.abs(x[i] - y[i]));
      s = Math.max(s, Math.abs(y[i]));
    }
    expect(d / s).toBeLessThan(1e-12);
    expect(resid(A2, x, b)).toBeLessThan(1e-12);
    // the dense work columns are left clean for the next refactorization
    expect(st.x.every((v) => v === 0) && st.x2.every((v) => v === 0)).toBe(true);
  });

  it('rounds exactly as one column at a time: same factors and solution bit for bit', () => {
    const A2 = scaled(A, 11);
    const paired = new LuNumeric(n);
    factorNumeric(paired, A, q, 1e-3);
    const single = new LuNumeric(n);
    factorNumeric(single, A, q, 1e-3);
    single.uPair = new Uint8Array(n); // refactor column by column
    expect(refactorNumeric(paired, A2.values, 1e-3)).toBe(true);
    expect(refactorNumeric(single, A2.values, 1e-3)).toBe(true);
    expect(Buffer.from(paired.Lx.buffer).equals(Buffer.from(single.Lx.buffer))).toBe(true);
    expect(Buffer.from(paired.Ux.buffer).equals(Buffer.from(single.Ux.buffer))).toBe(true);
    const b = rhs(n, 12);
    const x = new Float64Array(n),
      y = new Float64Array(n);
    luSolveInto(paired, q, b, x);
    single.pair = new Uint8Array(n); // solve column by column
    luSolveInto(single, q, b, y);
    expect(Buffer.from(x.buffer).equals(Buffer.from(y.buffer))).toBe(true);
  });

  it('fails the threshold test on either column of a U pair, and refactor then re-pivots', () => {
    const st = new LuNumeric(n);
    factorNumeric(st, A, q, 0.5);
    const k = st.uPair.findIndex((v, i) => v !== 0 && i >= Math.floor(n / 3));
    expect(k).toBeGreaterThan(0);
    for (const col of [k, k + 1]) {
      // the pivot of factor column col is A(row, c) plus terms that do not depend on it:
      // subtracting the current pivot makes the reused pivot zero
      const values = A.values.slice();
      const c = q[col],
        row = st.prow[col];
      const pivot = st.Ux[st.Up[col + 1] - 1];
      let found = 0;
      for (let p = A.colPtr[c]; p < A.colPtr[c + 1]; p++)
        if (A.rowIdx[p] === row) {
          values[p] -= pivot;
          found++;
        }
      expect(found).toBe(1);
      const A2: Csc = { ...A, values };
      const probe = new LuNumeric(n);
      factorNumeric(probe, A, q, 0.5);
      expect(refactorNumeric(probe, values, 0.5)).toBe(false);
      expect(probe.x.every((v) => v === 0) && probe.x2.every((v) => v === 0)).toBe(true);
      const f = luFactor(A, { pivotTol: 0.5, symbolic: { n, q } });
      f.refactor(A2);
      expect(f.stats.factorizations).toBe(2);
      const b = rhs(n, 10 + col);
      expect(resid(A2, f.solve(b), b)).toBeLessThan(1e-10);
    }
  });
});
