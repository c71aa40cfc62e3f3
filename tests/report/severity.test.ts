/** The contingency severity index and ranking (src/report/severity.ts) and the spec's severity weights. */
import { loadSpec } from '../../src/scenarios';
import { DEFAULT_SEVERITY_WEIGHTS, rankContingencies } from '../../src/report/severity';
import { JobKpis, ScenarioKpis } from '../../src/report/types';
import { head, inputError, tempDir, writeSpec } from '../scenarios/helpers';

function scenario(id: string, over: Partial<ScenarioKpis>): ScenarioKpis {
  return {
    scenario_id: id,
    description: '',
    weight: 1,
    jobs: 2,
    ok: 2,
    failed: 0,
    skipped: 0,
    cost_sum: null,
    cost_mean: null,
    cost_min: null,
    cost_max: null,
    losses_mw_mean: null,
    losses_mw_max: null,
    max_loading_pct: 90,
    max_loading_branch: 3,
    max_loading_time: 't1',
    overloaded_branches: 0,
    overload_hours: 0,
    voltage_violations: 0,
    vm_min_pu: null,
    vm_max_pu: null,
    islanded_buses_max: 0,
    load_lost_mw_max: 0,
    first_error: null,
    ...over,
  };
}

function job(id: string, vv: number): JobKpis {
  return {
    job_id: `x:${id}`,
    scenario_id: id,
    time: null,
    status: 'ok',
    cost: null,
    losses_mw: null,
    max_loading_pct: null,
    n_overloaded: null,
    n_voltage_violations: vv,
    vm_min_pu: null,
    vm_max_pu: null,
    load_mw: null,
    gen_mw: null,
    islanded_buses: 0,
    load_lost_mw: 0,
    gen_lost_mw: 0,
    error: null,
  };
}

describe('rankContingencies', () => {
  const scenarios = [
    scenario('quiet', {}),
    scenario('overload', { max_loading_pct: 130, overloaded_branches: 2 }), // 30 + 20 = 50
    scenario('islanded', { load_lost_mw_max: 42 }), // 42
    scenario('voltage', {}), // 5 x 3 = 15 (worst slice: 3 buses)
    scenario('failed', { failed: 1, ok: 1 }), // 1000
  ];
  const jobs = [job('voltage', 1), job('voltage', 3)];

  test('default weights: index = loading above 100 + 10/overloaded branch + 5/voltage violation (worst slice) + 1/MW lost + 1000/failed job', () => {
    const r = rankContingencies(scenarios, jobs, []);
    expect(r.map((x) => [x.rank, x.scenario_id, x.severity_index])).toEqual([
      [1, 'failed', 1000],
      [2, 'overload', 50],
      [3, 'islanded', 42],
      [4, 'voltage', 15],
      [5, 'quiet', 0],
    ]);
    expect(r[3].voltage_violations).toBe(3);
  });

  test('weights change the order; ties go to the higher worst loading, then the spec order', () => {
    const r = rankContingencies(scenarios, jobs, [], { ...DEFAULT_SEVERITY_WEIGHTS, load_lost: 10, failed: 0 });
    expect(r.map((x) => x.scenario_id)).toEqual(['islanded', 'overload', 'voltage', 'quiet', 'failed']); // quiet and failed tie at 0: spec order
    const tie = rankContingencies(
      [
        scenario('a', { max_loading_pct: 80 }),
        scenario('b', { max_loading_pct: 95 }),
        scenario('c', { max_loading_pct: 95 }),
      ],
      [],
      [],
    );
    expect(tie.map((x) => x.scenario_id)).toEqual(['b', 'c', 'a']);
  });

  test('on a case without ratings (no loading, index 0 everywhere) the lower minimum voltage ranks first; equal voltages keep the spec order', () => {
    const r = rankContingencies(
      [
        scenario('base', { max_loading_pct: null, vm_min_pu: 0.98 }),
        scenario('dc', { max_loading_pct: null, vm_min_pu: null }),
        scenario('sag', { max_loading_pct: null, vm_min_pu: 0.91 }),
        scenario('same', { max_loading_pct: null, vm_min_pu: 0.98 }),
      ],
      [],
      [],
    );
    expect(r.map((x) => [x.rank, x.scenario_id, x.severity_index])).toEqual([
      [1, 'sag', 0],
      [2, 'base', 0],
      [3, 'same', 0],
      [4, 'dc', 0],
    ]);
  });
});

describe('severity.weights in the spec', () => {
  const dir = tempDir();
  test('a child spec overrides single weights of its base; unknown weights are errors naming the key', () => {
    const base = writeSpec(
      dir,
      'base.yaml',
      head('include_base: true\nseverity: {weights: {loading: 2, failed: 50}}\n'),
    );
    const child = writeSpec(
      dir,
      'child.yaml',
      `extends: ${JSON.stringify(base)}\nseverity: {weights: {failed: 7, load_lost: 3}}\n`,
    );
    expect(loadSpec(child).severityWeights).toEqual({ loading: 2, failed: 7, load_lost: 3 });
    expect(loadSpec(writeSpec(dir, 'none.yaml', head('include_base: true\n'))).severityWeights).toBeUndefined();
    const e = inputError(() =>
      loadSpec(writeSpec(dir, 'bad.yaml', head('include_base: true\nseverity: {weights: {overload: 1}}\n'))),
    );
    expect(e.key).toBe('severity.weights.overload');
  });
});
