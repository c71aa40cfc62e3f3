import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Csc, cscFromTriplets, cscMulVec } from '../../src/solvers/sparse/csc';
import { LuFactors, SingularMatrixError, luFactor } from '../../src/solvers/sparse/lu';
import {
  LuKernel,
  KERNEL_FILES,
  kernelSourceHash,
  WasmLuKernels,
  luKernel,
  pickKernel,
  readKernelModule,
  spareKernelMemories,
} from '../../src/solvers/sparse/lu-wasm';
import { jacobianOrder } from '../../src/solvers/jacobian-order';
import { mulberry32 } from '../../src/scenarios/prng';
import { caseJacobian } from '../helpers/case-jacobian';

/** Every entry the same float (Object.is: -0 and NaN included). */
function expectSameBits(a: Float64Array, b: Float64Array): void {
  expect(a.length).toBe(b.length);
  let differ = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) differ++;
  expect(differ).toBe(0);
}

function rhsOf(n: number, seed: number): Float64Array {
  const r = mulberry32(seed);
  return Float64Array.from({ length: n }, () => 2 * r() - 1);
}

function solveBoth(fs: Record<LuKernel, LuFactors>, b: Float64Array): void {
  expectSameBits(fs.ts.solve(b), fs.wasm.solve(b));
}

function randomSparse(n: number, density: number, seed: number): Csc {
  const r = mulberry32(seed);
  const I: number[] = [],
    J: number[] = [],
    V: number[] = [];
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++)
      if (r() < density || (i === j && r() < 0.7)) {
        I.push(i);
        J.push(j);
        V.push(2 * r() - 1);
      }
  for (let j = 0; j < n; j++) {
    I.push((j * 7 + 3) % n); // a nonzero in every row and column, off the diagonal
    J.push(j);
    V.push(1 + r());
  }
  return cscFromTriplets(n, n, I, J, V);
}

describe('WebAssembly LU kernels (lu-wasm.ts)', () => {
  it('load in this checkout (wasm/build/lu-kernels.wasm, built by npm ci) and are the default', () => {
    expect(readKernelModule(KERNEL_FILES).reason).toBe('');
    const env = process.env.GRIDBATCH_LU_KERNEL;
    delete process.env.GRIDBATCH_LU_KERNEL;
    try {
      expect(luKernel()).toBe('wasm');
      process.env.GRIDBATCH_LU_KERNEL = 'ts';
      expect(luKernel()).toBe('ts');
      expect(luKernel('wasm')).toBe('wasm');
    } finally {
      if (env === undefined) delete process.env.GRIDBATCH_LU_KERNEL;
      else process.env.GRIDBATCH_LU_KERNEL = env;
    }
  });

  it('fall back to the TypeScript kernels when the module is missing or stale, unless wasm is required', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lu-wasm-'));
    const files = { wasm: join(dir, 'k.wasm'), sha256: join(dir, 'k.sha256'), source: KERNEL_FILES.source };
    expect(readKernelModule(files).reason).toMatch(/k\.wasm is missing: run `npm run build:wasm`/);
    copyFileSync(KERNEL_FILES.wasm, files.wasm);
    writeFileSync(files.sha256, 'another build\n');
    const stale = readKernelModule(files);
    expect(stale.module).toBeNull();
    expect(stale.reason).toMatch(/is stale/);
    copyFileSync(KERNEL_FILES.sha256, files.sha256);
    expect(readKernelModule(files).module).not.toBeNull();
    expect(pickKernel('auto', stale.reason)).toBe('ts');
    expect(pickKernel('ts', stale.reason)).toBe('ts');
    expect(() => pickKernel('wasm', stale.reason)).toThrow(/WebAssembly LU kernels are unavailable \(.*is stale/);
    expect(pickKernel('auto', '')).toBe('wasm');
    expect(() => pickKernel('fast', '')).toThrow(/must be ts, wasm or auto/);
  });

  it('are stale when a file their source imports changes (the build hashes the source and its imports)', () => {
    expect(readFileSync(KERNEL_FILES.sha256, 'utf8').trim()).toBe(kernelSourceHash(KERNEL_FILES.source));
    const dir = mkdtempSync(join(tmpdir(), 'lu-wasm-src-'));
    const entry = join(dir, 'entry.ts');
    writeFileSync(entry, "import { gi } from './shared';\nexport function f(): i32 {\n  return gi(0, 0);\n}\n");
    writeFileSync(join(dir, 'shared.ts'), 'export function gi(b: usize, i: i32): i32 {\n  return 0;\n}\n');
    const before = kernelSourceHash(entry);
    writeFileSync(join(dir, 'shared.ts'), 'export function gi(b: usize, i: i32): i32 {\n  return 1;\n}\n');
    expect(kernelSourceHash(entry)).not.toBe(before);
  });

  it.each(['case118', 'case1354pegase', 'case9241pegase'])(
    '%s Jacobian: factors, refactors and solves bit for bit as the TypeScript kernels',
    (name) => {
      const cj = caseJacobian(name);
      const later = caseJacobian(name, 0.6).J.values; // another Newton iterate's values
      const J = cj.J;
      const symbolic = { n: J.n, q: jacobianOrder(cj.Ybus, cj.pv, cj.pq), symmetricPattern: true };
      const fs = {
        ts: luFactor(J, { symbolic, kernel: 'ts' }),
        wasm: luFactor(J, { symbolic, kernel: 'wasm' }),
      };
      expect(fs.ts.kernel).toBe('ts');
      expect(fs.wasm.kernel).toBe('wasm');
      const b = rhsOf(J.n, 7);
      solveBoth(fs, b);
      for (const values of [later, J.values, later]) {
        for (const f of [fs.ts, fs.wasm]) f.refactor({ ...J, values });
        solveBoth(fs, b);
        solveBoth(fs, rhsOf(J.n, 11));
      }
      expect(fs.wasm.stats).toEqual(fs.ts.stats);
      expect(fs.wasm.stats.refactorizations).toBe(3);
      // and the solution solves the system
      const x = fs.wasm.solve(b);
      const r = cscMulVec({ ...J, values: later }, x);
      let res = 0;
      for (let i = 0; i < J.n; i++) res = Math.max(res, Math.abs(r[i] - b[i]));
      expect(res).toBeLessThan(1e-8);
    },
  );

  it('pivot search, re-pivoting refactorizations and singular matrices: the same as the TypeScript kernels', () => {
    let repivots = 0,
      refactors = 0,
      singular = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const n = 20 + (seed % 5) * 17;
      const A = randomSparse(n, 0.08, seed);
      let fs: Record<LuKernel, LuFactors>;
      try {
        fs = { ts: luFactor(A, { kernel: 'ts', pivotTol: 0.1 }), wasm: luFactor(A, { kernel: 'wasm', pivotTol: 0.1 }) };
      } catch (e) {
        expect(e).toBeInstanceOf(SingularMatrixError);
        expect(() => luFactor(A, { kernel: 'wasm', pivotTol: 0.1 })).toThrow(SingularMatrixError);
        continue;
      }
      const b = rhsOf(n, seed);
      solveBoth(fs, b);
      // new values: nearby ones refactor with the pivots kept, far ones fail the threshold test
      // and re-pivot, a zero column is singular; then nearby values again
      const r = mulberry32(1000 + seed);
      const zeroCol = seed % n;
      const rounds = [0.01, 'far', 'zero column', 0.01, 'far', 0.01].map((kind) =>
        A.values.map((v, p) => {
          if (kind === 'zero column') return p >= A.colPtr[zeroCol] && p < A.colPtr[zeroCol + 1] ? 0 : v;
          if (kind === 'far') return v * (r() < 0.2 ? 1e-4 : 1 + r());
          return v * (1 + Number(kind) * r());
        }),
      );
      for (const values of rounds) {
        const outcome = (f: LuFactors): string => {
          try {
            f.refactor({ ...A, values });
            return 'ok';
          } catch (e) {
            if (e instanceof SingularMatrixError) return `singular ${e.column}`;
            throw e;
          }
        };
        const o = outcome(fs.ts);
        expect(outcome(fs.wasm)).toBe(o);
        if (o !== 'ok') singular++;
        if (o === 'ok') solveBoth(fs, b);
      }
      expect(fs.wasm.stats).toEqual(fs.ts.stats);
      repivots += fs.wasm.stats.factorizations - 1;
      refactors += fs.wasm.stats.refactorizations;
    }
    // every path was taken
    expect([repivots > 0, refactors > 0, singular > 0]).toEqual([true, true, true]);
  });

  it('a refactorization whose kept pivots fail the threshold test re-pivots and stays on the WebAssembly kernels', () => {
    const cj = caseJacobian('case1354pegase');
    const J = cj.J;
    const symbolic = { n: J.n, q: jacobianOrder(cj.Ybus, cj.pv, cj.pq), symmetricPattern: true };
    const fs = {
      ts: luFactor(J, { symbolic, kernel: 'ts' }),
      wasm: luFactor(J, { symbolic, kernel: 'wasm' }),
    };
    // the first pivot's diagonal entry 1e-9 of its value: that pivot (A's entry itself, nothing
    // eliminated before it) fails the test, as an outage's can
    const c = symbolic.q[0];
    let d = -1;
    for (let p = J.colPtr[c]; p < J.colPtr[c + 1]; p++) if (J.rowIdx[p] === c) d = p;
    expect(d).toBeGreaterThanOrEqual(0);
    const weak = J.values.slice();
    weak[d] *= 1e-9;
    const bind = jest.spyOn(WasmLuKernels.prototype, 'bind');
    const refactor = jest.spyOn(WasmLuKernels.prototype, 'refactor');
    const solve = jest.spyOn(WasmLuKernels.prototype, 'solve');
    try {
      const b = rhsOf(J.n, 5);
      for (const values of [weak, J.values, weak]) {
        for (const f of [fs.ts, fs.wasm]) f.refactor({ ...J, values });
        solveBoth(fs, b);
      }
      // the first weak matrix re-pivoted; the kept (re-pivoted) sequence then served the others
      expect(fs.wasm.stats).toEqual(fs.ts.stats);
      expect(fs.wasm.stats.factorizations).toBe(2);
      expect(fs.wasm.stats.refactorizations).toBe(2);
      // the re-pivoted factors were bound to the kernels, which refactored and solved every time
      expect(bind).toHaveBeenCalledTimes(1);
      expect(refactor).toHaveBeenCalledTimes(3);
      expect(solve).toHaveBeenCalledTimes(3);
      expect(fs.wasm.kernel).toBe('wasm');
      const x = fs.wasm.solve(b);
      const r = cscMulVec({ ...J, values: weak }, x);
      let res = 0;
      for (let i = 0; i < J.n; i++) res = Math.max(res, Math.abs(r[i] - b[i]));
      expect(res).toBeLessThan(1e-8);
    } finally {
      bind.mockRestore();
      refactor.mockRestore();
      solve.mockRestore();
    }
  });

  it('disposed factors hand their memory to the next factorization, which computes the same bits', () => {
    const small = caseJacobian('case118');
    const big = caseJacobian('case1354pegase');
    const sym = (cj: typeof small) => ({ n: cj.J.n, q: jacobianOrder(cj.Ybus, cj.pv, cj.pq), symmetricPattern: true });
    const a = luFactor(big.J, { symbolic: sym(big), kernel: 'wasm' });
    const spare0 = spareKernelMemories();
    a.dispose();
    expect(spareKernelMemories()).toBe(spare0 + 1);
    expect(() => a.solve(rhsOf(big.J.n, 1))).toThrow(/disposed/);
    expect(() => a.refactor(big.J)).toThrow(/disposed/);
    // a smaller matrix in the larger memory, then the larger one in it again
    for (const cj of [small, big, small, big]) {
      const fs = {
        ts: luFactor(cj.J, { symbolic: sym(cj), kernel: 'ts' }),
        wasm: luFactor(cj.J, { symbolic: sym(cj), kernel: 'wasm' }),
      };
      expect(spareKernelMemories()).toBe(spare0);
      const later = caseJacobian(cj === small ? 'case118' : 'case1354pegase', 0.5).J.values;
      for (const f of [fs.ts, fs.wasm]) f.refactor({ ...cj.J, values: later });
      solveBoth(fs, rhsOf(cj.J.n, 3));
      fs.wasm.dispose();
      expect(spareKernelMemories()).toBe(spare0 + 1);
    }
  });

  it('never grows a memory: a factorization no spare memory fits gets a new one', () => {
    // growing detaches the memory's old buffer, which makes V8 check every typed array access
    // of the process for detachment from then on
    const grow = jest.spyOn(WebAssembly.Memory.prototype, 'grow');
    try {
      const small = caseJacobian('case118');
      const big = caseJacobian('case1354pegase');
      const sym = (cj: typeof small) => ({
        n: cj.J.n,
        q: jacobianOrder(cj.Ybus, cj.pv, cj.pq),
        symmetricPattern: true,
      });
      // only small memories spare: the large factorization cannot reuse one
      const held = [0, 1, 2, 3, 4].map(() => luFactor(small.J, { symbolic: sym(small), kernel: 'wasm' }));
      for (const f of held) f.dispose();
      const spare0 = spareKernelMemories();
      const f = luFactor(big.J, { symbolic: sym(big), kernel: 'wasm' });
      expect(spareKernelMemories()).toBe(spare0);
      solveBoth({ ts: luFactor(big.J, { symbolic: sym(big), kernel: 'ts' }), wasm: f }, rhsOf(big.J.n, 2));
      f.dispose();
      expect(grow).not.toHaveBeenCalled();
    } finally {
      grow.mockRestore();
    }
  });
});
