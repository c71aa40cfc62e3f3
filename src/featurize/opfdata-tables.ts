/**
 * The heterogeneous layout, after DeepMind's OPFData (arXiv 2406.07234; PyG's OPFDataset):
 * node types bus, generator, load, shunt; edge types ac_line and transformer. Generator, load
 * and shunt rows carry `bus`, the node id of their bus, from which the generator_link /
 * load_link / shunt_link edges of OPFData follow. As in OPFData: per unit on base_mva, angles in
 * radians, b_fr = b_to = b/2, costs with P in p.u. Solved values are the `y_` columns.
 * In-service generators and branches only; loads are buses with Pd or Qd, shunts buses with Gs or Bs.
 */
import { Network } from '../grid/network';
import { Task } from '../solvers/solution';
import { ColumnSet, num } from '../io/columns';
import { cellNum } from '../io/read-results';
import { inServiceBranches, isTransformer, quadraticCost, tapRatio } from './network-features';
import { isAcTask, isOpfTask, JobGraph } from './job-graph';

export const OPFDATA_TABLES = ['graphs', 'bus', 'generator', 'load', 'shunt', 'ac_line', 'transformer'] as const;
export type OpfDataTable = (typeof OPFDATA_TABLES)[number];

const RAD = Math.PI / 180;
const pu = (v: number | null, base: number) => (v === null ? null : v / base);
const rad = (v: number | null) => (v === null ? null : v * RAD);

function branchCols(c: ColumnSet, task: Task, transformer: boolean) {
  const ac = isAcTask(task);
  return {
    graph: c.add('graph_id', 'INT32'),
    edge: c.add('edge_id', 'INT32'),
    src: c.add('src', 'INT32'),
    dst: c.add('dst', 'INT32'),
    idx: c.add('branch_index', 'INT32'),
    angmin: c.add('angmin', 'DOUBLE'),
    angmax: c.add('angmax', 'DOUBLE'),
    bfr: c.add('b_fr', 'DOUBLE'),
    bto: c.add('b_to', 'DOUBLE'),
    r: c.add('r', 'DOUBLE'),
    x: c.add('x', 'DOUBLE'),
    ra: c.add('rate_a', 'DOUBLE'),
    rb: c.add('rate_b', 'DOUBLE'),
    rc: c.add('rate_c', 'DOUBLE'),
    tap: transformer ? c.add('tap', 'DOUBLE') : null,
    shift: transformer ? c.add('shift', 'DOUBLE') : null,
    pf: c.add('y_pf', 'DOUBLE'),
    qf: ac ? c.add('y_qf', 'DOUBLE') : null,
    pt: c.add('y_pt', 'DOUBLE'),
    qt: ac ? c.add('y_qt', 'DOUBLE') : null,
  };
}

export class OpfDataTables {
  readonly tables: Record<OpfDataTable, ColumnSet>;
  private readonly c;

  constructor(private readonly task: Task) {
    const t = (this.tables = Object.fromEntries(OPFDATA_TABLES.map((k) => [k, new ColumnSet()])) as Record<
      OpfDataTable,
      ColumnSet
    >);
    const ac = isAcTask(task);
    const g = t.graphs,
      b = t.bus,
      gen = t.generator,
      l = t.load,
      s = t.shunt;
    this.c = {
      graphs: {
        graph: g.add('graph_id', 'INT32'),
        job: g.add('job_id', 'STRING'),
        sid: g.add('scenario_id', 'STRING'),
        time: g.add('time', 'STRING'),
        weight: g.add('weight', 'DOUBLE'),
        task: g.add('task', 'STRING'),
        obj: g.add('objective', 'DOUBLE'),
        mva: g.add('base_mva', 'DOUBLE'),
        counts: OPFDATA_TABLES.slice(1).map((k) => g.add(`num_${k}`, 'INT32')),
        split: g.add('split', 'STRING'),
        status: g.add('status', 'STRING'),
        error: g.add('error', 'STRING'),
      },
      bus: {
        graph: b.add('graph_id', 'INT32'),
        node: b.add('node_id', 'INT32'),
        id: b.add('bus_id', 'INT32'),
        kv: b.add('base_kv', 'DOUBLE'),
        type: b.add('bus_type', 'INT32'),
        vmin: b.add('vmin', 'DOUBLE'),
        vmax: b.add('vmax', 'DOUBLE'),
        va: b.add('y_va', 'DOUBLE'),
        vm: b.add('y_vm', 'DOUBLE'),
        lam: isOpfTask(task) ? b.add('y_lam_p', 'DOUBLE') : null,
      },
      generator: {
        graph: gen.add('graph_id', 'INT32'),
        node: gen.add('node_id', 'INT32'),
        idx: gen.add('gen_index', 'INT32'),
        bus: gen.add('bus', 'INT32'),
        mbase: gen.add('mbase', 'DOUBLE'),
        pg: gen.add('pg', 'DOUBLE'),
        pmin: gen.add('pmin', 'DOUBLE'),
        pmax: gen.add('pmax', 'DOUBLE'),
        qg: gen.add('qg', 'DOUBLE'),
        qmin: gen.add('qmin', 'DOUBLE'),
        qmax: gen.add('qmax', 'DOUBLE'),
        vg: gen.add('vg', 'DOUBLE'),
        c2: gen.add('c2', 'DOUBLE'),
        c1: gen.add('c1', 'DOUBLE'),
        c0: gen.add('c0', 'DOUBLE'),
        ypg: gen.add('y_pg', 'DOUBLE'),
        yqg: ac ? gen.add('y_qg', 'DOUBLE') : null,
      },
      load: {
        graph: l.add('graph_id', 'INT32'),
        node: l.add('node_id', 'INT32'),
        bus: l.add('bus', 'INT32'),
        pd: l.add('pd', 'DOUBLE'),
        qd: l.add('qd', 'DOUBLE'),
      },
      shunt: {
        graph: s.add('graph_id', 'INT32'),
        node: s.add('node_id', 'INT32'),
        bus: s.add('bus', 'INT32'),
        bs: s.add('bs', 'DOUBLE'),
        gs: s.add('gs', 'DOUBLE'),
      },
      ac_line: branchCols(t.ac_line, task, false),
      transformer: branchCols(t.transformer, task, true),
    };
  }

  add(j: JobGraph): void {
    const net: Network = j.net,
      base = net.baseMVA,
      c = this.c,
      b = net.bus;
    const counts = { bus: b.n, generator: 0, load: 0, shunt: 0, ac_line: 0, transformer: 0 };
    for (let i = 0; i < b.n; i++) {
      const r = j.bus.get(b.busI[i]);
      c.bus.graph.push(j.graphId);
      c.bus.node.push(i);
      c.bus.id.push(b.busI[i]);
      c.bus.kv.push(b.baseKV[i]);
      c.bus.type.push(b.type[i]);
      c.bus.vmin.push(b.Vmin[i]);
      c.bus.vmax.push(b.Vmax[i]);
      c.bus.va.push(rad(cellNum(r, 'va_deg')));
      c.bus.vm.push(cellNum(r, 'vm_pu'));
      c.bus.lam?.push(cellNum(r, 'lam_p'));
      if (b.Pd[i] !== 0 || b.Qd[i] !== 0) {
        c.load.graph.push(j.graphId);
        c.load.node.push(counts.load++);
        c.load.bus.push(i);
        c.load.pd.push(b.Pd[i] / base);
        c.load.qd.push(b.Qd[i] / base);
      }
      if (b.Gs[i] !== 0 || b.Bs[i] !== 0) {
        c.shunt.graph.push(j.graphId);
        c.shunt.node.push(counts.shunt++);
        c.shunt.bus.push(i);
        c.shunt.bs.push(b.Bs[i] / base);
        c.shunt.gs.push(b.Gs[i] / base);
      }
    }
    const g = net.gen,
      cg = c.generator;
    for (let k = 0; k < g.n; k++) {
      const bus = net.busIndex.get(g.bus[k]);
      if (!(g.status[k] > 0) || bus === undefined) continue;
      const r = j.gen.get(k + 1);
      const [c2, c1, c0] = quadraticCost(net.gencost[k]);
      cg.graph.push(j.graphId);
      cg.node.push(counts.generator++);
      cg.idx.push(k + 1);
      cg.bus.push(bus);
      cg.mbase.push(g.mBase[k]);
      cg.pg.push(g.Pg[k] / base);
      cg.pmin.push(g.Pmin[k] / base);
      cg.pmax.push(g.Pmax[k] / base);
      cg.qg.push(g.Qg[k] / base);
      cg.qmin.push(g.Qmin[k] / base);
      cg.qmax.push(g.Qmax[k] / base);
      cg.vg.push(g.Vg[k]);
      cg.c2.push(c2 * base * base);
      cg.c1.push(c1 * base);
      cg.c0.push(c0);
      cg.ypg.push(pu(cellNum(r, 'pg_mw'), base));
      cg.yqg?.push(pu(cellNum(r, 'qg_mvar'), base));
    }
    const br = net.branch;
    for (const l of inServiceBranches(net)) {
      const kind = isTransformer(net, l) ? 'transformer' : 'ac_line';
      const e = c[kind],
        r = j.branch.get(l + 1);
      e.graph.push(j.graphId);
      e.edge.push(counts[kind]++);
      e.src.push(net.busIndex.get(br.fbus[l]) ?? null);
      e.dst.push(net.busIndex.get(br.tbus[l]) ?? null);
      e.idx.push(l + 1);
      e.angmin.push(br.angmin[l] * RAD);
      e.angmax.push(br.angmax[l] * RAD);
      e.bfr.push(br.b[l] / 2);
      e.bto.push(br.b[l] / 2);
      e.r.push(br.r[l]);
      e.x.push(br.x[l]);
      e.ra.push(br.rateA[l] / base);
      e.rb.push(br.rateB[l] / base);
      e.rc.push(br.rateC[l] / base);
      e.tap?.push(tapRatio(net, l));
      e.shift?.push(br.angle[l] * RAD);
      e.pf.push(pu(cellNum(r, 'pf_mw'), base));
      e.qf?.push(pu(cellNum(r, 'qf_mvar'), base));
      e.pt.push(pu(cellNum(r, 'pt_mw'), base));
      e.qt?.push(pu(cellNum(r, 'qt_mvar'), base));
    }
    const gr = c.graphs;
    gr.graph.push(j.graphId);
    gr.job.push(j.jobId);
    gr.sid.push(j.scenario.scenarioId);
    gr.time.push(j.time);
    gr.weight.push(j.scenario.weight);
    gr.task.push(j.task);
    gr.obj.push(num(j.objective));
    gr.mva.push(base);
    OPFDATA_TABLES.slice(1).forEach((k, m) => gr.counts[m].push(counts[k as keyof typeof counts]));
    gr.split.push(j.split);
    gr.status.push(j.status);
    gr.error.push(j.error);
  }
}
