/**
 * The Newton power flow's evaluation in WebAssembly (newton-wasm.ts, wasm/newton-kernels.ts) must
 * give every value the TypeScript kernel gives, bit for bit: an evaluation (V, I, S, F,
 * ||F||_inf, with buses at V = 0, buses held fixed, non-finite values, an Sbus of the caller's),
 * the Jacobian filled from its V and S, whole solves, and a prepared solver's N-1 outages and
 * warm-started time slices (chord steps on kept factors included).
 */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCaseFile } from '../../src/grid/matpower-case';
import { cloneNetwork } from '../../src/grid/network';
import {
  evaluateAt,
  fillWorkspaceJacobian,
  newtonpf,
  newtonpfWorkspace,
  NewtonPfWorkspace,
} from '../../src/solvers/newtonpf';
import { fillJacobian } from '../../src/solvers/ac-jacobian';
import { NEWTON_KERNEL_FILES, NewtonKernels, newtonKernel } from '../../src/solvers/newton-wasm';
import { readKernelModule } from '../../src/solvers/sparse/lu-wasm';
import { prepareAcPf } from '../../src/solvers/pf-ac';
import type { Solution } from '../../src/solvers/solution';
import { branchOutageView } from '../../src/scenarios/network-draft';
import { ZVec, zvec } from '../../src/solvers/sparse/zcsc';
import { caseJacobian, randomOperatingPoint } from '../helpers/case-jacobian';
import { casePath } from '../helpers/cases';

/** Every entry the same float (Object.is: -0 and NaN included). */
function expectSame(a: ArrayLike<number>, b: ArrayLike<number>): void {
  expect(a.length).toBe(b.length);
  let differ = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) differ++;
  expect(differ).toBe(0);
}

function withKernel<T>(kernel: 'ts' | 'wasm', f: () => T): T {
  const env = process.env.GRIDBATCH_NEWTON_KERNEL;
  process.env.GRIDBATCH_NEWTON_KERNEL = kernel;
  try {
    return f();
  } finally {
    if (env === undefined) delete process.env.GRIDBATCH_NEWTON_KERNEL;
    else process.env.GRIDBATCH_NEWTON_KERNEL = env;
  }
}

describe('Newton kernels: choice and loading', () => {
  it('load in this checkout (wasm/build/newton-kernels.wasm, built by npm ci) and are the default', () => {
    expect(readKernelModule(NEWTON_KERNEL_FILES).reason).toBe('');
    const env = process.env.GRIDBATCH_NEWTON_KERNEL;
    delete process.env.GRIDBATCH_NEWTON_KERNEL;
    try {
      expect(newtonKernel()).toBe('wasm');
      expect(withKernel('ts', () => newtonKernel())).toBe('ts');
      expect(withKernel('ts', () => newtonKernel('wasm'))).toBe('wasm');
    } finally {
      if (env !== undefined) process.env.GRIDBATCH_NEWTON_KERNEL = env;
    }
  });

  it('are not loaded when the module is missing or stale (the TypeScript kernels run)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'newton-wasm-'));
    const files = { wasm: join(dir, 'k.wasm'), sha256: join(dir, 'k.sha256'), source: NEWTON_KERNEL_FILES.source };
    expect(readKernelModule(files).reason).toMatch(/k\.wasm is missing/);
    copyFileSync(NEWTON_KERNEL_FILES.wasm, files.wasm);
    writeFileSync(files.sha256, 'another build\n');
    expect(readKernelModule(files).reason).toMatch(/is stale/);
    copyFileSync(NEWTON_KERNEL_FILES.sha256, files.sha256);
    expect(readKernelModule(files).reason).toBe('');
  });

  it('a workspace takes the chosen kernels; slab workspaces (cold solves) the TypeScript ones', () => {
    const { Ybus, pv, pq } = caseJacobian('case118');
    expect(withKernel('wasm', () => newtonpfWorkspace(Ybus, pv, pq)).kernels).not.toBeNull();
    expect(withKernel('ts', () => newtonpfWorkspace(Ybus, pv, pq)).kernels).toBeNull();
  });
});

describe.each(['case118', 'case1354pegase'])('Newton kernels on %s', (name) => {
  const { Ybus, pv, pq } = caseJacobian(name);
  const nb = Ybus.n;
  const ws: Record<'ts' | 'wasm', NewtonPfWorkspace> = {
    ts: withKernel('ts', () => newtonpfWorkspace(Ybus, pv, pq)),
    wasm: withKernel('wasm', () => newtonpfWorkspace(Ybus, pv, pq)),
  };

  const point = (seed: number) => randomOperatingPoint(nb, seed);

  /** Both workspaces evaluated at the point; their norms. */
  function evaluateBoth(p: { Vm: Float64Array; Va: Float64Array; Sbus: ZVec }, fixed?: Uint8Array) {
    const norm = { ts: 0, wasm: 0 };
    for (const k of ['ts', 'wasm'] as const) {
      ws[k].Vm.set(p.Vm);
      ws[k].Va.set(p.Va);
      norm[k] = evaluateAt(Ybus, p.Sbus, ws[k], fixed);
    }
    return norm;
  }

  function expectSameState(): void {
    for (const v of ['V', 'I', 'S'] as const) {
      expectSame(ws.wasm[v].re, ws.ts[v].re);
      expectSame(ws.wasm[v].im, ws.ts[v].im);
    }
    expectSame(ws.wasm.F, ws.ts.F);
    expectSame(ws.wasm.Vm, ws.ts.Vm);
    expectSame(ws.wasm.Va, ws.ts.Va);
  }

  it('runs the WebAssembly kernels on the wasm workspace', () => {
    expect(ws.wasm.kernels).not.toBeNull();
    expect(ws.ts.kernels).toBeNull();
  });

  it('evaluates V, I, S, F and the norm bit for bit, with buses at V = 0', () => {
    for (const seed of [1, 7, 42]) {
      const p = point(seed);
      p.Vm[pq[3]] = 0;
      p.Vm[pv[1]] = 0;
      const norm = evaluateBoth(p);
      expect(norm.wasm).toBe(norm.ts);
      expect(norm.ts).toBeGreaterThan(0);
      expectSameState();
    }
  });

  it('writes F = 0 for fixed buses and leaves them out of the norm, as TypeScript does', () => {
    const p = point(3);
    const fixed = new Uint8Array(nb);
    fixed[pq[0]] = 1;
    fixed[pv[0]] = 1;
    p.Sbus.re[pq[0]] = 1e6;
    const norm = evaluateBoth(p, fixed);
    expect(norm.wasm).toBe(norm.ts);
    expect(norm.ts).toBeLessThan(1e5);
    expectSameState();
    // and without the mask again: the huge mismatch is back in the norm
    const again = evaluateBoth(p);
    expect(again.wasm).toBe(again.ts);
    expect(again.ts).toBeGreaterThan(1e5);
  });

  it('is NaN when a mismatch is not finite', () => {
    const p = point(5);
    p.Va[pq[2]] = NaN;
    const a = evaluateBoth(p);
    expect(a.ts).toBeNaN();
    expect(a.wasm).toBeNaN();
    const q = point(6);
    q.Sbus.im[pq[1]] = Infinity;
    expect(evaluateBoth(q).wasm).toBeNaN();
  });

  it('leaves V and S from which the Jacobian fills bit for bit, with and without fixed buses', () => {
    const fixed = new Uint8Array(nb);
    fixed[pq[1]] = 1;
    fixed[pv[2]] = 1;
    for (const f of [undefined, fixed]) {
      evaluateBoth(point(9), f);
      for (const k of ['ts', 'wasm'] as const) fillJacobian(ws[k].pattern, Ybus, ws[k].V, ws[k].Vm, ws[k].S, f);
      expectSame(ws.wasm.pattern.J.values, ws.ts.pattern.J.values);
    }
  });

  it('fills the Jacobian in the kernels bit for bit as fillJacobian does, buses at V = 0 included', () => {
    for (const seed of [9, 21]) {
      const p = point(seed);
      p.Vm[pq[4]] = 0;
      evaluateBoth(p);
      fillJacobian(ws.ts.pattern, Ybus, ws.ts.V, ws.ts.Vm, ws.ts.S);
      ws.wasm.pattern.J.values.fill(NaN);
      fillWorkspaceJacobian(Ybus, ws.wasm);
      expectSame(ws.wasm.pattern.J.values, ws.ts.pattern.J.values);
      // the kernel writes the workspace's J (the values the LU reads)
      expect(ws.wasm.pattern.J.values.buffer).toBe(ws.wasm.Vm.buffer);
    }
    // with fixed buses the TypeScript fill runs on the same arrays
    const fixed = new Uint8Array(nb);
    fixed[pq[1]] = 1;
    evaluateBoth(point(4), fixed);
    fillJacobian(ws.ts.pattern, Ybus, ws.ts.V, ws.ts.Vm, ws.ts.S, fixed);
    fillWorkspaceJacobian(Ybus, ws.wasm, fixed);
    expectSame(ws.wasm.pattern.J.values, ws.ts.pattern.J.values);
  });

  it('copies Ybus values again for a new solve (values changed in place)', () => {
    const p = point(15);
    const before = evaluateBoth(p);
    const Y2 = { ...Ybus, re: Ybus.re.slice(), im: Ybus.im.slice() };
    for (const k of ['ts', 'wasm'] as const) evaluateAt(Y2, p.Sbus, ws[k]);
    Y2.re[0] *= 1.5;
    // the same matrix object with other values: newtonpf (and chordSteps) forget the held copy
    ws.wasm.kernels!.forgetValues();
    const after = { ts: evaluateAt(Y2, p.Sbus, ws.ts), wasm: evaluateAt(Y2, p.Sbus, ws.wasm) };
    expect(after.wasm).toBe(after.ts);
    expectSameState();
    expect(ws.ts.S.re[0]).not.toBe(0);
    expect(before.ts).toBe(before.wasm);
  });

  it('solves to the same voltages, bit for bit, in the same steps', () => {
    const p = point(21);
    const Sbus = zvec(nb);
    // the injections of a point near flat start (a solvable problem), solved from near that point
    const target = {
      Vm: Float64Array.from(p.Vm, (v) => 1 + 0.05 * (v - 1)),
      Va: Float64Array.from(p.Va, (a) => 0.1 * a),
    };
    const start = {
      Vm: Float64Array.from(target.Vm, (v) => v + 0.01),
      Va: Float64Array.from(target.Va, (a) => 0.9 * a),
    };
    for (const k of ['ts', 'wasm'] as const) {
      ws[k].Vm.set(target.Vm);
      ws[k].Va.set(target.Va);
      evaluateAt(Ybus, zvec(nb), ws[k]);
    }
    Sbus.re.set(ws.ts.S.re);
    Sbus.im.set(ws.ts.S.im);
    const r = {
      ts: newtonpf(Ybus, Sbus, start.Vm, start.Va, pv, pq, { tol: 1e-10, maxIt: 10 }, ws.ts),
      wasm: newtonpf(Ybus, Sbus, start.Vm, start.Va, pv, pq, { tol: 1e-10, maxIt: 10 }, ws.wasm),
    };
    expect(r.ts.converged).toBe(true);
    expect(r.wasm.iterations).toBe(r.ts.iterations);
    expect(r.wasm.normF).toBe(r.ts.normF);
    expectSameState();
  });
});

describe('prepared solver with either kernels', () => {
  const net = readCaseFile(casePath('case118'));

  function sameSolution(a: Solution, b: Solution): void {
    expect(b.converged).toBe(a.converged);
    expect(b.iterations).toBe(a.iterations);
    expectSame(b.bus.vm, a.bus.vm);
    expectSame(b.bus.vaDeg, a.bus.vaDeg);
    for (const k of ['pf', 'qf', 'pt', 'qt'] as const) expectSame(b.branch[k], a.branch[k]);
    expectSame(b.gen.qg, a.gen.qg);
  }

  it('gives every N-1 outage (islanding ones included) bit for bit', () => {
    const solvers = { ts: prepareAcPf(net), wasm: prepareAcPf(net) };
    const evaluations = jest.spyOn(NewtonKernels.prototype, 'evaluate');
    // the branch flows come from the kernels on the wasm side
    const flows = jest.spyOn(NewtonKernels.prototype, 'branchFlows');
    let islanding = 0;
    try {
      for (let l = 0; l < net.branch.n; l++) {
        const view = branchOutageView(net, [l]);
        const ts = withKernel('ts', () => solvers.ts.solve(view));
        const before = evaluations.mock.calls.length;
        const wasm = withKernel('wasm', () => solvers.wasm.solve(view));
        // the TypeScript side ran no WebAssembly evaluation, the other side did
        if (l === 0) expect(before).toBe(0);
        expect(evaluations.mock.calls.length).toBeGreaterThan(before);
        sameSolution(ts, wasm);
        if (ts.isolatedBuses.length) islanding++;
      }
      expect(flows.mock.results.filter((r) => r.value === true).length).toBe(net.branch.n + 1);
    } finally {
      evaluations.mockRestore();
      flows.mockRestore();
    }
    expect(islanding).toBeGreaterThan(0);
  });

  it('gives warm-started time slices bit for bit (chord steps on kept factors)', () => {
    const slices = { ts: cloneNetwork(net), wasm: cloneNetwork(net) };
    const solvers = { ts: prepareAcPf(slices.ts), wasm: prepareAcPf(slices.wasm) };
    const start: Record<'ts' | 'wasm', { vm: Float64Array; vaDeg: Float64Array } | undefined> = {
      ts: undefined,
      wasm: undefined,
    };
    for (let k = 0; k < 24; k++) {
      const f = 1 + 0.05 * Math.sin((2 * Math.PI * k) / 24);
      const sol = { ts: null as Solution | null, wasm: null as Solution | null };
      for (const side of ['ts', 'wasm'] as const) {
        for (let i = 0; i < net.bus.n; i++) {
          slices[side].bus.Pd[i] = net.bus.Pd[i] * f;
          slices[side].bus.Qd[i] = net.bus.Qd[i] * f;
        }
        const s = withKernel(side, () => solvers[side].solve(slices[side], { start: start[side] }));
        start[side] = { vm: s.bus.vm, vaDeg: s.bus.vaDeg };
        sol[side] = s;
      }
      sameSolution(sol.ts!, sol.wasm!);
    }
  });
});
