/**
 * The island rule (src/solvers/islands.ts) on outages that cut buses off: every task ok, the
 * de-energized part null / 0, the load lost equal to the cut-off buses' load, and the energized
 * part equal to pandapower's runpp / rundcpp on the same outaged case (tests/python/pandapower_pf.py).
 */
import { IslandChecker } from '../../src/scenarios/islands';
import { DEFAULT_ISLAND_MODE, IslandPlanCache, ISLAND_MODES, planIslands } from '../../src/solvers/islands';
import { readCaseFile } from '../../src/grid/matpower-case';
import { cloneNetwork, Network } from '../../src/grid/network';
import { TASKS } from '../../src/solvers/solution';
import { prepareSolvers } from '../../src/solvers/solve';
import { solveJob } from '../../src/solvers/solve-job';
import { casePath } from '../helpers/cases';
import { PandapowerJob, PandapowerResult, pandapowerPf } from '../helpers/pandapower';
import { testWith, toolMissing } from '../helpers/requirements';

function outaged(name: string, branchRows: number[]): Network {
  const net = cloneNetwork(readCaseFile(casePath(name)));
  for (const b of branchRows) net.branch.status[b - 1] = 0;
  return net;
}

/** Cut-off buses and their load, found by the scenario module's own union-find (an independent count). */
function cutOffLoad(net: Network, branchRows: number[]): { buses: number[]; pd: number } {
  const r = new IslandChecker(net).check(new Set(), new Set());
  expect(r.ok).toBe(false);
  const buses = r.ok ? [] : r.cutOff;
  expect(branchRows.length).toBeGreaterThan(0);
  return { buses, pd: buses.reduce((a, b) => a + net.bus.Pd[net.busIndex.get(b) as number], 0) };
}

const OUTAGES: [string, number[]][] = [
  ['case14', [14]], // bus 8 (synchronous condenser, no load)
  ['case30', [34]], // bus 26, 3.5 MW
  ['case118', [183]], // bus 116, 184 MW and its generator
  ['case118', [133]], // buses 86 and 87, 21 MW
  ['case9', [1]], // everything but the reference bus 1: 315 MW
];

const withPandapower = testWith('pandapower', 'tests/solvers/islands.test.ts (pandapower references)');
const pp = { ok: !toolMissing('pandapower') };
/** pandapower's results for every reference comparison below, computed in one python run */
const refs = new Map<string, PandapowerResult>();
const refKey = (name: string, rows: number[], task: string, slack: number[] = []) =>
  `${name}:${rows.join(',')}:${task}:${slack.join(',')}`;

beforeAll(async () => {
  await prepareSolvers('opf_dc');
  if (!pp.ok) return;
  const jobs: (PandapowerJob & { key: string })[] = [];
  for (const [name, rows] of OUTAGES) {
    for (const task of ['pf_ac', 'pf_dc'] as const)
      jobs.push({ key: refKey(name, rows, task), net: outaged(name, rows), task });
  }
  for (const task of ['pf_ac', 'pf_dc'] as const)
    jobs.push({ key: refKey('case9', [1], task, [2]), net: outaged('case9', [1]), task, slackBuses: [2] });
  for (const task of ['opf_dc', 'opf_ac'] as const)
    jobs.push({ key: refKey('case14', [14], task), net: outaged('case14', [14]), task });
  pandapowerPf(jobs).forEach((r, k) => refs.set(jobs[k].key, r));
}, 300_000);

function reference(key: string): PandapowerResult {
  return refs.get(key) as PandapowerResult;
}

describe('the island rule (deenergize, the default)', () => {
  test('case14 branch 14 outage: every task is ok, bus 8 de-energized, its load (0 MW) lost', () => {
    const net = outaged('case14', [14]);
    for (const task of TASKS) {
      const j = solveJob(task, net);
      expect({ task, ok: j.solution.converged, error: j.solution.error }).toEqual({ task, ok: true, error: null });
      expect(j.islands).toEqual({ islandedBuses: [8], loadLostMw: 0, genLostMw: 0, addedReferences: [] });
      const b8 = net.busIndex.get(8) as number;
      expect(j.solution.bus.vm[b8]).toBeNaN();
      expect(j.solution.branch.pf[13]).toBe(0);
      expect(j.solution.gen.pg[4]).toBe(0); // the condenser at bus 8
      expect(j.net.gen.status[4]).toBe(0);
      expect(j.net.bus.type[b8]).toBe(4);
    }
    expect(net.bus.type[net.busIndex.get(8) as number]).toBe(2); // the input is not changed
  });

  withPandapower.each(OUTAGES)(
    '%s outage of branch %j: energized part equals pandapower (runpp, rundcpp)',
    (name, rows) => {
      const net = outaged(name, rows);
      const cut = cutOffLoad(net, rows);
      for (const task of ['pf_ac', 'pf_dc'] as const) {
        const j = solveJob(task, net);
        expect(j.solution.converged).toBe(true);
        expect(j.islands.islandedBuses).toEqual(cut.buses);
        expect(j.islands.loadLostMw).toBeCloseTo(cut.pd, 9);
        const ref = reference(refKey(name, rows, task));
        let dv = 0,
          da = 0,
          dp = 0,
          dq = 0;
        for (let i = 0; i < net.bus.n; i++) {
          const dead = cut.buses.includes(net.bus.busI[i]);
          expect({ bus: net.bus.busI[i], pandapowerNull: ref.vm[i] === null }).toEqual({
            bus: net.bus.busI[i],
            pandapowerNull: dead,
          });
          if (dead) {
            expect(j.solution.bus.vm[i]).toBeNaN();
            continue;
          }
          if (task === 'pf_ac') dv = Math.max(dv, Math.abs(j.solution.bus.vm[i] - (ref.vm[i] as number)));
          da = Math.max(da, Math.abs(j.solution.bus.vaDeg[i] - (ref.va[i] as number)));
        }
        const s = j.solution.branch;
        for (let l = 0; l < net.branch.n; l++) {
          dp = Math.max(dp, Math.abs(s.pf[l] - (ref.pf[l] ?? 0)), Math.abs(s.pt[l] - (ref.pt[l] ?? 0)));
          if (task === 'pf_ac')
            dq = Math.max(dq, Math.abs(s.qf[l] - (ref.qf[l] ?? 0)), Math.abs(s.qt[l] - (ref.qt[l] ?? 0)));
        }
        expect({ task, dv: dv < 1e-6, da: (da * Math.PI) / 180 < 1e-6, dp: dp < 1e-4, dq: dq < 1e-4 }).toEqual({
          task,
          dv: true,
          da: true,
          dp: true,
          dq: true,
        });
      }
    },
  );

  test('OPF on the de-energized network equals OPF on the case with the island removed from its files', () => {
    const net = outaged('case9', [1]); // only bus 1 and its generator stay: 315 MW lost, nothing to dispatch
    const j = solveJob('pf_ac', net);
    expect(j.islands.loadLostMw).toBe(315);
    expect(j.islands.genLostMw).toBeCloseTo(163 + 85, 9); // Pg of gens 2 and 3 in case9
    const c14 = outaged('case14', [14]);
    const removed = withoutBuses(c14, [8]);
    for (const task of ['opf_dc', 'opf_ac'] as const) {
      const a = solveJob(task, c14).solution;
      const b = solveJob(task, removed).solution;
      expect(a.converged && b.converged).toBe(true);
      expect(Math.abs((a.objective as number) - (b.objective as number))).toBeLessThan(
        1e-6 * Math.abs(b.objective as number),
      );
      const keep = [0, 1, 2, 3]; // gens 1-4 (gen 5 sits at bus 8)
      for (const g of keep) expect(Math.abs(a.gen.pg[g] - b.gen.pg[g])).toBeLessThan(1e-4);
    }
  });
});

describe('OPF with an island de-energized, against pandapower (rundcopp, runopp)', () => {
  // pandapower's runopp tightens bus 3's Vmax to its generator's setpoint ("gen vm_pu > bus max_vm_pu"),
  // a slightly different problem: AC OPF agrees to 1e-6 relative in cost and 1e-2 MW in dispatch
  test.each([
    ['opf_dc', 1e-9, 1e-4],
    ['opf_ac', 1e-6, 1e-2],
  ] as const)("case14 branch 14: %s objective and dispatch equal pandapower's", (task, relObj, mw) => {
    const j = solveJob(task, outaged('case14', [14]));
    expect(j.solution.converged).toBe(true);
    const ref = reference(refKey('case14', [14], task));
    expect(
      Math.abs((j.solution.objective as number) - (ref.objective as number)) / (ref.objective as number),
    ).toBeLessThan(relObj);
    j.solution.gen.pg.forEach((p, g) => expect(Math.abs(p - ((ref.pg as number[])[g] ?? 0))).toBeLessThan(mw));
  });
});

describe('islands: slack_per_island and fail', () => {
  withPandapower(
    'case9 branch 1: the island with generation runs with its largest generator (gen 2, bus 2) as reference, as pandapower with that slack',
    () => {
      const net = outaged('case9', [1]);
      const plan = planIslands(net, 'slack_per_island');
      expect(plan.ok && plan.outcome).toEqual({ islandedBuses: [], loadLostMw: 0, genLostMw: 0, addedReferences: [2] });
      for (const task of ['pf_ac', 'pf_dc'] as const) {
        const j = solveJob(task, net, 'slack_per_island');
        expect(j.solution.converged).toBe(true);
        const ref = reference(refKey('case9', [1], task, [2]));
        for (let i = 0; i < net.bus.n; i++) {
          if (task === 'pf_ac') expect(Math.abs(j.solution.bus.vm[i] - (ref.vm[i] as number))).toBeLessThan(1e-6);
          expect(Math.abs(j.solution.bus.vaDeg[i] - (ref.va[i] as number))).toBeLessThan(1e-6);
        }
        for (let l = 0; l < net.branch.n; l++)
          expect(Math.abs(j.solution.branch.pf[l] - (ref.pf[l] ?? 0))).toBeLessThan(1e-4);
      }
    },
  );

  test('an island without generation is de-energized even with slack_per_island; fail keeps the old failed job', () => {
    const net = outaged('case30', [34]);
    expect(solveJob('pf_ac', net, 'slack_per_island').islands).toEqual({
      islandedBuses: [26],
      loadLostMw: 3.5,
      genLostMw: 0,
      addedReferences: [],
    });
    for (const task of TASKS) {
      const j = solveJob(task, net, 'fail');
      expect(j.solution.converged).toBe(false);
      expect(j.solution.error).toBe(
        'the network is split (islands: fail): bus 26 is not connected to a reference bus through in-service branches',
      );
    }
    expect(DEFAULT_ISLAND_MODE).toBe('deenergize');
  });

  test('a connected network is passed through untouched', () => {
    const net = readCaseFile(casePath('case14'));
    const plan = planIslands(net);
    expect(plan.ok && plan.net).toBe(net);
  });
});

/** The case with the given buses, their generators (and gencost rows) and their branches deleted. */
function withoutBuses(net: Network, buses: number[]): Network {
  const out = cloneNetwork(net);
  const gone = new Set(buses);
  const keepBus = [...Array(net.bus.n).keys()].filter((i) => !gone.has(net.bus.busI[i]));
  const keepGen = [...Array(net.gen.n).keys()].filter((g) => !gone.has(net.gen.bus[g]));
  const keepBr = [...Array(net.branch.n).keys()].filter(
    (l) => !gone.has(net.branch.fbus[l]) && !gone.has(net.branch.tbus[l]),
  );
  const filter = (t: { n: number }, rows: number[]) => {
    const rec = t as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(rec)) {
      if (v instanceof Float64Array) rec[k] = Float64Array.from(rows, (r) => v[r]);
      else if (Array.isArray(v))
        rec[k] = v.map((a) => (a instanceof Float64Array ? Float64Array.from(rows, (r) => a[r]) : a));
    }
    rec.n = rows.length;
  };
  filter(out.bus, keepBus);
  filter(out.gen, keepGen);
  filter(out.branch, keepBr);
  out.gencost = keepGen.map((g) => net.gencost[g]);
  out.busIndex = new Map(keepBus.map((r, k) => [net.bus.busI[r], k]));
  return out;
}

describe('IslandPlanCache (the time slices of one outage share one connectivity analysis)', () => {
  test('gives what planIslands gives, for every mode, when only loads and dispatch change between calls', () => {
    const cache = new IslandPlanCache(4);
    for (const [name, rows] of [...OUTAGES, ['case14', []] as [string, number[]]]) {
      for (const mode of ISLAND_MODES) {
        for (const scale of [1, 0.8, 1.3]) {
          const net = outaged(name, rows);
          for (let i = 0; i < net.bus.n; i++) net.bus.Pd[i] *= scale;
          for (let g = 0; g < net.gen.n; g++) net.gen.Pg[g] *= scale;
          const a = cache.plan(net, mode),
            b = planIslands(net, mode);
          expect(a.ok).toBe(b.ok);
          if (a.ok && b.ok) {
            expect(a.outcome).toEqual(b.outcome);
            expect(Array.from(a.net.bus.type)).toEqual(Array.from(b.net.bus.type));
            expect(Array.from(a.net.gen.status)).toEqual(Array.from(b.net.gen.status));
            expect(Array.from(a.net.branch.status)).toEqual(Array.from(b.net.branch.status));
          } else expect(a).toEqual(b);
        }
      }
    }
  });
});
