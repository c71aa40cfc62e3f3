/**
 * The result tables of a task (bus, branch, gen, summary) as Parquet columns. One schema per task,
 * the same in every partition; every row carries scenario_id and time so a reader never needs
 * the folder names. Failed jobs appear only in `summary` (with their error).
 */
import { IslandOutcome } from '../solvers/islands';
import { Network } from '../grid/network';
import { Solution, Task } from '../solvers/solution';
import { Column } from './parquet';
import { RunFilledColumn } from './parquet-value-runs';

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
  return rate > 0 ? loadingAt(rate, s.branch, l) : null;
}

/** loadingPct of branch `l` whose rateA is `rate` (> 0). */
const loadingAt = (rate: number, b: Solution['branch'], l: number): number =>
  (100 * Math.max(magnitude(b.pf[l], b.qf[l]), magnitude(b.pt[l], b.qt[l]))) / rate;

/**
 * Math.hypot(p, q), with q = 0 (every reactive flow of a DC solve) as |p|: the same value, bit
 * for bit, without the builtin's call (~50 ns, twice per branch and job, in two tables).
 */
const magnitude = (p: number, q: number): number => (q === 0 ? Math.abs(p) : Math.hypot(p, q));

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

/**
 * Columns of a table with one row per bus, branch or generator of each converged job, filled
 * by row index: DOUBLE columns as Float64Array (NaN where a value is missing, written as null),
 * INT32 columns as Int32Array, so a part's hundreds of thousands of values are neither boxed nor
 * pushed one by one, and the Parquet writer takes their bytes as they are.
 */
class ElementCols {
  readonly cols: Column[] = [];
  constructor(readonly rows: number) {}
  f64(name: string): Float64Array {
    const data = new Float64Array(this.rows);
    this.cols.push({ name, type: 'DOUBLE', data });
    return data;
  }
  i32(name: string): Int32Array {
    const data = new Int32Array(this.rows);
    this.cols.push({ name, type: 'INT32', data });
    return data;
  }
  other(name: string, type: 'STRING' | 'BOOLEAN'): (string | boolean | null)[] {
    const data = new Array<string | boolean | null>(this.rows);
    this.cols.push({ name, type, data });
    return data;
  }
  /** A STRING column filled by runs of one value (parquet-value-runs.ts); call done() when filled. */
  runs(name: string): RunFilledColumn {
    const c = new RunFilledColumn(this.rows);
    this.cols.push({ name, type: 'STRING', data: c.data });
    return c;
  }
}

/** Rows of an element table: `count` of each converged job. */
function elementRows(jobs: SolvedJob[], count: (j: SolvedJob) => number): number {
  let rows = 0;
  for (const j of jobs) if (j.solution.converged) rows += count(j);
  return rows;
}

export function busTable(task: Task, jobs: SolvedJob[]): Column[] {
  const c = new ElementCols(elementRows(jobs, (j) => j.net.bus.n));
  const sid = c.runs('scenario_id'),
    time = c.runs('time'),
    id = c.i32('bus_id');
  const vm = c.f64('vm_pu'),
    va = c.f64('va_deg');
  const p = isAc(task) ? c.f64('p_mw') : null;
  const q = isAc(task) ? c.f64('q_mvar') : null;
  const lam = isOpf(task) ? c.f64('lam_p') : null;
  let r = 0;
  for (const j of jobs) {
    if (!j.solution.converged) continue;
    const b = j.solution.bus;
    const n = j.net.bus.n;
    sid.fill(j.scenarioId, r, r + n);
    time.fill(j.time, r, r + n);
    id.set(j.net.bus.busI.subarray(0, n), r);
    vm.set(b.vm.subarray(0, n), r);
    va.set(b.vaDeg.subarray(0, n), r);
    if (p) p.set(b.pMw ? b.pMw.subarray(0, n) : new Float64Array(n).fill(NaN), r);
    if (q) q.set(b.qMvar ? b.qMvar.subarray(0, n) : new Float64Array(n).fill(NaN), r);
    if (lam) lam.set(b.lamP ? b.lamP.subarray(0, n) : new Float64Array(n).fill(NaN), r);
    r += n;
  }
  sid.done();
  time.done();
  return c.cols;
}

export function branchTable(task: Task, jobs: SolvedJob[]): Column[] {
  const c = new ElementCols(elementRows(jobs, (j) => j.net.branch.n));
  const sid = c.runs('scenario_id'),
    time = c.runs('time'),
    idx = c.i32('branch_index');
  const fb = c.i32('from_bus'),
    tb = c.i32('to_bus'),
    on = c.other('in_service', 'BOOLEAN');
  const pf = c.f64('pf_mw'),
    qf = c.f64('qf_mvar'),
    pt = c.f64('pt_mw'),
    qt = c.f64('qt_mvar');
  const load = c.f64('loading_pct');
  const lp = isAc(task) ? c.f64('loss_mw') : null;
  const lq = isAc(task) ? c.f64('loss_mvar') : null;
  let r = 0;
  for (const j of jobs) {
    if (!j.solution.converged) continue;
    const s = j.solution.branch;
    const br = j.net.branch;
    const n = br.n;
    sid.fill(j.scenarioId, r, r + n);
    time.fill(j.time, r, r + n);
    fb.set(br.fbus.subarray(0, n), r);
    tb.set(br.tbus.subarray(0, n), r);
    pf.set(s.pf.subarray(0, n), r);
    qf.set(s.qf.subarray(0, n), r);
    pt.set(s.pt.subarray(0, n), r);
    qt.set(s.qt.subarray(0, n), r);
    for (let l = 0; l < n; l++) {
      idx[r + l] = l + 1;
      on[r + l] = br.status[l] !== 0;
      const rate = br.rateA[l];
      load[r + l] = rate > 0 ? loadingAt(rate, s, l) : NaN; // loadingPct, null as NaN
      if (lp) lp[r + l] = s.pf[l] + s.pt[l];
      if (lq) lq[r + l] = s.qf[l] + s.qt[l];
    }
    r += n;
  }
  sid.done();
  time.done();
  return c.cols;
}

export function genTable(_task: Task, jobs: SolvedJob[]): Column[] {
  const c = new ElementCols(elementRows(jobs, (j) => j.net.gen.n));
  const sid = c.runs('scenario_id'),
    time = c.runs('time'),
    idx = c.i32('gen_index');
  const bus = c.i32('bus_id'),
    on = c.other('in_service', 'BOOLEAN');
  const pg = c.f64('pg_mw'),
    qg = c.f64('qg_mvar');
  let r = 0;
  for (const j of jobs) {
    if (!j.solution.converged) continue;
    const g = j.net.gen;
    const n = g.n;
    sid.fill(j.scenarioId, r, r + n);
    time.fill(j.time, r, r + n);
    bus.set(g.bus.subarray(0, n), r);
    pg.set(j.solution.gen.pg.subarray(0, n), r);
    qg.set(j.solution.gen.qg.subarray(0, n), r);
    for (let k = 0; k < n; k++) {
      idx[r + k] = k + 1;
      on[r + k] = g.status[k] > 0;
    }
    r += n;
  }
  sid.done();
  time.done();
  return c.cols;
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
    const rate = net.branch.rateA[l];
    if (rate > 0) {
      const ld = loadingAt(rate, s.branch, l); // loadingPct where it is not null
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

/** Rows `jobs` give `table` (resultTable's row count, without building it). */
export function resultTableRows(table: ResultTable, jobs: SolvedJob[]): number {
  switch (table) {
    case 'bus':
      return elementRows(jobs, (j) => j.net.bus.n);
    case 'branch':
      return elementRows(jobs, (j) => j.net.branch.n);
    case 'gen':
      return elementRows(jobs, (j) => j.net.gen.n);
    case 'summary':
      return jobs.length;
  }
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
