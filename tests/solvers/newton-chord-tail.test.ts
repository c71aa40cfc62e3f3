/**
 * Warm solves end on the previous Newton step's factors when ||F||_inf is small
 * (newton-chord-tail.ts): the solution must meet the same tolerance as plain Newton's (checked
 * by recomputing the mismatch at the returned voltages), in no more steps, with fewer Jacobian
 * factorizations on N-1 outages; a chord step that does not meet tol leaves the workspace
 * exactly as it was.
 */
import { join } from 'node:path';
import { readCaseFile } from '../../src/grid/matpower-case';
import { Network, PQ, PV } from '../../src/grid/network';
import { busInjections, mismatch, newtonpf, newtonpfWorkspace, polarToRect } from '../../src/solvers/newtonpf';
import { chordTailStep } from '../../src/solvers/newton-chord-tail';
import { prepareAcPf } from '../../src/solvers/pf-ac';
import { branchOutageView } from '../../src/scenarios/network-draft';
import { bustypes, elementStatus } from '../../src/solvers/bustypes';
import { makeYbus } from '../../src/solvers/makeYbus';
import { zvec, ZVec } from '../../src/solvers/sparse/zcsc';
import { CASES_DIR as CASES } from '../helpers/cases';
import { luBackends, useLuBackend } from '../helpers/lu-backends';

/** Ybus, Sbus, pv / pq and the case's start point of `net` (all buses in service). */
function problem(net: Network) {
  const st = elementStatus(net);
  const { typeAfter } = bustypes(net, st);
  const { Ybus } = makeYbus(net, st);
  const pv: number[] = [],
    pq: number[] = [];
  typeAfter.forEach((t, i) => (t === PV ? pv.push(i) : t === PQ ? pq.push(i) : undefined));
  const Sbus: ZVec = zvec(net.bus.n);
  for (let i = 0; i < net.bus.n; i++) {
    Sbus.re[i] = -net.bus.Pd[i] / net.baseMVA;
    Sbus.im[i] = -net.bus.Qd[i] / net.baseMVA;
  }
  const Vm = Float64Array.from(net.bus.Vm),
    Va = Float64Array.from(net.bus.Va, (d) => (d * Math.PI) / 180);
  for (let g = 0; g < net.gen.n; g++) {
    if (!net.gen.status[g]) continue;
    const b = net.bus.busI.indexOf(net.gen.bus[g]);
    Sbus.re[b] += net.gen.Pg[g] / net.baseMVA;
    Sbus.im[b] += net.gen.Qg[g] / net.baseMVA;
    if (typeAfter[b] !== PQ) Vm[b] = net.gen.Vg[g];
  }
  return { Ybus, Sbus, pv: Int32Array.from(pv), pq: Int32Array.from(pq), Vm, Va };
}

describe.each(luBackends('chord tail'))('the last Newton step on kept factors, %s LU', (lu) => {
  useLuBackend(lu);
  const net = readCaseFile(join(CASES, 'case118.m'));

  it('meets tol at the returned voltages in no more steps than plain Newton', () => {
    const p = problem(net);
    // a warm start: the solution of the case, for injections 3% larger
    const s0 = newtonpf(p.Ybus, p.Sbus, p.Vm, p.Va, p.pv, p.pq, { tol: 1e-10, maxIt: 10 });
    p.Vm.set(s0.Vm);
    p.Va.set(s0.Va);
    for (let i = 0; i < net.bus.n; i++) {
      p.Sbus.re[i] *= 1.03;
      p.Sbus.im[i] *= 1.03;
    }
    let chords = 0;
    for (const tol of [1e-8, 1e-10]) {
      const opts = { tol, maxIt: 10 };
      const plain = newtonpf(p.Ybus, p.Sbus, p.Vm, p.Va, p.pv, p.pq, opts);
      const plainVm = plain.Vm.slice();
      const tail = newtonpf(p.Ybus, p.Sbus, p.Vm, p.Va, p.pv, p.pq, { ...opts, chordTail: true });
      expect(plain.converged && tail.converged).toBe(true);
      expect(tail.iterations).toBeLessThanOrEqual(plain.iterations);
      chords += tail.chordSteps ?? 0;
      const V = zvec(net.bus.n),
        I = zvec(net.bus.n),
        S = zvec(net.bus.n);
      polarToRect(tail.Vm, tail.Va, V);
      busInjections(p.Ybus, V, I, S);
      expect(mismatch(S, p.Sbus, p.pv, p.pq, new Float64Array(p.pv.length + 2 * p.pq.length))).toBeLessThan(tol);
      for (let i = 0; i < net.bus.n; i++) expect(Math.abs(tail.Vm[i] - plainVm[i])).toBeLessThan(10 * tol);
    }
    expect(chords).toBeGreaterThan(0);
  });

  it('a chord step that misses tol leaves the iterate, V, S and F as they were', () => {
    const p = problem(net);
    const ws = newtonpfWorkspace(p.Ybus, p.pv, p.pq);
    // two steps leave ws at the second iterate with the first step's Jacobian factored
    newtonpf(p.Ybus, p.Sbus, p.Vm, p.Va, p.pv, p.pq, { tol: 1e-8, maxIt: 2 }, ws);
    const before = [ws.Vm, ws.Va, ws.V.re, ws.V.im, ws.S.re, ws.S.im, ws.F].map((a) => a.slice());
    const n = chordTailStep(p.Ybus, p.Sbus, ws, 0, undefined);
    expect(Number.isFinite(n)).toBe(true);
    const after = [ws.Vm, ws.Va, ws.V.re, ws.V.im, ws.S.re, ws.S.im, ws.F];
    after.forEach((a, k) =>
      expect(Buffer.from(a.buffer, a.byteOffset, a.byteLength)).toEqual(Buffer.from(before[k].buffer)),
    );
  });

  it('N-1 on a prepared solver: fewer factorizations than steps, same step count', () => {
    const prepared = prepareAcPf(net);
    let steps = 0;
    for (let l = 0; l < net.branch.n; l += 3) {
      const s = prepared.solve(branchOutageView(net, [l]));
      steps += s.iterations;
    }
    // every outage step is a Newton step (one factorization), a chord tail step (none) or a first
    // step on the base case's factors (none, ac-outage-newton-start.ts); the base solve the
    // outages start from (and its factors) is not counted
    expect(prepared.stats.tailChordSteps).toBeGreaterThan(0);
    expect(prepared.stats.newtonStarts).toBeGreaterThan(0);
    expect(prepared.stats.factorizations + prepared.stats.tailChordSteps + prepared.stats.newtonStarts).toBe(steps);
  });
});
