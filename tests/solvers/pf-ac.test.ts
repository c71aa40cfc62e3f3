import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readCaseFile } from '../../src/grid/matpower-case';
import { cloneNetwork, Network } from '../../src/grid/network';
import { prepareAcPf, solvePfAc } from '../../src/solvers/pf-ac';
import type { Solution } from '../../src/solvers/solution';

import { CASES_DIR as CASES } from '../helpers/cases';
import { luBackends, useLuBackend } from '../helpers/lu-backends';

interface RunpfRef {
  success: number;
  iterations: number;
  vm: number[];
  va_deg: number[];
  pg: number[];
  qg: number[];
  branch_pf: number[];
  branch_qf: number[];
  branch_pt: number[];
  branch_qt: number[];
}

function reference(name: string): RunpfRef {
  return JSON.parse(readFileSync(join(CASES, 'matpower-computed', `${name}.json`), 'utf8')).runpf_ac as RunpfRef;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < b.length; i++) {
    if (Number.isNaN(a[i]) && Number.isNaN(b[i])) continue;
    const d = Math.abs(a[i] - b[i]);
    m = Math.max(m, Number.isNaN(d) ? Infinity : d);
  }
  return m;
}

const caseNames = readdirSync(CASES)
  .filter((f) => f.endsWith('.m'))
  .map((f) => f.replace(/\.m$/, ''))
  .sort();

describe.each(luBackends('tests/solvers/pf-ac.test.ts'))('solvePfAc matches MATPOWER 8.1 runpf (%s LU)', (backend) => {
  useLuBackend(backend);

  it('covers every case file', () => {
    expect(caseNames).toEqual(
      expect.arrayContaining(['case9', 't_case9_pf', 'case9241pegase', 'pglib_opf_case300_ieee']),
    );
  });

  it.each(caseNames)('%s', (name) => {
    const ref = reference(name);
    const sol = solvePfAc(readCaseFile(join(CASES, `${name}.m`)));
    expect(sol.task).toBe('pf_ac');
    expect(sol.iterations).toBe(ref.iterations);
    if (ref.success !== 1) {
      expect(sol.converged).toBe(false);
      expect(sol.error).toMatch(
        new RegExp(`did not converge in ${ref.iterations} iterations, max mismatch \\S+ p\\.u\\.`),
      );
      expect(Array.from(sol.bus.vm).every(Number.isNaN)).toBe(true);
      return;
    }
    expect(sol.converged).toBe(true);
    expect(sol.error).toBeNull();
    expect(sol.isolatedBuses).toEqual([]);
    // the README's bounds (measured max over all cases, TypeScript LU / KLU): vm 2.9e-13 / 2.0e-13 p.u.,
    // va 1.8e-11 / 3.7e-11 degrees, Pg, Qg and flows 8.7e-10 / 1.9e-9 MW or MVAr
    expect(maxAbsDiff(sol.bus.vm, ref.vm)).toBeLessThan(1e-12);
    expect(maxAbsDiff(sol.bus.vaDeg, ref.va_deg)).toBeLessThan(1e-10);
    expect(maxAbsDiff(sol.gen.pg, ref.pg)).toBeLessThan(5e-9);
    expect(maxAbsDiff(sol.gen.qg, ref.qg)).toBeLessThan(5e-9);
    expect(maxAbsDiff(sol.branch.pf, ref.branch_pf)).toBeLessThan(5e-9);
    expect(maxAbsDiff(sol.branch.qf, ref.branch_qf)).toBeLessThan(5e-9);
    expect(maxAbsDiff(sol.branch.pt, ref.branch_pt)).toBeLessThan(5e-9);
    expect(maxAbsDiff(sol.branch.qt, ref.branch_qt)).toBeLessThan(5e-9);
  });
});

describe('solution details', () => {
  it('reports net injections that balance generation and load', () => {
    const net = readCaseFile(join(CASES, 'case14.m'));
    const sol = solvePfAc(net);
    const pMw = sol.bus.pMw as Float64Array;
    const gen = new Float64Array(net.bus.n);
    for (let g = 0; g < net.gen.n; g++)
      if (net.gen.status[g] > 0) gen[net.busIndex.get(net.gen.bus[g]) as number] += sol.gen.pg[g];
    for (let i = 0; i < net.bus.n; i++) expect(pMw[i]).toBeCloseTo(gen[i] - net.bus.Pd[i], 8);
  });

  it('zeroes the flows of out-of-service branches and still matches a re-solve', () => {
    const net = readCaseFile(join(CASES, 'case30.m'));
    net.branch.status[5] = 0;
    const sol = solvePfAc(net);
    expect(sol.converged).toBe(true);
    expect([sol.branch.pf[5], sol.branch.qf[5], sol.branch.pt[5], sol.branch.qt[5]]).toEqual([0, 0, 0, 0]);
  });

  it('excludes and reports buses in islands without a reference', () => {
    const net = readCaseFile(join(CASES, 'case14.m'));
    // bus 8 hangs off bus 7 through branch 7-8 only: open it
    const l = Array.from(net.branch.fbus).findIndex((f, k) => f === 7 && net.branch.tbus[k] === 8);
    expect(l).toBeGreaterThanOrEqual(0);
    net.branch.status[l] = 0;
    net.bus.type[net.busIndex.get(8) as number] = 1; // its generator can no longer hold the voltage
    const sol = solvePfAc(net);
    expect(sol.converged).toBe(true);
    expect(sol.isolatedBuses).toEqual([8]);
    const i8 = net.busIndex.get(8) as number;
    expect(Number.isNaN(sol.bus.vm[i8])).toBe(true);
    expect(Array.from(sol.bus.vm).filter((v) => !Number.isNaN(v)).length).toBe(13);
    const g8 = Array.from(net.gen.bus).indexOf(8);
    expect([sol.gen.pg[g8], sol.gen.qg[g8]]).toEqual([0, 0]);
  });

  it('does not mark a diverging solve as converged and names the mismatch', () => {
    const net = readCaseFile(join(CASES, 'case9.m'));
    for (let i = 0; i < net.bus.n; i++) {
      net.bus.Pd[i] *= 12;
      net.bus.Qd[i] *= 12;
    }
    const sol = solvePfAc(net);
    expect(sol.converged).toBe(false);
    expect(sol.error).toMatch(/did not converge in \d+ iterations, .*max mismatch \S+ p\.u\./);
  });

  it('returns a failed solution when there is no reference bus', () => {
    const net = readCaseFile(join(CASES, 'case9.m'));
    net.gen.status.fill(0);
    const sol = solvePfAc(net);
    expect(sol.converged).toBe(false);
    expect(sol.error).toMatch(/no reference bus/);
  });
});

describe('reactive limits (MATPOWER t_pf_ac, case 14)', () => {
  function case14q(): Network {
    const net = readCaseFile(join(CASES, 'case14.m'));
    net.gen.Qmin[0] = -10;
    net.gen.Qmax.set([10, 30, 29, 15, 15]);
    return net;
  }
  const close = (s: Solution, want: number[], tol: number) => expect(maxAbsDiff(s.gen.qg, want)).toBeLessThan(tol);

  it('enforceQLims 0 ignores the limits', () => {
    const sol = solvePfAc(case14q(), { enforceQLims: 0 });
    expect(sol.converged).toBe(true);
    close(sol, [-16.549300542, 43.557100134, 25.075348495, 12.730944405, 17.623451366], 1e-6);
  });

  it('enforceQLims 1 finds the problem infeasible', () => {
    const sol = solvePfAc(case14q(), { enforceQLims: 1 });
    expect(sol.converged).toBe(false);
    expect(sol.error).toMatch(/infeasible/);
  });

  it('enforceQLims 2 fixes one generator at a time', () => {
    const sol = solvePfAc(case14q(), { enforceQLims: 2 });
    expect(sol.converged).toBe(true);
    close(sol, [-6.30936644, 30, 29, 15, 15], 1e-5);
  });

  it('enforceQLims 1 on case14 with tol 1e-9: 5 iterations, reference angle kept', () => {
    const net = readCaseFile(join(CASES, 'case14.m'));
    const sol = solvePfAc(net, { enforceQLims: 1, tol: 1e-9 });
    expect(sol.converged).toBe(true);
    expect(sol.iterations).toBe(5);
    expect(sol.bus.vaDeg[0]).toBe(0);
    for (let g = 0; g < net.gen.n; g++) {
      expect(sol.gen.qg[g]).toBeLessThanOrEqual(net.gen.Qmax[g] + 1e-5);
      expect(sol.gen.qg[g]).toBeGreaterThanOrEqual(net.gen.Qmin[g] - 1e-5);
    }
  });
});

describe('prepareAcPf', () => {
  const base = readCaseFile(join(CASES, 'pglib_opf_case1354_pegase.m'));

  it('re-solves time slices like independent solves, warm-started', () => {
    const prepared = prepareAcPf(base);
    const net = cloneNetwork(base);
    let prev: Solution | undefined;
    for (const scale of [1, 1.02, 1.04, 0.97]) {
      for (let i = 0; i < net.bus.n; i++) {
        net.bus.Pd[i] = base.bus.Pd[i] * scale;
        net.bus.Qd[i] = base.bus.Qd[i] * scale;
      }
      for (let g = 0; g < net.gen.n; g++) net.gen.Pg[g] = base.gen.Pg[g] * scale;
      const cold = solvePfAc(net);
      const factored = prepared.stats.factorizations;
      const warm = prepared.solve(net, prev ? { start: { vm: prev.bus.vm, vaDeg: prev.bus.vaDeg } } : {});
      expect(cold.converged).toBe(true);
      expect(warm.converged).toBe(true);
      expect(maxAbsDiff(warm.bus.vm, cold.bus.vm)).toBeLessThan(1e-8);
      expect(maxAbsDiff(warm.bus.vaDeg, cold.bus.vaDeg)).toBeLessThan(1e-6);
      expect(maxAbsDiff(warm.branch.pf, cold.branch.pf)).toBeLessThan(1e-5);
      // a warm slice factors no more Jacobians than a cold solve (its chord steps need none: ac-chord-start.ts)
      if (prev) expect(prepared.stats.factorizations - factored).toBeLessThanOrEqual(cold.iterations);
      prev = warm;
    }
    expect(prepared.stats.builds).toBe(1);
  });

  it('solves a branch outage on the same structure, and rebuilds when the structure changes', () => {
    const prepared = prepareAcPf(base);
    const net = cloneNetwork(base);
    const l = Array.from(net.branch.status).findIndex((s) => s === 1);
    net.branch.status[l] = 0;
    const sol = prepared.solve(net);
    const direct = solvePfAc(net);
    expect(prepared.stats.builds).toBe(1);
    expect(sol.converged).toBe(direct.converged);
    expect(sol.isolatedBuses).toEqual(direct.isolatedBuses);
    if (direct.converged) expect(maxAbsDiff(sol.bus.vm, direct.bus.vm)).toBeLessThan(1e-8);
    const g = Array.from(net.gen.status).findIndex((s) => s > 0);
    net.gen.status[g] = 0;
    const sol2 = prepared.solve(net);
    const direct2 = solvePfAc(net);
    expect(prepared.stats.builds).toBe(2);
    expect(sol2.converged).toBe(direct2.converged);
    if (direct2.converged) expect(maxAbsDiff(sol2.bus.vm, direct2.bus.vm)).toBeLessThan(1e-10);
  });

  it('rejects a warm start of the wrong length', () => {
    const prepared = prepareAcPf(base);
    expect(() => prepared.solve(base, { start: { vm: new Float64Array(3), vaDeg: new Float64Array(3) } })).toThrow(
      RangeError,
    );
  });
});
