/**
 * The four-column supernode steps of the TypeScript LU's refactorization
 * (src/solvers/sparse/lu-refactor.ts): where L columns j..j+3 chain (pair[j..j+2]), it applies
 * two pairs per pass over their shared rows. On a grid with two unknowns per node (a power-flow
 * Jacobian's bus blocks), whose separators form wide supernodes, the test checks that such
 * chains exist, that factors from the diagonal-pivot path (which refactors to get its values)
 * solve the system, that the solves stay bit for bit those of one column at a time, and that a
 * refactorization matches a fresh factorization with pivot search.
 */
import { Csc, cscFromTriplets, cscMulVec } from '../../src/solvers/sparse/csc';
import { luAnalyze } from '../../src/solvers/sparse/lu';
import { factorNumeric } from '../../src/solvers/sparse/lu-factor-numeric';
import { LuNumeric } from '../../src/solvers/sparse/lu-numeric';
import { refactorNumeric } from '../../src/solvers/sparse/lu-refactor';
import { luSolveInto } from '../../src/solvers/sparse/lu-solve';
import { factorStaticPivots } from '../../src/solvers/sparse/lu-static-factor';
import { mulberry32 } from '../../src/scenarios/prng';

/** nx x ny grid with diagonals, a dense 2x2 block per edge, diagonally dominant. */
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
      for (let dx = -1; dx <= 1; dx++)
        for (let dy = -1; dy <= 1; dy++) {
          const xx = x + dx,
            yy = y + dy;
          if ((dx === 0 && dy === 0) || xx < 0 || yy < 0 || xx >= nx || yy >= ny) continue;
          for (let a = 0; a < 2; a++)
            for (let b = 0; b < 2; b++) {
              const v = -(0.5 + r());
              I.push(2 * k + a);
              J.push(2 * id(xx, yy) + b);
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

/** Columns j where four L columns chain (pair[j], pair[j+1], pair[j+2]). */
function quads(flags: Uint8Array): number {
  let c = 0;
  for (let j = 0; j + 2 < flags.length; j++) if (flags[j] === 1 && flags[j + 1] === 1 && flags[j + 2] === 1) c++;
  return c;
}

const same = (a: Float64Array, b: Float64Array) => Buffer.from(a.buffer).equals(Buffer.from(b.buffer));

describe('TS LU four-column supernode steps (refactorization)', () => {
  const A = blockGrid(16, 15, 3);
  const n = A.n;
  const q = luAnalyze(A).q;
  const b = Float64Array.from({ length: n }, (_, i) => Math.sin(1 + i));

  it('are taken on the separators of a block grid, and the solves round as one column at a time', () => {
    for (const factor of ['diagonal pivots', 'pivot search']) {
      const st = new LuNumeric(n);
      if (factor === 'diagonal pivots') expect(factorStaticPivots(st, A, q, 1e-3)).toBe(true);
      else factorNumeric(st, A, q, 1e-3);
      expect(quads(st.pair)).toBeGreaterThan(20);
      const x = new Float64Array(n);
      luSolveInto(st, q, b, x);
      const single = Object.assign(new LuNumeric(n), st, { pair: new Uint8Array(n), uPair: new Uint8Array(n) });
      const y = new Float64Array(n);
      luSolveInto(single, q, b, y);
      expect(same(x, y)).toBe(true);
      const r = cscMulVec(A, x);
      let d = 0;
      for (let i = 0; i < n; i++) d = Math.max(d, Math.abs(r[i] - b[i]));
      expect(d).toBeLessThan(1e-12);
    }
  });

  it('refactor new values to the solution of a fresh factorization with pivot search', () => {
    const rnd = mulberry32(5);
    const A2 = { ...A, values: A.values.map((v) => v * (0.8 + 0.4 * rnd())) };
    const st = new LuNumeric(n);
    expect(factorStaticPivots(st, A, q, 1e-3)).toBe(true);
    expect(refactorNumeric(st, A2.values, 1e-3)).toBe(true);
    expect(st.x.every((v) => v === 0) && st.x2.every((v) => v === 0)).toBe(true);
    const fresh = new LuNumeric(n);
    factorNumeric(fresh, A2, q, 1e-3); // one column at a time, its own rounding
    const x = new Float64Array(n),
      y = new Float64Array(n);
    luSolveInto(st, q, b, x);
    luSolveInto(fresh, q, b, y);
    let d = 0,
      m = 0;
    for (let i = 0; i < n; i++) {
      d = Math.max(d, Math.abs(x[i] - y[i]));
      m = Math.max(m, Math.abs(y[i]));
    }
    expect(d / m).toBeLessThan(1e-12);
  });
});
