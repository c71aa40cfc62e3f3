/**
 * A warm start at the previous solve's last point takes its mismatch from the injections the
 * Newton workspace still holds (start-injections.ts): the mismatch must be the one a full
 * evaluation gives at the start (to ~1e-11 p.u.), a start moved by more than rounding or one that
 * already meets tol must be evaluated in full, and a prepared time series must take the held
 * injections on every warm slice and land on the cold solutions with the same steps as without.
 */
import { join } from 'node:path';
import { readCaseFile } from '../../src/grid/matpower-case';
import { cloneNetwork, Network } from '../../src/grid/network';
import { prepareAcPf, solvePfAc } from '../../src/solvers/pf-ac';
import { busInjections, mismatch, newtonpf, newtonpfWorkspace, polarToRect } from '../../src/solvers/newtonpf';
import { noteEvaluatedPoint, startMismatch } from '../../src/solvers/start-injections';
import { zvec } from '../../src/solvers/sparse/zcsc';
import { caseJacobian } from '../helpers/case-jacobian';
import { CASES_DIR as CASES } from '../helpers/cases';
import { luBackends, useLuBackend } from '../helpers/lu-backends';

const TOL = 1e-8;

/** A case118 workspace solved to Sbus = S(case voltages), its point noted, and Sbus scaled by 1.01. */
function solvedWorkspace() {
  const { Ybus, pv, pq } = caseJacobian('case118');
  const net = readCaseFile(join(CASES, 'case118.m'));
  const nb = Ybus.n;
  const Vm0 = Float64Array.from(net.bus.Vm);
  const Va0 = Float64Array.from(net.bus.Va, (d) => (d * Math.PI) / 180);
  const V = zvec(nb),
    I = zvec(nb),
    Sbus = zvec(nb);
  polarToRect(Vm0, Va0, V);
  busInjections(Ybus, V, I, Sbus);
  const ws = newtonpfWorkspace(Ybus, pv, pq);
  const flat = new Float64Array(nb);
  const r = newtonpf(Ybus, Sbus, Vm0, flat, pv, pq, { tol: TOL, maxIt: 10, luBackend: 'ts' }, ws);
  expect(r.converged).toBe(true);
  noteEvaluatedPoint(ws);
  const Sbus1 = zvec(nb);
  for (let i = 0; i < nb; i++) {
    Sbus1.re[i] = 1.01 * Sbus.re[i];
    Sbus1.im[i] = 1.01 * Sbus.im[i];
  }
  return { Ybus, ws, Sbus, Sbus1 };
}

/** ||F||_inf and F evaluated in full at ws.Vm / ws.Va (fresh scratch, ws untouched). */
function fullMismatch(c: ReturnType<typeof solvedWorkspace>, Sbus = c.Sbus1) {
  const { Ybus, ws } = c;
  const nb = Ybus.n;
  const V = zvec(nb),
    I = zvec(nb),
    S = zvec(nb);
  polarToRect(ws.Vm, ws.Va, V);
  busInjections(Ybus, V, I, S);
  const F = new Float64Array(ws.F.length);
  return { norm: mismatch(S, Sbus, ws.pv, ws.pq, F), F };
}

describe('start mismatch from held injections', () => {
  it('equals a full evaluation at a start that is the last point through degrees', () => {
    const c = solvedWorkspace();
    const { ws } = c;
    // the start a caller passes back: the solution's angles in degrees, converted to radians again
    for (let i = 0; i < ws.Va.length; i++) ws.Va[i] = (((ws.Va[i] * 180) / Math.PI) * Math.PI) / 180;
    const norm = startMismatch(ws, c.Sbus1, TOL);
    const full = fullMismatch(c);
    expect(norm).toBeGreaterThan(1e-4); // the 1% load step
    expect(Math.abs(norm - full.norm)).toBeLessThan(1e-11);
    let d = 0;
    for (let i = 0; i < full.F.length; i++) d = Math.max(d, Math.abs(ws.F[i] - full.F[i]));
    expect(d).toBeLessThan(1e-11);
  });

  it('is NaN (evaluate in full) for a start moved by more than rounding, or one that meets tol', () => {
    const c = solvedWorkspace();
    const { ws } = c;
    ws.Va[5] += 1e-9;
    expect(startMismatch(ws, c.Sbus1, TOL)).toBeNaN();
    ws.Va[5] -= 1e-9;
    ws.Vm[7] += 1e-15;
    expect(startMismatch(ws, c.Sbus1, TOL)).toBeNaN();
    ws.Vm[7] -= 1e-15;
    // the unchanged injections: the held point is the solution, below tol
    expect(fullMismatch(c, c.Sbus).norm).toBeLessThan(TOL);
    expect(startMismatch(ws, c.Sbus, TOL)).toBeNaN();
    // and the noted point itself with the new injections is taken
    expect(startMismatch(ws, c.Sbus1, TOL)).toBeGreaterThan(1e-4);
  });
});

function scaled(base: Network, net: Network, f: number): void {
  for (let i = 0; i < base.bus.n; i++) {
    net.bus.Pd[i] = base.bus.Pd[i] * f;
    net.bus.Qd[i] = base.bus.Qd[i] * f;
  }
}

describe.each(luBackends('held start injections'))('prepared time series, %s LU', (lu) => {
  useLuBackend(lu);
  it.each(['case118', 'case1354pegase'])(
    '%s: every warm slice starts on held injections and lands on the cold solution',
    (name) => {
      const base = readCaseFile(join(CASES, `${name}.m`));
      const prepared = prepareAcPf(base);
      const net = cloneNetwork(base);
      let start: { vm: Float64Array; vaDeg: Float64Array } | undefined;
      const levels = 12;
      for (let k = 0; k < levels; k++) {
        scaled(base, net, 1 + 0.05 * Math.sin((2 * Math.PI * k) / levels));
        const warm = prepared.solve(net, { start });
        const cold = solvePfAc(net);
        expect(warm.converged).toBe(true);
        let dv = 0,
          dp = 0;
        for (let i = 0; i < net.bus.n; i++) dv = Math.max(dv, Math.abs(warm.bus.vm[i] - cold.bus.vm[i]));
        for (let l = 0; l < net.branch.n; l++) dp = Math.max(dp, Math.abs(warm.branch.pf[l] - cold.branch.pf[l]));
        expect(dv).toBeLessThan(1e-8);
        expect(dp).toBeLessThan(1e-5);
        start = { vm: warm.bus.vm, vaDeg: warm.bus.vaDeg };
      }
      // every slice after the first starts at the previous solution, on that solve's factors
      expect(prepared.stats.heldStarts).toBe(levels - 1);
      expect(prepared.stats.chordSteps).toBeGreaterThan(0);
    },
  );
});
