/**
 * A scenario that only takes branches out gets a view of the base network (outage-view.ts):
 * the same values as the cloning path, the base's own arrays for every column but branch
 * status, and solving it (AC and DC power flow, an islanding outage included) leaves the base
 * untouched. Any other change (load scale, a generator outage, a time slice with profiles, ...)
 * still gets a full clone.
 */
import { applyScenario } from '../../src/scenarios';
import { ResolvedScenario } from '../../src/scenarios/types';
import { readCaseFile } from '../../src/grid/matpower-case';
import { cloneNetwork, Network } from '../../src/grid/network';
import { onlyBranchOutages } from '../../src/scenarios/outage-view';
import { solveJob } from '../../src/solvers/solve-job';
import { SolverCache } from '../../src/solvers/solve';
import { CASE14, CASE118 } from './helpers';

function scenario(over: Partial<ResolvedScenario>): ResolvedScenario {
  return {
    scenarioId: 's',
    description: '',
    tags: [],
    outages: [],
    loadScale: 1,
    renewableScale: 1,
    dispatchOverrides: [],
    timeSlices: [],
    weight: 1,
    metadata: {},
    hash: '',
    ...over,
  };
}

/** The cloning path: a full copy with the branch rows' status at 0. */
function cloned(base: Network, rows: number[]): Network {
  const c = cloneNetwork(base);
  for (const l of rows) c.branch.status[l] = 0;
  return c;
}

/** max |a - b|, NaN where only one side is NaN */
function maxDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) && Number.isNaN(b[i])) continue;
    const d = Math.abs(a[i] - b[i]);
    m = d > m || Number.isNaN(d) ? d : m;
  }
  return m;
}

describe('branch-outage scenarios as views of the base', () => {
  const case14 = readCaseFile(CASE14);
  const case118 = readCaseFile(CASE118);

  test('equal to the clone, sharing every column but branch status', () => {
    const before = cloneNetwork(case14);
    const s = scenario({
      outages: [
        { type: 'branch', id: '3' },
        { type: 'branch', id: '14' },
      ],
    });
    const v = applyScenario(case14, s, null);
    expect(v).toEqual(cloned(case14, [2, 13]));
    expect(v.bus).toBe(case14.bus);
    expect(v.gen).toBe(case14.gen);
    expect(v.gencost).toBe(case14.gencost);
    expect(v.branch.r).toBe(case14.branch.r);
    expect(v.branch.status).not.toBe(case14.branch.status);
    expect(case14).toEqual(before);
    // a time slice without profiles changes nothing more
    expect(applyScenario(case14, s, '2030-01-01T00:00:00Z').bus).toBe(case14.bus);
  });

  test.each<[string, Partial<ResolvedScenario>]>([
    ['load scale', { loadScale: 1.1 }],
    ['load factors', { loadFactors: { '4': 0.9 } }],
    ['renewable scale', { renewableScale: 0.5 }],
    ['a generator outage', { outages: [{ type: 'gen', id: '2' }] }],
    ['a bus outage', { outages: [{ type: 'bus', id: '14' }] }],
    ['a dispatch override', { dispatchOverrides: [{ resource_id: '2', p_max_mw: 10 }] }],
    ['an impedance draw', { branchImpedanceFactors: [1.1] }],
  ])('%s: a full clone', (_what, over) => {
    const s = scenario({ outages: [{ type: 'branch', id: '3' }], ...over });
    expect(onlyBranchOutages(s, false)).toBe(false);
    const v = applyScenario(case14, s, null);
    expect(v.bus).not.toBe(case14.bus);
    expect(v.branch.r).not.toBe(case14.branch.r);
  });

  test('profiles at a time slice: a full clone', () => {
    expect(onlyBranchOutages(scenario({ outages: [{ type: 'branch', id: '3' }] }), true)).toBe(false);
  });

  test('an unknown branch id is the same input error', () => {
    expect(() => applyScenario(case14, scenario({ outages: [{ type: 'branch', id: '99' }] }), null)).toThrow(
      /unknown outage id/,
    );
  });

  test.each(['pf_ac', 'pf_dc'] as const)(
    '%s: solving views (N-1, islanding included) leaves the base untouched',
    (task) => {
      for (const base of [case14, case118]) {
        const before = cloneNetwork(base);
        const cache = new SolverCache();
        for (let l = 0; l < base.branch.n; l++) {
          const v = applyScenario(base, scenario({ outages: [{ type: 'branch', id: String(l + 1) }] }), null);
          const a = solveJob(task, v, undefined, {}, { cache, reference: base });
          const b = solveJob(task, cloned(base, [l]), undefined, {}, { reference: base });
          expect(a.solution.converged).toBe(b.solution.converged);
          if (b.solution.converged) expect(maxDiff(a.solution.branch.pf, b.solution.branch.pf)).toBeLessThan(1e-6);
        }
        expect(base).toEqual(before);
      }
    },
  );
});
