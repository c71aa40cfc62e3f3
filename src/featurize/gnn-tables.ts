/**
 * The homogeneous GNN layout: one graph per solved job, buses as nodes (ids 0..n-1 in case-file
 * row order, every bus of the scenario's network), in-service branches as directed edges
 * from -> to (ids 0..m-1). Static columns come from the scenario's own network, solved columns
 * from the job's result rows. Columns that a task does not give are left out of its tables
 * (reactive power for DC tasks, lam_p for power flow), as in the result tables.
 */
import { ColumnSet, num } from '../io/columns';
import { cellNum } from '../io/read-results';
import { busGenerators, inServiceBranches, isTransformer, tapRatio } from './network-features';
import { isAcTask, isOpfTask, JobGraph, netInjectionMw, solvedGenPerBus } from './job-graph';
import { Task } from '../solvers/solution';

export const GNN_TABLES = ['nodes', 'edges', 'graphs'] as const;
export type GnnTable = (typeof GNN_TABLES)[number];

export class GnnTables {
  readonly nodes = new ColumnSet();
  readonly edges = new ColumnSet();
  readonly graphs = new ColumnSet();
  private readonly n: ReturnType<GnnTables['nodeCols']>;
  private readonly e: ReturnType<GnnTables['edgeCols']>;
  private readonly g: ReturnType<GnnTables['graphCols']>;

  constructor(private readonly task: Task) {
    this.n = this.nodeCols();
    this.e = this.edgeCols();
    this.g = this.graphCols();
  }

  private nodeCols() {
    const c = this.nodes,
      ac = isAcTask(this.task);
    return {
      graph: c.add('graph_id', 'INT32'),
      node: c.add('node_id', 'INT32'),
      bus: c.add('bus_id', 'INT32'),
      type: c.add('bus_type', 'INT32'),
      kv: c.add('base_kv', 'DOUBLE'),
      vmin: c.add('vmin_pu', 'DOUBLE'),
      vmax: c.add('vmax_pu', 'DOUBLE'),
      pd: c.add('pd_mw', 'DOUBLE'),
      qd: c.add('qd_mvar', 'DOUBLE'),
      gs: c.add('gs_mw', 'DOUBLE'),
      bs: c.add('bs_mvar', 'DOUBLE'),
      ngen: c.add('n_gen', 'INT32'),
      pgSet: c.add('pg_set_mw', 'DOUBLE'),
      qgSet: c.add('qg_set_mvar', 'DOUBLE'),
      pmin: c.add('pmin_mw', 'DOUBLE'),
      pmax: c.add('pmax_mw', 'DOUBLE'),
      qmin: c.add('qmin_mvar', 'DOUBLE'),
      qmax: c.add('qmax_mvar', 'DOUBLE'),
      vg: c.add('vg_set_pu', 'DOUBLE'),
      c2: c.add('cost_c2', 'DOUBLE'),
      c1: c.add('cost_c1', 'DOUBLE'),
      c0: c.add('cost_c0', 'DOUBLE'),
      vm: c.add('vm_pu', 'DOUBLE'),
      va: c.add('va_deg', 'DOUBLE'),
      p: c.add('p_mw', 'DOUBLE'),
      q: ac ? c.add('q_mvar', 'DOUBLE') : null,
      pg: c.add('pg_mw', 'DOUBLE'),
      qg: ac ? c.add('qg_mvar', 'DOUBLE') : null,
      lam: isOpfTask(this.task) ? c.add('lam_p', 'DOUBLE') : null,
    };
  }

  private edgeCols() {
    const c = this.edges,
      ac = isAcTask(this.task);
    return {
      graph: c.add('graph_id', 'INT32'),
      edge: c.add('edge_id', 'INT32'),
      src: c.add('src', 'INT32'),
      dst: c.add('dst', 'INT32'),
      idx: c.add('branch_index', 'INT32'),
      r: c.add('r', 'DOUBLE'),
      x: c.add('x', 'DOUBLE'),
      b: c.add('b', 'DOUBLE'),
      tap: c.add('tap', 'DOUBLE'),
      shift: c.add('shift_deg', 'DOUBLE'),
      rate: c.add('rate_a_mva', 'DOUBLE'),
      angmin: c.add('angmin_deg', 'DOUBLE'),
      angmax: c.add('angmax_deg', 'DOUBLE'),
      trafo: c.add('is_transformer', 'BOOLEAN'),
      pf: c.add('pf_mw', 'DOUBLE'),
      qf: ac ? c.add('qf_mvar', 'DOUBLE') : null,
      pt: c.add('pt_mw', 'DOUBLE'),
      qt: ac ? c.add('qt_mvar', 'DOUBLE') : null,
      loading: c.add('loading_pct', 'DOUBLE'),
    };
  }

  private graphCols() {
    const c = this.graphs;
    return {
      graph: c.add('graph_id', 'INT32'),
      job: c.add('job_id', 'STRING'),
      sid: c.add('scenario_id', 'STRING'),
      time: c.add('time', 'STRING'),
      weight: c.add('weight', 'DOUBLE'),
      task: c.add('task', 'STRING'),
      status: c.add('status', 'STRING'),
      obj: c.add('objective', 'DOUBLE'),
      nn: c.add('num_nodes', 'INT32'),
      ne: c.add('num_edges', 'INT32'),
      mva: c.add('base_mva', 'DOUBLE'),
      split: c.add('split', 'STRING'),
      error: c.add('error', 'STRING'),
    };
  }

  /** Appends one job's graph: every bus as a node, every in-service branch as an edge. */
  add(j: JobGraph): { nodes: number; edges: number } {
    const { net } = j,
      b = net.bus,
      n = this.n;
    const gens = busGenerators(net);
    const solved = solvedGenPerBus(j);
    const pinj = netInjectionMw(j, solved.pg);
    for (let i = 0; i < b.n; i++) {
      const r = j.bus.get(b.busI[i]),
        a = gens[i];
      n.graph.push(j.graphId);
      n.node.push(i);
      n.bus.push(b.busI[i]);
      n.type.push(b.type[i]);
      n.kv.push(b.baseKV[i]);
      n.vmin.push(b.Vmin[i]);
      n.vmax.push(b.Vmax[i]);
      n.pd.push(b.Pd[i]);
      n.qd.push(b.Qd[i]);
      n.gs.push(b.Gs[i]);
      n.bs.push(b.Bs[i]);
      n.ngen.push(a.count);
      n.pgSet.push(a.pgSetMw);
      n.qgSet.push(a.qgSetMvar);
      n.pmin.push(a.pminMw);
      n.pmax.push(a.pmaxMw);
      n.qmin.push(a.qminMvar);
      n.qmax.push(a.qmaxMvar);
      n.vg.push(a.vgPu);
      n.c2.push(a.c2);
      n.c1.push(a.c1);
      n.c0.push(a.c0);
      n.vm.push(cellNum(r, 'vm_pu'));
      n.va.push(cellNum(r, 'va_deg'));
      n.p.push(num(pinj[i]));
      n.q?.push(cellNum(r, 'q_mvar'));
      const noPg = b.type[i] === 4 || j.status !== 'ok';
      n.pg.push(noPg ? null : solved.pg[i]);
      n.qg?.push(noPg ? null : solved.qg[i]);
      n.lam?.push(cellNum(r, 'lam_p'));
    }
    const br = net.branch,
      e = this.e;
    const rows = inServiceBranches(net);
    rows.forEach((l, k) => {
      const src = net.busIndex.get(br.fbus[l]),
        dst = net.busIndex.get(br.tbus[l]);
      if (src === undefined || dst === undefined) throw new Error(`branch ${l + 1}: bus not in the network`);
      const r = j.branch.get(l + 1);
      e.graph.push(j.graphId);
      e.edge.push(k);
      e.src.push(src);
      e.dst.push(dst);
      e.idx.push(l + 1);
      e.r.push(br.r[l]);
      e.x.push(br.x[l]);
      e.b.push(br.b[l]);
      e.tap.push(tapRatio(net, l));
      e.shift.push(br.angle[l]);
      e.rate.push(br.rateA[l]);
      e.angmin.push(br.angmin[l]);
      e.angmax.push(br.angmax[l]);
      e.trafo.push(isTransformer(net, l));
      e.pf.push(cellNum(r, 'pf_mw'));
      e.qf?.push(cellNum(r, 'qf_mvar'));
      e.pt.push(cellNum(r, 'pt_mw'));
      e.qt?.push(cellNum(r, 'qt_mvar'));
      e.loading.push(cellNum(r, 'loading_pct'));
    });
    const g = this.g;
    g.graph.push(j.graphId);
    g.job.push(j.jobId);
    g.sid.push(j.scenario.scenarioId);
    g.time.push(j.time);
    g.weight.push(j.scenario.weight);
    g.task.push(j.task);
    g.status.push(j.status);
    g.error.push(j.error);
    g.obj.push(num(j.objective));
    g.nn.push(b.n);
    g.ne.push(rows.length);
    g.mva.push(net.baseMVA);
    g.split.push(j.split);
    return { nodes: b.n, edges: rows.length };
  }
}
