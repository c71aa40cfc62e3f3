/**
 * The result tables of a task (bus, branch, gen, summary) as Parquet columns. One schema per task,
 * the same in every partition; every row carries scenario_id and time so a reader never needs
 * the folder names. Failed jobs appear only in `summary` (with their error).
 */
import { IslandOutcome } from '../solvers/islands';
import { Network } from '../grid/network';
import { Solution, Task } from '../solvers/solution';
import { Column } from './parquet';

export const RESULT_TABLES = ['bus', 'branch', 'gen', 'summary'] as const;
export type ResultTable = (typeof RESULT_TABLES)[number];

export interface SolvedJob {
  jobId: string;
  scenarioId: string;
  time: string | null;
  /** the network the job solved (after the scenario and the time slice were applied) */
  net: Network;
  solution: Solution;
  /** what the island rule de-energized (absent = nothing) */
  islands?: IslandOutcome;
}

const isAc = (t: Task) => t === 'pf_ac' || t === 'opf_ac';
const isOpf = (t: Task) => t === 'opf_dc' || t === 'opf_ac';

export function jobIdOf(task: Task, scenarioId: string, time: string | null): string {
  return `${task}:${scenarioId}:${time ?? '-'}`;
}

/** Loading of a branch in percent of rateA (null where rateA is 0 = unlimited). */
export function loadingPct(net: Network, s: Solution, l: number): number | null {
  const rate = net.branch.rateA[l];
  if (!(rate > 0)) return null;
  const { pf, qf, pt, qt } = s.branch;
  const sf = Math.hypot(pf[l], qf[l]);
  const st = Math.hypot(pt[l], qt[l]);
  return (100 * Math.max(sf, st)) / rate;
}

class Cols {
  readonly cols = new Map<string, Column>();
  add(name: string, type: Column['type']): (string | number | boolean | null)[] {
    const data: (string | number | boolean | null)[] = [];
    this.cols.set(name, { name, type, data });
    return data;
  }
  list(): Column[] {
    return [...this.cols.values()];
  }
}

export function busTable(task: Task, jobs: SolvedJob[]): Column[] {
  const c = new Cols();
  const sid = c.add('scenario_id', 'STRING'),
    time = c.add('time', 'STRING'),
    id = c.add('bus_id', 'INT32');
  const vm = c.add('vm_pu', 'DOUBLE'),
    va = c.add('va_deg', 'DOUBLE');
  const p = isAc(task) ? c.add('p_mw', 'DOUBLE') : null;
  const q = isAc(task) ? c.add('q_mvar', 'DOUBLE') : null;
  const lam = isOpf(task) ? c.add('lam_p', 'DOUBLE') : null;
  for (const j of jobs) {
    if (!j.solution.converged) continue;
    const b = j.solution.bus;
    for (let i = 0; i < j.net.bus.n; i++) {
      sid.push(j.scenarioId);
      time.push(j.time);
      id.push(j.net.bus.busI[i]);
      vm.push(b.vm[i]);
      va.push(b.vaDeg[i]);
      p?.push(b.pMw ? b.pMw[i] : null);
      q?.push(b.qMvar ? b.qMvar[i] : null);
      lam?.push(b.lamP ? b.lamP[i] : null);
    }
  }
  return c.list();
}

export function branchTable(task: Task, jobs: SolvedJob[]): Column[] {
  const c = new Cols();
  const sid = c.add('scenario_id', 'STRING'),
    time = c.add('time', 'STRING'),
    idx = c.add('branch_index', 'INT32');
  const fb = c.add('from_bus', 'INT32'),
    tb = c.add('to_bus', 'INT32'),
    on = c.add('in_service', 'BOOLEAN');
  const pf = c.add('pf_mw', 'DOUBLE'),
    qf = c.add('qf_mvar', 'DOUBLE'),
    pt = c.add('pt_mw', 'DOUBLE'),
    qt = c.add('qt_mvar', 'DOUBLE');
  const load = c.add('loading_pct', 'DOUBLE');
  const lp = isAc(task) ? c.add('loss_mw', 'DOUBLE') : null;
  const lq = isAc(task) ? c.add('loss_mvar', 'DOUBLE') : null;
  for (const j of jobs) {
    if (!j.solution.converged) continue;
    const s = j.solution.branch;
    const br = j.net.branch;
    for (let l = 0; l < br.n; l++) {
      sid.push(j.scenarioId);
      time.push(j.time);
      idx.push(l + 1);
      fb.push(br.fbus[l]);
      tb.push(br.tbus[l]);
      on.push(br.status[l] !== 0);
      pf.push(s.pf[l]);
      qf.push(s.qf[l]);
      pt.push(s.pt[l]);
      qt.push(s.qt[l]);
      load.push(loadingPct(j.net, j.solution, l));
      lp?.push(s.pf[l] + s.pt[l]);
      lq?.push(s.qf[l] + s.qt[l]);
    }
  }
  return c.list();
}

export function genTable(_task: Task, jobs: SolvedJob[]): Column[] {
  const c = new Cols();
  const sid = c.add('scenario_id', 'STRING'),
    time = c.add('time', 'STRING'),
    idx = c.add('gen_index', 'INT32');
  const bus = c.add('bus_id', 'INT32'),
    on = c.add('in_service', 'BOOLEAN');
  const pg = c.add('pg_mw', 'DOUBLE'),
    qg = c.add('qg_mvar', 'DOUBLE');
  for (const j of jobs) {
    if (!j.solution.converged) continue;
    const g = j.net.gen;
    for (let k = 0; k < g.n; k++) {
      sid.push(j.scenarioId);
      time.push(j.time);
      idx.push(k + 1);
      bus.push(g.bus[k]);
      on.push(g.status[k] > 0);
      pg.push(j.solution.gen.pg[k]);
      qg.push(j.solution.gen.qg[k]);
    }
  }
  return c.list();
}

export interface JobKpis {
  lossesMw: number | null;
  maxLoadingPct: number | null;
  overloaded: number;
  voltageViolations: number;
}

/** Per-job indicators for the summary table (violations counted against rateA and Vmin/Vmax). */
export function jobKpis(task: Task, net: Network, s: Solution): JobKpis {
  if (!s.converged) return { lossesMw: null, maxLoadingPct: null, overloaded: 0, voltageViolations: 0 };
  let losses = 0,
    maxLoad: number | null = null,
    over = 0,
    vv = 0;
  for (let l = 0; l < net.branch.n; l++) {
    if (net.branch.status[l] === 0) continue;
    losses += s.branch.pf[l] + s.branch.pt[l];
    const ld = loadingPct(net, s, l);
    if (ld !== null) {
      maxLoad = maxLoad === null ? ld : Math.max(maxLoad, ld);
      if (ld > 100 + 1e-6) over++;
    }
  }
  if (isAc(task)) {
    for (let i = 0; i < net.bus.n; i++) {
      if (net.bus.type[i] === 4) continue;
      const v = s.bus.vm[i];
      if (v > net.bus.Vmax[i] + 1e-6 || v < net.bus.Vmin[i] - 1e-6) vv++;
    }
  }
  return { lossesMw: isAc(task) ? losses : 0, maxLoadingPct: maxLoad, overloaded: over, voltageViolations: vv };
}

export function summaryTable(task: Task, jobs: SolvedJob[]): Column[] {
  const c = new Cols();
  const sid = c.add('scenario_id', 'STRING'),
    time = c.add('time', 'STRING'),
    jid = c.add('job_id', 'STRING');
  const status = c.add('status', 'STRING'),
    conv = c.add('converged', 'BOOLEAN'),
    it = c.add('iterations', 'INT32');
  const ms = c.add('solve_ms', 'DOUBLE'),
    obj = c.add('objective', 'DOUBLE'),
    loss = c.add('losses_mw', 'DOUBLE');
  const ml = c.add('max_loading_pct', 'DOUBLE'),
    ov = c.add('n_overloaded', 'INT32'),
    vv = c.add('n_voltage_violations', 'INT32');
  const err = c.add('error', 'STRING');
  const nIsl = c.add('islanded_buses', 'INT32'),
    islIds = c.add('islanded_bus_ids', 'STRING');
  const loadLost = c.add('load_lost_mw', 'DOUBLE'),
    genLost = c.add('gen_lost_mw', 'DOUBLE');
  for (const j of jobs) {
    const s = j.solution;
    const k = jobKpis(task, j.net, s);
    sid.push(j.scenarioId);
    time.push(j.time);
    jid.push(j.jobId);
    status.push(s.converged ? 'ok' : 'failed');
    conv.push(s.converged);
    it.push(s.iterations);
    ms.push(s.solveMs);
    obj.push(s.objective);
    loss.push(k.lossesMw);
    ml.push(k.maxLoadingPct);
    ov.push(k.overloaded);
    vv.push(k.voltageViolations);
    err.push(s.error);
    const isl = j.islands;
    nIsl.push(isl ? isl.islandedBuses.length : 0);
    islIds.push(isl && isl.islandedBuses.length ? isl.islandedBuses.join(',') : null);
    // a failed job lost nothing it could report: its load lost is unknown
    loadLost.push(s.converged ? (isl?.loadLostMw ?? 0) : null);
    genLost.push(s.converged ? (isl?.genLostMw ?? 0) : null);
  }
  return c.list();
}

export function resultTable(table: ResultTable, task: Task, jobs: SolvedJob[]): Column[] {
  switch (table) {
    case 'bus':
      return busTable(task, jobs);
    case 'branch':
      return branchTable(task, jobs);
    case 'gen':
      return genTable(task, jobs);
    case 'summary':
      return summaryTable(task, jobs);
  }
}
