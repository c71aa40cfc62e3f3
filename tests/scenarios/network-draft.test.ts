/**
 * A job's network is a copy-on-write draft of the base (network-draft.ts): the same values as a
 * full clone with the scenario's changes, the base's own arrays for every column no step wrote,
 * its own copies of those a step wrote, and solving drafts (AC and DC power flow, N-1 with
 * islanding outages) leaves the base untouched.
 */
import { join } from 'node:path';
import { applyScenario } from '../../src/scenarios';
import { plainScenario } from '../../src/scenarios/plain-scenario';
import { LoadedProfiles, ResolvedScenario } from '../../src/scenarios/types';
import { readCaseFile } from '../../src/grid/matpower-case';
import { cloneNetwork, Network } from '../../src/grid/network';
import { branchOutageView } from '../../src/scenarios/network-draft';
import { solveJob } from '../../src/solvers/solve-job';
import { SolverCache } from '../../src/solvers/solve';
import { CASE14, CASE118, FIXTURES } from './helpers';

const scenario = (over: Partial<ResolvedScenario>): ResolvedScenario => plainScenario(over);

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

type Table = 'bus' | 'gen' | 'branch';

/** Columns of `v` that are not the base's own arrays, as table.column names. */
function ownColumns(v: Network, base: Network): string[] {
  const out: string[] = [];
  for (const t of ['bus', 'gen', 'branch'] as Table[]) {
    const a = v[t] as unknown as Record<string, unknown>,
      b = base[t] as unknown as Record<string, unknown>;
    for (const k in a) if (a[k] instanceof Float64Array && a[k] !== b[k]) out.push(`${t}.${k}`);
  }
  if (v.gencost !== base.gencost) out.push('gencost');
  return out.sort();
}

describe('job networks as copy-on-write drafts of the base', () => {
  const case14 = readCaseFile(CASE14);
  const case118 = readCaseFile(CASE118);
  const fuel4 = readCaseFile(join(FIXTURES, 'case4fuel.m'));

  test('branch outages: equal to the clone, only branch status copied', () => {
    const before = cloneNetwork(case14);
    const s = scenario({
      outages: [
        { type: 'branch', id: '3' },
        { type: 'branch', id: '14' },
      ],
    });
    const v = applyScenario(case14, s, null);
    expect(v).toEqual(cloned(case14, [2, 13]));
    expect(ownColumns(v, case14)).toEqual(['branch.status']);
    expect(v.gen).not.toBe(case14.gen);
    expect(case14).toEqual(before);
    expect(branchOutageView(case14, [2, 13])).toEqual(v);
    // no change at all: nothing copied
    expect(ownColumns(applyScenario(case14, scenario({}), '2030-01-01T00:00:00Z'), case14)).toEqual([]);
  });

  test.each<[string, Partial<ResolvedScenario>, string[]]>([
    ['load scale', { loadScale: 1.1 }, ['bus.Pd', 'bus.Qd']],
    ['load factors of 1', { loadFactors: { '4': 1 } }, []],
    ['a load factor', { loadFactors: { '4': 0.9 } }, ['bus.Pd', 'bus.Qd']],
    ['renewable scale', { renewableScale: 0.5 }, ['gen.Pg', 'gen.Pmax']],
    ['a generator outage', { outages: [{ type: 'gen', id: '2' }] }, ['gen.Pg', 'gen.Qg', 'gen.status']],
    ['a bus outage', { outages: [{ type: 'bus', id: '14' }] }, ['branch.status', 'bus.Pd', 'bus.Qd', 'bus.type']],
    [
      'dispatch overrides',
      { dispatchOverrides: [{ resource_id: '2', p_max_mw: 10, p_min_mw: 1, must_run: true, cost_multiplier: 2 }] },
      ['gen.Pmax', 'gen.Pmin', 'gen.status', 'gencost'],
    ],
    ['an impedance draw', { branchImpedanceFactors: [1.1] }, ['branch.r', 'branch.x']],
    ['a cost draw', { genCostFactors: [[2, 1, 1]] }, ['gencost']],
  ])('%s: copies what it changes, the base untouched', (_what, over, own) => {
    const base = _what === 'renewable scale' ? fuel4 : case14;
    const before = cloneNetwork(base);
    const v = applyScenario(base, scenario(over), null);
    expect(ownColumns(v, base)).toEqual(own);
    expect(base).toEqual(before);
    if (own.length) expect(v).not.toEqual(before);
    else expect(v).toEqual(before);
  });

  test('a cost multiplier gives the job a new cost row', () => {
    const before = cloneNetwork(case14);
    const v = applyScenario(case14, scenario({ dispatchOverrides: [{ resource_id: '1', cost_multiplier: 3 }] }), null);
    expect(v.gencost[0]).not.toBe(case14.gencost[0]);
    expect(v.gencost[1]).toBe(case14.gencost[1]);
    expect(v.gencost[0].coeffs[0]).toBeCloseTo(3 * case14.gencost[0].coeffs[0], 12);
    expect(case14).toEqual(before);
  });

  test('profiles at a time slice: the columns they set', () => {
    const profiles: LoadedProfiles = {
      file: 'p.csv',
      kind: 'multiplier',
      series: [
        { element: 'load', id: 4, field: 'p' },
        { element: 'gen', id: 2, field: 'q' },
      ],
      times: ['2030-01-01T00:00:00Z'],
      values: [[1.5, 2]],
    };
    const before = cloneNetwork(case14);
    const v = applyScenario(case14, scenario({}), '2030-01-01T00:00:00Z', profiles);
    expect(ownColumns(v, case14)).toEqual(['bus.Pd', 'gen.Qg']);
    expect(v.bus.Pd[3]).toBeCloseTo(1.5 * case14.bus.Pd[3], 12);
    expect(case14).toEqual(before);
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
