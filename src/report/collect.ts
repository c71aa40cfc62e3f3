/**
 * Reads a finished batch scenario by scenario (one result partition at a time) and collects
 * the KPIs of every job, their aggregates per scenario, the max loading of every rated branch
 * and the voltage range of every bus per scenario. Costs: the OPF objective where the task has
 * one, else the generation cost of the solved dispatch under the scenario's own gencost.
 */
import { cellNum, readScenarioResults, Row, timeKey } from '../io/read-results';
import { generationCost } from '../solvers/gencost';
import { jobTimes, openStudy, ScenarioNetworks, Study } from '../io/study';
import { jobIdOf } from '../io/result-tables';
import { ResolvedScenario } from '../scenarios/types';
import { BranchLoading, BusProfile, JobKpis, ScenarioKpis } from './types';

export interface ReportData {
  study: Study;
  jobs: JobKpis[];
  scenarios: ScenarioKpis[];
  loading: BranchLoading;
  buses: BusProfile;
}

const minN = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const maxN = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

function jobKpis(
  study: Study,
  nets: ScenarioNetworks,
  s: ResolvedScenario,
  time: string | null,
  row: Row | undefined,
  bus: Row[],
  gen: Row[],
): JobKpis {
  const base = { job_id: jobIdOf(study.task, s.scenarioId, time), scenario_id: s.scenarioId, time };
  const empty = {
    cost: null,
    losses_mw: null,
    max_loading_pct: null,
    n_overloaded: null,
    n_voltage_violations: null,
    vm_min_pu: null,
    vm_max_pu: null,
    load_mw: null,
    gen_mw: null,
    islanded_buses: null,
    load_lost_mw: null,
    gen_lost_mw: null,
  };
  if (!row) return { ...base, ...empty, status: 'skipped', error: 'not run' };
  if (row.status !== 'ok')
    return { ...base, ...empty, status: 'failed', error: (row.error as string | null) ?? 'failed' };
  const net = nets.at(time);
  const pg = new Array<number | null>(net.gen.n).fill(null);
  let genMw = 0;
  for (const g of gen) {
    const p = cellNum(g, 'pg_mw');
    pg[Number(g.gen_index) - 1] = p;
    if (g.in_service && p !== null) genMw += p;
  }
  let vmMin: number | null = null,
    vmMax: number | null = null;
  for (const b of bus) {
    vmMin = minN(vmMin, cellNum(b, 'vm_pu'));
    vmMax = maxN(vmMax, cellNum(b, 'vm_pu'));
  }
  let load = 0;
  for (let i = 0; i < net.bus.n; i++) load += net.bus.Pd[i];
  return {
    ...base,
    status: 'ok',
    error: null,
    cost: cellNum(row, 'objective') ?? generationCost(net, pg),
    losses_mw: cellNum(row, 'losses_mw'),
    max_loading_pct: cellNum(row, 'max_loading_pct'),
    n_overloaded: cellNum(row, 'n_overloaded'),
    n_voltage_violations: cellNum(row, 'n_voltage_violations'),
    vm_min_pu: vmMin,
    vm_max_pu: vmMax,
    load_mw: load,
    gen_mw: genMw,
    // results written before the island rule have no such columns: nothing was de-energized then
    islanded_buses: cellNum(row, 'islanded_buses') ?? 0,
    load_lost_mw: cellNum(row, 'load_lost_mw') ?? 0,
    gen_lost_mw: cellNum(row, 'gen_lost_mw') ?? 0,
  };
}

function scenarioKpis(s: ResolvedScenario, jobs: JobKpis[], overloaded: number): ScenarioKpis {
  const ok = jobs.filter((j) => j.status === 'ok');
  const costs = ok.map((j) => j.cost).filter((c): c is number => c !== null);
  const losses = ok.map((j) => j.losses_mw).filter((c): c is number => c !== null);
  let worst: JobKpis | undefined;
  for (const j of ok)
    if (j.max_loading_pct !== null && (!worst || j.max_loading_pct > (worst.max_loading_pct ?? -1))) worst = j;
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    scenario_id: s.scenarioId,
    description: s.description,
    weight: s.weight,
    jobs: jobs.length,
    ok: ok.length,
    failed: jobs.filter((j) => j.status === 'failed').length,
    skipped: jobs.filter((j) => j.status === 'skipped').length,
    cost_sum: costs.length ? sum(costs) : null,
    cost_mean: costs.length ? sum(costs) / costs.length : null,
    cost_min: costs.length ? Math.min(...costs) : null,
    cost_max: costs.length ? Math.max(...costs) : null,
    losses_mw_mean: losses.length ? sum(losses) / losses.length : null,
    losses_mw_max: losses.length ? Math.max(...losses) : null,
    max_loading_pct: worst?.max_loading_pct ?? null,
    max_loading_branch: null,
    max_loading_time: worst?.time ?? null,
    overloaded_branches: overloaded,
    overload_hours: sum(ok.map((j) => j.n_overloaded ?? 0)),
    voltage_violations: sum(ok.map((j) => j.n_voltage_violations ?? 0)),
    vm_min_pu: ok.reduce<number | null>((a, j) => minN(a, j.vm_min_pu), null),
    vm_max_pu: ok.reduce<number | null>((a, j) => maxN(a, j.vm_max_pu), null),
    islanded_buses_max: ok.reduce<number | null>((a, j) => maxN(a, j.islanded_buses), null),
    load_lost_mw_max: ok.reduce<number | null>((a, j) => maxN(a, j.load_lost_mw), null),
    first_error: jobs.find((j) => j.status === 'failed')?.error ?? null,
  };
}

export async function collectReportData(
  outDir: string,
  onProgress?: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<ReportData> {
  const study = openStudy(outDir);
  const br = study.base.branch;
  const rated: number[] = [];
  for (let l = 0; l < br.n; l++) if (br.rateA[l] > 0) rated.push(l);
  const pos = new Map(rated.map((l, k) => [l + 1, k]));
  const loading: BranchLoading = {
    branches: rated.map((l) => l + 1),
    fromBus: rated.map((l) => br.fbus[l]),
    toBus: rated.map((l) => br.tbus[l]),
    max: [],
    hoursOver: [],
  };
  const bi = new Map(Array.from(study.base.bus.busI, (b, i) => [b, i]));
  const buses: BusProfile = { busIds: Array.from(study.base.bus.busI), vmMin: [], vmMax: [], vaMin: [], vaMax: [] };
  const jobs: JobKpis[] = [];
  const scenarios: ScenarioKpis[] = [];
  const total = study.count;
  for (let k = 0; k < total; k++) {
    if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('report cancelled');
    const s = study.scenario(k);
    const res = await readScenarioResults(outDir, study.task, s.scenarioId);
    const nets = new ScenarioNetworks(study, s);
    const byTime = new Map(res.summary.map((r) => [timeKey(r.time as string | null), r]));
    const mine = jobTimes(s).map((t) =>
      jobKpis(study, nets, s, t, byTime.get(timeKey(t)), res.bus.get(timeKey(t)) ?? [], res.gen.get(timeKey(t)) ?? []),
    );
    const mx = new Float64Array(rated.length).fill(NaN),
      over = new Uint16Array(rated.length);
    let worst = { v: -Infinity, branch: null as number | null };
    for (const rows of res.branch.values()) {
      for (const r of rows) {
        const k2 = pos.get(Number(r.branch_index)),
          v = cellNum(r, 'loading_pct');
        if (k2 === undefined || v === null || !r.in_service) continue;
        if (!(mx[k2] >= v)) mx[k2] = v;
        if (v > 100 + 1e-6) over[k2]++;
        if (v > worst.v) worst = { v, branch: Number(r.branch_index) };
      }
    }
    const nb = buses.busIds.length;
    const [vmMin, vmMax, vaMin, vaMax] = [0, 1, 2, 3].map(() => new Float64Array(nb).fill(NaN));
    for (const rows of res.bus.values()) {
      for (const r of rows) {
        const i = bi.get(Number(r.bus_id)),
          vm = cellNum(r, 'vm_pu'),
          va = cellNum(r, 'va_deg');
        if (i === undefined) continue;
        if (vm !== null) {
          if (!(vmMin[i] <= vm)) vmMin[i] = vm;
          if (!(vmMax[i] >= vm)) vmMax[i] = vm;
        }
        if (va !== null) {
          if (!(vaMin[i] <= va)) vaMin[i] = va;
          if (!(vaMax[i] >= va)) vaMax[i] = va;
        }
      }
    }
    loading.max.push(mx);
    loading.hoursOver.push(over);
    buses.vmMin.push(vmMin);
    buses.vmMax.push(vmMax);
    buses.vaMin.push(vaMin);
    buses.vaMax.push(vaMax);
    const sk = scenarioKpis(
      s,
      mine,
      over.reduce((a, h) => a + (h > 0 ? 1 : 0), 0),
    );
    sk.max_loading_branch = worst.branch;
    jobs.push(...mine);
    scenarios.push(sk);
    onProgress?.(k + 1, total);
    await new Promise((r) => setImmediate(r));
  }
  return { study, jobs, scenarios, loading, buses };
}
