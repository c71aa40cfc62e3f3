/**
 * The prepared solver's outage start choice (ac-outage-starts.ts): without reactive limits a
 * single-branch outage takes its first Newton step on the base case's factors; with them (the
 * base factors are not kept) it starts from the DC-moved base solution. Either way the solution
 * equals a full solve of the outaged network.
 */
import { readCaseFile } from '../../src/grid/matpower-case';
import { cloneNetwork, Network } from '../../src/grid/network';
import { prepareAcPf, solvePfAc } from '../../src/solvers/pf-ac';
import type { SolveOptions } from '../../src/solvers/solution';
import { casePath } from '../helpers/cases';

function outaged(net: Network, l: number): Network {
  const c = cloneNetwork(net);
  c.branch.status[l] = 0;
  return c;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) && Number.isNaN(b[i])) continue; // a bus cut off on both sides
    m = Math.max(m, Math.abs(a[i] - b[i]));
  }
  return m;
}

/** branch rows taken out one at a time (row 6, 0-based, cuts buses 9 and 10 off: no moved start) */
const ROWS = [0, 6, 19, 40, 77, 120, 150];

function run(opts: SolveOptions) {
  const base = readCaseFile(casePath('case118'));
  const prepared = prepareAcPf(base);
  let connected = 0;
  for (const l of ROWS) {
    const net = outaged(base, l);
    const fast = prepared.solve(net, opts);
    const full = solvePfAc(net, opts);
    expect(fast.isolatedBuses).toEqual(full.isolatedBuses);
    if (full.isolatedBuses.length === 0) connected++;
    expect(fast.converged).toBe(true);
    expect(full.converged).toBe(true);
    expect(maxAbsDiff(fast.bus.vm, full.bus.vm)).toBeLessThan(1e-8);
    expect(maxAbsDiff(fast.gen.qg, full.gen.qg)).toBeLessThan(1e-5);
    for (const k of ['pf', 'qf', 'pt', 'qt'] as const)
      expect(maxAbsDiff(fast.branch[k], full.branch[k])).toBeLessThan(1e-5);
  }
  return { stats: prepared.stats, connected };
}

describe('case118 outages on a prepared solver', () => {
  it('without reactive limits: Newton first steps on the base factors', () => {
    const { stats, connected } = run({ tol: 1e-10 });
    expect(connected).toBeGreaterThanOrEqual(6);
    expect(stats.newtonStarts).toBe(connected);
    expect(stats.dcStarts).toBe(0);
  });

  it('with reactive limits (enforce_q_lims 1): DC-moved starts', () => {
    const { stats, connected } = run({ tol: 1e-10, enforceQLims: 1 });
    expect(stats.newtonStarts).toBe(0);
    expect(stats.dcStarts).toBe(connected);
  });
});

describe('an outage solved again after other time slices', () => {
  it('gets the same start and the same bits: the base factors stay with their base solution', () => {
    const base = readCaseFile(casePath('case118'));
    const slice = (scale: number) => {
      const c = cloneNetwork(base);
      for (let i = 0; i < c.bus.n; i++) {
        c.bus.Pd[i] *= scale;
        c.bus.Qd[i] *= scale;
      }
      return c;
    };
    const a = slice(0.9),
      b = slice(1.05);
    const prepared = prepareAcPf(base);
    const first = prepared.solve(outaged(a, 19));
    // slice b's base solution and outages come in between (they hold b's factors)
    for (const l of [19, 40, 77]) expect(prepared.solve(outaged(b, l)).converged).toBe(true);
    const again = prepared.solve(outaged(a, 19));
    // a fresh solver that saw only slice a
    const alone = prepareAcPf(base).solve(outaged(a, 19));
    expect(prepared.stats.newtonStarts).toBe(5);
    expect(prepared.stats.dcStarts).toBe(0);
    for (const r of [again, alone]) {
      expect(r.iterations).toBe(first.iterations);
      expect(Array.from(r.bus.vm)).toEqual(Array.from(first.bus.vm));
      expect(Array.from(r.bus.vaDeg)).toEqual(Array.from(first.bus.vaDeg));
      expect(Array.from(r.branch.pf)).toEqual(Array.from(first.branch.pf));
    }
  });
});
