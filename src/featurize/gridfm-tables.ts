/**
 * gridfm-datakit's Parquet layout (gridfm_datakit 1.1: save.py, utils/column_names.py), so that
 * its own readers and `gridfm_datakit.validation.validate_generated_data` accept our export:
 *
 *   <data_dir>/<network>/raw/n_scenarios.txt                       number of samples
 *   <data_dir>/<network>/raw/<table>.parquet/scenario_partition=<k>/part-0.parquet   Hive partitions
 *
 * tables bus_data, gen_data, branch_data, y_bus_data, runtime_data; `scenario` numbers the
 * samples 0..N-1 contiguously and partition k holds scenarios [200k, 200k + 200). Units and
 * conventions as gridfm writes them: buses, generators and branches by 0-based row (every row,
 * out-of-service ones with br_status / in_service 0 and zero flows and admittances), powers in
 * MW / MVAr, voltages in p.u. and degrees in [-180, 180), r, x, b, GS, BS, Y in p.u.,
 * shift / ang_min / ang_max in degrees, rate_a in MVA, bus types one-hot after MATPOWER's
 * bustypes, costs cp0 $/h, cp1 $/MWh, cp2 $/MW^2h, runtime `ac` in seconds.
 * gridbatch adds `split` to every table and scenario_id, time, graph_id, job_id to runtime_data;
 * `load_scenario_idx` is the job's graph_id (its position in batch_manifest.json).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic';
import { writeParquetAtomic } from '../io/parquet';
import { bustypes, elementStatus } from '../solvers/bustypes';
import { PQ, PV, REF } from '../grid/network';
import { branchAdmittances } from '../solvers/makeYbus';
import { ColumnSet, Cell } from '../io/columns';
import { cellNum } from '../io/read-results';
import { quadraticCost, tapRatio } from './network-features';
import { JobGraph } from './job-graph';

export const GRIDFM_SCENARIOS_PER_PARTITION = 200;
export const GRIDFM_TABLES = ['bus_data', 'gen_data', 'branch_data', 'y_bus_data', 'runtime_data'] as const;
export type GridfmTable = (typeof GRIDFM_TABLES)[number];

const COLUMNS: Record<GridfmTable, [string, 'INT32' | 'DOUBLE' | 'STRING'][]> = {
  bus_data: [
    ['scenario', 'INT32'],
    ['load_scenario_idx', 'INT32'],
    ['bus', 'INT32'],
    ['Pd', 'DOUBLE'],
    ['Qd', 'DOUBLE'],
    ['Pg', 'DOUBLE'],
    ['Qg', 'DOUBLE'],
    ['Vm', 'DOUBLE'],
    ['Va', 'DOUBLE'],
    ['PQ', 'INT32'],
    ['PV', 'INT32'],
    ['REF', 'INT32'],
    ['vn_kv', 'DOUBLE'],
    ['min_vm_pu', 'DOUBLE'],
    ['max_vm_pu', 'DOUBLE'],
    ['GS', 'DOUBLE'],
    ['BS', 'DOUBLE'],
    ['split', 'STRING'],
  ],
  gen_data: [
    ['scenario', 'INT32'],
    ['load_scenario_idx', 'INT32'],
    ['idx', 'INT32'],
    ['bus', 'INT32'],
    ['p_mw', 'DOUBLE'],
    ['q_mvar', 'DOUBLE'],
    ['min_p_mw', 'DOUBLE'],
    ['max_p_mw', 'DOUBLE'],
    ['min_q_mvar', 'DOUBLE'],
    ['max_q_mvar', 'DOUBLE'],
    ['cp0_eur', 'DOUBLE'],
    ['cp1_eur_per_mw', 'DOUBLE'],
    ['cp2_eur_per_mw2', 'DOUBLE'],
    ['in_service', 'INT32'],
    ['is_slack_gen', 'INT32'],
    ['split', 'STRING'],
  ],
  branch_data: [
    ['scenario', 'INT32'],
    ['load_scenario_idx', 'INT32'],
    ['idx', 'INT32'],
    ['from_bus', 'INT32'],
    ['to_bus', 'INT32'],
    ['pf', 'DOUBLE'],
    ['qf', 'DOUBLE'],
    ['pt', 'DOUBLE'],
    ['qt', 'DOUBLE'],
    ['r', 'DOUBLE'],
    ['x', 'DOUBLE'],
    ['b', 'DOUBLE'],
    ['Yff_r', 'DOUBLE'],
    ['Yff_i', 'DOUBLE'],
    ['Yft_r', 'DOUBLE'],
    ['Yft_i', 'DOUBLE'],
    ['Ytf_r', 'DOUBLE'],
    ['Ytf_i', 'DOUBLE'],
    ['Ytt_r', 'DOUBLE'],
    ['Ytt_i', 'DOUBLE'],
    ['tap', 'DOUBLE'],
    ['shift', 'DOUBLE'],
    ['ang_min', 'DOUBLE'],
    ['ang_max', 'DOUBLE'],
    ['rate_a', 'DOUBLE'],
    ['br_status', 'INT32'],
    ['split', 'STRING'],
  ],
  y_bus_data: [
    ['scenario', 'INT32'],
    ['load_scenario_idx', 'INT32'],
    ['index1', 'INT32'],
    ['index2', 'INT32'],
    ['G', 'DOUBLE'],
    ['B', 'DOUBLE'],
    ['split', 'STRING'],
  ],
  runtime_data: [
    ['scenario', 'INT32'],
    ['load_scenario_idx', 'INT32'],
    ['ac', 'DOUBLE'],
    ['split', 'STRING'],
    ['scenario_id', 'STRING'],
    ['time', 'STRING'],
    ['graph_id', 'INT32'],
    ['job_id', 'STRING'],
  ],
};

/** The columns of every table (for the dataset card). */
export function gridfmColumns(): Record<GridfmTable, { name: string; type: string }[]> {
  return Object.fromEntries(
    GRIDFM_TABLES.map((t) => [t, COLUMNS[t].map(([name, type]) => ({ name, type }))]),
  ) as Record<GridfmTable, { name: string; type: string }[]>;
}

class Table {
  readonly set = new ColumnSet();
  readonly col: Record<string, Cell[]> = {};
  constructor(t: GridfmTable) {
    for (const [n, ty] of COLUMNS[t]) this.col[n] = this.set.add(n, ty);
  }
  push(row: Record<string, Cell>): void {
    for (const k in this.col) this.col[k].push(row[k] ?? null);
  }
}

/** Angle in degrees wrapped to [-180, 180), as gridfm stores Va. */
const wrapDeg = (a: number): number => ((((a + 180) % 360) + 360) % 360) - 180;

/** One sample's rows in the five tables. `scenario` is its contiguous sample number. */
export function addGridfmSample(
  t: Record<GridfmTable, Table>,
  j: JobGraph,
  scenario: number,
  solveSeconds: number,
): void {
  const net = j.net,
    b = net.bus,
    base = net.baseMVA,
    st = elementStatus(net),
    types = bustypes(net, st).typeAfter;
  const key = { scenario, load_scenario_idx: j.graphId, split: j.split };
  const pg = new Float64Array(b.n),
    qg = new Float64Array(b.n);
  const g = net.gen;
  for (let k = 0; k < g.n; k++) {
    const on = st.genOn[k] === 1,
      r = j.gen.get(k + 1);
    const p = on ? (cellNum(r, 'pg_mw') as number) : 0,
      q = on ? (cellNum(r, 'qg_mvar') as number) : 0;
    if (on) {
      pg[st.genBus[k]] += p;
      qg[st.genBus[k]] += q;
    }
    const [c2, c1, c0] = quadraticCost(net.gencost[k]);
    t.gen_data.push({
      ...key,
      idx: k,
      bus: st.genBus[k],
      p_mw: p,
      q_mvar: q,
      min_p_mw: g.Pmin[k],
      max_p_mw: g.Pmax[k],
      min_q_mvar: g.Qmin[k],
      max_q_mvar: g.Qmax[k],
      cp0_eur: c0,
      cp1_eur_per_mw: c1,
      cp2_eur_per_mw2: c2,
      in_service: on ? 1 : 0,
      is_slack_gen: types[st.genBus[k]] === REF ? 1 : 0,
    });
  }
  for (let i = 0; i < b.n; i++) {
    const r = j.bus.get(b.busI[i]);
    t.bus_data.push({
      ...key,
      bus: i,
      Pd: b.Pd[i],
      Qd: b.Qd[i],
      Pg: pg[i],
      Qg: qg[i],
      Vm: cellNum(r, 'vm_pu'),
      Va: wrapDeg(cellNum(r, 'va_deg') as number),
      PQ: types[i] === PQ ? 1 : 0,
      PV: types[i] === PV ? 1 : 0,
      REF: types[i] === REF ? 1 : 0,
      vn_kv: b.baseKV[i],
      min_vm_pu: b.Vmin[i],
      max_vm_pu: b.Vmax[i],
      GS: b.Gs[i] / base,
      BS: b.Bs[i] / base,
    });
  }
  const br = net.branch,
    y = branchAdmittances(net, st);
  const ybus = new Map<number, [number, number]>();
  const addY = (i: number, k: number, re: number, im: number) => {
    const id = i * b.n + k,
      v = ybus.get(id);
    if (v) {
      v[0] += re;
      v[1] += im;
    } else ybus.set(id, [re, im]);
  };
  for (let l = 0; l < br.n; l++) {
    const on = st.branchOn[l] === 1,
      r = j.branch.get(l + 1);
    const flow = (c: string) => (on ? (cellNum(r, c) as number) : 0);
    t.branch_data.push({
      ...key,
      idx: l,
      from_bus: st.f[l],
      to_bus: st.t[l],
      pf: flow('pf_mw'),
      qf: flow('qf_mvar'),
      pt: flow('pt_mw'),
      qt: flow('qt_mvar'),
      r: br.r[l],
      x: br.x[l],
      b: br.b[l],
      Yff_r: y.Yff.re[l],
      Yff_i: y.Yff.im[l],
      Yft_r: y.Yft.re[l],
      Yft_i: y.Yft.im[l],
      Ytf_r: y.Ytf.re[l],
      Ytf_i: y.Ytf.im[l],
      Ytt_r: y.Ytt.re[l],
      Ytt_i: y.Ytt.im[l],
      tap: tapRatio(net, l),
      shift: br.angle[l],
      ang_min: br.angmin[l],
      ang_max: br.angmax[l],
      rate_a: br.rateA[l],
      br_status: on ? 1 : 0,
    });
    if (!on) continue;
    addY(st.f[l], st.f[l], y.Yff.re[l], y.Yff.im[l]);
    addY(st.f[l], st.t[l], y.Yft.re[l], y.Yft.im[l]);
    addY(st.t[l], st.f[l], y.Ytf.re[l], y.Ytf.im[l]);
    addY(st.t[l], st.t[l], y.Ytt.re[l], y.Ytt.im[l]);
  }
  for (let i = 0; i < b.n; i++) if (st.busOn[i]) addY(i, i, b.Gs[i] / base, b.Bs[i] / base);
  // the nonzeros in row-major order, as numpy's nonzero gives them
  for (const id of [...ybus.keys()].sort((p, q) => p - q)) {
    const [re, im] = ybus.get(id)!;
    if (re === 0 && im === 0) continue;
    t.y_bus_data.push({ ...key, index1: Math.floor(id / b.n), index2: id % b.n, G: re, B: im });
  }
  t.runtime_data.push({
    ...key,
    ac: solveSeconds,
    scenario_id: j.scenario.scenarioId,
    time: j.time,
    graph_id: j.graphId,
    job_id: j.jobId,
  });
}

/** Writes samples in order, a partition of 200 at a time; close() writes n_scenarios.txt. */
export class GridfmWriter {
  private tables = GridfmWriter.empty();
  private inPartition = 0;
  private partition = 0;
  samples = 0;

  constructor(readonly rawDir: string) {
    for (const name of GRIDFM_TABLES) rmSync(join(rawDir, `${name}.parquet`), { recursive: true, force: true });
    rmSync(join(rawDir, 'n_scenarios.txt'), { force: true });
  }

  private static empty(): Record<GridfmTable, Table> {
    return Object.fromEntries(GRIDFM_TABLES.map((t) => [t, new Table(t)])) as Record<GridfmTable, Table>;
  }

  /** gridfm's file_paths for validate_generated_data. */
  filePaths(): Record<GridfmTable, string> {
    return Object.fromEntries(GRIDFM_TABLES.map((t) => [t, join(this.rawDir, `${t}.parquet`)])) as Record<
      GridfmTable,
      string
    >;
  }

  add(j: JobGraph, solveSeconds: number): number {
    const n = this.samples++;
    addGridfmSample(this.tables, j, n, solveSeconds);
    if (++this.inPartition === GRIDFM_SCENARIOS_PER_PARTITION) this.flush();
    return n;
  }

  private flush(): void {
    if (this.inPartition === 0) return;
    for (const name of GRIDFM_TABLES) {
      writeParquetAtomic(
        join(this.rawDir, `${name}.parquet`, `scenario_partition=${this.partition}`, 'part-0.parquet'),
        this.tables[name].set.list(),
      );
    }
    this.partition++;
    this.inPartition = 0;
    this.tables = GridfmWriter.empty();
  }

  close(): void {
    this.flush();
    writeFileAtomic(join(this.rawDir, 'n_scenarios.txt'), String(this.samples));
  }
}
