import { join } from 'node:path';
import { applyScenario, findIslands, loadStudy } from '../../src/scenarios';
import { ResolvedScenario } from '../../src/scenarios/types';
import { plainScenario } from '../../src/scenarios/plain-scenario';
import { readCaseFile } from '../../src/grid/matpower-case';
import { NONE, cloneNetwork } from '../../src/grid/network';
import { CASE14, FIXTURES, inputError, tempDir, writeSpec } from './helpers';

const case14 = readCaseFile(CASE14);
const fuel4 = readCaseFile(join(FIXTURES, 'case4fuel.m'));

const scenario = (over: Partial<ResolvedScenario>): ResolvedScenario => plainScenario(over);

describe('applyScenario', () => {
  test('returns a modified clone and never mutates the base', () => {
    const before = cloneNetwork(case14);
    const out = applyScenario(
      case14,
      scenario({
        loadScale: 2,
        outages: [
          { type: 'bus', id: '14' },
          { type: 'branch', id: '1' },
        ],
      }),
      null,
    );
    expect(out).not.toBe(case14);
    expect(case14).toEqual(before);
    expect(out.bus.Pd[1]).toBeCloseTo(43.4, 12);
  });

  test('branch outage -> status 0; gen outage -> status 0 and zero output', () => {
    const out = applyScenario(
      case14,
      scenario({
        outages: [
          { type: 'branch', id: '14' },
          { type: 'gen', id: '2' },
        ],
      }),
      null,
    );
    expect(out.branch.status[13]).toBe(0);
    expect(Array.from(out.branch.status).filter((s) => s === 0)).toHaveLength(1);
    expect([out.gen.status[1], out.gen.Pg[1], out.gen.Qg[1]]).toEqual([0, 0, 0]);
    expect(out.gen.status[0]).toBe(1);
  });

  test('bus outage -> type NONE, no load, its branches and gens out', () => {
    const out = applyScenario(case14, scenario({ outages: [{ type: 'bus', id: '6' }] }), null);
    const r = case14.busIndex.get(6) as number;
    expect([out.bus.type[r], out.bus.Pd[r], out.bus.Qd[r]]).toEqual([NONE, 0, 0]);
    // case14 branches at bus 6: rows 10 (5-6), 11 (6-11), 12 (6-12), 13 (6-13)
    const off = Array.from(out.branch.status).flatMap((s, i) => (s === 0 ? [i + 1] : []));
    expect(off).toEqual([10, 11, 12, 13]);
    expect(out.gen.status[3]).toBe(0); // gen row 4 sits at bus 6
    expect(findIslands(out)).toEqual({ ok: true });
  });

  test('load_scale and per-bus loadFactors multiply Pd and Qd', () => {
    const out = applyScenario(case14, scenario({ loadScale: 1.5, loadFactors: { 3: 2, 14: 0.5 } }), null);
    expect(out.bus.Pd[2]).toBeCloseTo(94.2 * 3, 10);
    expect(out.bus.Qd[2]).toBeCloseTo(19 * 3, 10);
    expect(out.bus.Pd[13]).toBeCloseTo(14.9 * 0.75, 10);
    expect(out.bus.Pd[3]).toBeCloseTo(47.8 * 1.5, 10);
    expect(out.bus.Qd[3]).toBeCloseTo(-3.9 * 1.5, 10);
  });

  test('renewable_scale: only wind/solar/pv/renewable genfuel; every gen when the case has no genfuel', () => {
    const out = applyScenario(fuel4, scenario({ renewableScale: 0.5 }), null);
    expect(Array.from(out.gen.Pg)).toEqual([100, 20, 10, 0]); // ng, Wind, solar_pv, coal
    expect(Array.from(out.gen.Pmax)).toEqual([200, 30, 20, 40]);
    expect(Array.from(out.gen.Qg)).toEqual([10, 5, 0, 0]);
    const all = applyScenario(case14, scenario({ renewableScale: 0.5 }), null);
    expect(Array.from(all.gen.Pmax)).toEqual([166.2, 70, 50, 50, 50]);
    expect(all.gen.Pg[0]).toBeCloseTo(116.2, 12);
  });

  test('dispatch overrides: Pmax/Pmin, must_run, cost_multiplier on both gencost models', () => {
    const out = applyScenario(
      fuel4,
      scenario({
        dispatchOverrides: [
          { resource_id: '1', p_max_mw: 150, p_min_mw: 20, cost_multiplier: 2 },
          { resource_id: 'gen:3', cost_multiplier: 3 },
          { resource_id: '4', must_run: true },
        ],
      }),
      null,
    );
    expect([out.gen.Pmax[0], out.gen.Pmin[0]]).toEqual([150, 20]);
    expect(out.gencost[0].coeffs).toEqual([0.02, 40, 200]);
    expect(out.gencost[2].coeffs).toEqual([0, 0, 40, 1200]); // piecewise linear: costs (y) scaled, MW (x) kept
    expect(out.gen.status[3]).toBe(1);
    expect(fuel4.gencost[0].coeffs).toEqual([0.01, 20, 100]);
    expect(fuel4.gen.status[3]).toBe(0);
  });

  test('outages win over everything else; unknown ids are InputErrors', () => {
    const out = applyScenario(
      fuel4,
      scenario({
        outages: [{ type: 'gen', id: '2' }],
        renewableScale: 2,
        dispatchOverrides: [{ resource_id: '2', p_max_mw: 10 }],
      }),
      null,
    );
    expect([out.gen.status[1], out.gen.Pg[1]]).toEqual([0, 0]);
    expect(
      inputError(() => applyScenario(case14, scenario({ outages: [{ type: 'branch', id: '99' }] }), null)).message,
    ).toMatch(/branch row 99 is out of range/);
    expect(
      inputError(() => applyScenario(case14, scenario({ dispatchOverrides: [{ resource_id: '9' }] }), null)).message,
    ).toMatch(/gen row 9/);
  });

  test('a scenario from loadSpec applies as written (spec -> network)', () => {
    const d = tempDir();
    const spec = writeSpec(
      d,
      's.yaml',
      `grid_file: ${JSON.stringify(join(FIXTURES, 'case4fuel.m'))}\nscenarios:\n  - {scenario_id: a, load_scale: 1.2, renewable_scale: 0, outages: [{type: branch, id: "Branch 3-4"}], dispatch_overrides: [{resource_id: 1, cost_multiplier: 0.5}]}\n`,
    );
    const { study, grid } = loadStudy(spec);
    const s = study.scenarios[0];
    expect(s.islanding).toMatch(/bus 4 is not connected/);
    const out = applyScenario(grid, s, null);
    expect(out.branch.status[3]).toBe(0);
    expect(out.bus.Pd[2]).toBeCloseTo(96, 12);
    expect(Array.from(out.gen.Pmax)).toEqual([200, 0, 0, 40]);
    expect(out.gencost[0].coeffs).toEqual([0.005, 10, 50]);
    expect(study.warnings.join('\n')).not.toMatch(/no genfuel/);
  });
});

describe('findIslands', () => {
  test('intact case14 is connected; out-of-service buses are not reported', () => {
    expect(findIslands(case14)).toEqual({ ok: true });
    const net = cloneNetwork(case14);
    net.branch.status[13] = 0;
    expect(findIslands(net)).toEqual({ ok: false, cutOff: [8] });
    net.bus.type[case14.busIndex.get(8) as number] = NONE;
    expect(findIslands(net)).toEqual({ ok: true });
  });

  test('a cut splitting several buses lists them all; losing the reference bus cuts off everything', () => {
    const net = cloneNetwork(case14);
    for (const row of [8, 9, 14, 15]) net.branch.status[row - 1] = 0; // 4-7, 4-9, 7-8, 7-9: 7 and 8 alone
    const r = findIslands(net);
    expect(r).toEqual({ ok: false, cutOff: [7, 8] });
    const noRef = applyScenario(case14, scenario({ outages: [{ type: 'bus', id: '1' }] }), null);
    const r2 = findIslands(noRef);
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.cutOff).toHaveLength(13);
  });
});
