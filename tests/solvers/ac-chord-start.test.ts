/**
 * Warm-started time slices take chord steps on the factors of the previous slice
 * (ac-chord-start.ts): they must land on the power flow's solution (||mismatch||_inf < tol,
 * the same as an independent cold solve to within the tolerance), with no more Jacobian
 * factorizations than a cold solve, and never use factors of another branch-status variant.
 */
import { join } from 'node:path';
import { readCaseFile } from '../../src/grid/matpower-case';
import { cloneNetwork, Network } from '../../src/grid/network';
import { prepareAcPf, solvePfAc } from '../../src/solvers/pf-ac';
import type { Solution } from '../../src/solvers/solution';
import { CASES_DIR as CASES } from '../helpers/cases';
import { luBackends, useLuBackend } from '../helpers/lu-backends';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** All loads scaled by `f`. */
function scaled(base: Network, net: Network, f: number): void {
  for (let i = 0; i < base.bus.n; i++) {
    net.bus.Pd[i] = base.bus.Pd[i] * f;
    net.bus.Qd[i] = base.bus.Qd[i] * f;
  }
}

const startOf = (s: Solution) => ({ vm: s.bus.vm, vaDeg: s.bus.vaDeg });

describe.each(luBackends('chord steps'))('warm-started time slices, %s LU', (lu) => {
  useLuBackend(lu);
  const base = readCaseFile(join(CASES, 'case1354pegase.m'));

  it('take chord steps on the kept factors and land on the cold solutions', () => {
    const prepared = prepareAcPf(base);
    const net = cloneNetwork(base);
    let prev: Solution | undefined;
    let coldIts = 0,
      warmFactorizations = 0;
    for (let k = 0; k < 12; k++) {
      scaled(base, net, 1 + 0.05 * Math.sin((2 * Math.PI * k) / 12));
      const cold = solvePfAc(net);
      const before = prepared.stats.factorizations;
      const warm = prepared.solve(net, prev ? { start: startOf(prev) } : {});
      expect(cold.converged).toBe(true);
      expect(warm.converged).toBe(true);
      expect(maxAbsDiff(warm.bus.vm, cold.bus.vm)).toBeLessThan(1e-8);
      expect(maxAbsDiff(warm.bus.vaDeg, cold.bus.vaDeg)).toBeLessThan(1e-6);
      expect(maxAbsDiff(warm.branch.pf, cold.branch.pf)).toBeLessThan(1e-5);
      if (prev) {
        // chord steps count as iterations: within the solve's limit, never fewer than the Jacobians factored
        const factored = prepared.stats.factorizations - before;
        expect(warm.iterations).toBeLessThanOrEqual(10);
        expect(warm.iterations).toBeGreaterThanOrEqual(factored);
        warmFactorizations += factored;
        coldIts += cold.iterations;
      }
      prev = warm;
    }
    expect(prepared.stats.chordSteps).toBeGreaterThan(0);
    // the point of chord steps: far fewer Jacobians factored than cold Newton solves need
    expect(warmFactorizations).toBeLessThan(coldIts / 2);
  });

  it('share the iteration limit with Newton: a warm slice at --max-iterations 1 takes one step at most', () => {
    const prepared = prepareAcPf(base);
    const net = cloneNetwork(base);
    const first = prepared.solve(net);
    expect(first.converged).toBe(true);
    scaled(base, net, 1.05);
    const one = prepared.solve(net, { start: startOf(first), maxIt: 1 });
    expect(one.iterations).toBeLessThanOrEqual(1);
    if (one.converged) expect(one.iterations).toBe(1);
  });

  it('do not use the factors of another branch-status variant', () => {
    const prepared = prepareAcPf(base);
    const net = cloneNetwork(base);
    const first = prepared.solve(net);
    expect(first.converged).toBe(true);
    // an outage variant solved in between holds the workspace's factors
    const out = cloneNetwork(base);
    const l = out.branch.status.findIndex((s, i) => s > 0 && i > 10);
    out.branch.status[l] = 0;
    expect(prepared.solve(out).converged).toBe(true);
    const before = prepared.stats.chordSteps;
    scaled(base, net, 1.01);
    const warm = prepared.solve(net, { start: startOf(first) });
    expect(warm.converged).toBe(true);
    // factors made on the outage's Ybus: plain Newton, no chord step
    expect(prepared.stats.chordSteps).toBe(before);
    const cold = solvePfAc(net);
    expect(maxAbsDiff(warm.bus.vm, cold.bus.vm)).toBeLessThan(1e-8);
    // the next slice's factors are the base variant's again: chord steps
    scaled(base, net, 1.02);
    const next = prepared.solve(net, { start: startOf(warm) });
    expect(next.converged).toBe(true);
    expect(prepared.stats.chordSteps).toBeGreaterThan(before);
    expect(maxAbsDiff(next.bus.vm, solvePfAc(net).bus.vm)).toBeLessThan(1e-8);
  });
  it('keep the Newton step on refreshed factors even when it raises ||F||_inf: no Jacobian factored twice', () => {
    // case9241pegase with every load +1%, from the base solution: the kept factors' step and the
    // first Newton step both raise ||F||_inf; the step on the refreshed factors is Newton's own
    const big = readCaseFile(join(CASES, 'case9241pegase.m'));
    const prepared = prepareAcPf(big);
    const start = startOf(prepared.solve(big));
    const slice = cloneNetwork(big);
    scaled(big, slice, 1.01);
    const cold = solvePfAc(slice);
    for (let k = 0; k < 2; k++) {
      const before = prepared.stats.factorizations;
      const warm = prepared.solve(slice, { start });
      expect(warm.converged).toBe(true);
      expect(warm.iterations).toBeLessThanOrEqual(cold.iterations);
      expect(prepared.stats.factorizations - before).toBeLessThanOrEqual(warm.iterations);
      expect(maxAbsDiff(warm.bus.vm, cold.bus.vm)).toBeLessThan(1e-8);
    }
  });
});
