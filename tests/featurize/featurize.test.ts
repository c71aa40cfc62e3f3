/**
 * Featurize on a finished batch of every task: one graph per solved job, node and edge counts
 * equal to the buses and in-service branches of the scenario's OWN network, static features
 * after outages / scaling / overrides / profiles, solved features equal to a direct solve.
 */
import { readFileSync } from 'node:fs';
import { manifestOf } from '../helpers/manifest';
import { featurizeBatch, FeaturizeSummary } from '../../src/featurize';
import { openStudy, Study } from '../../src/io/study';
import { Row } from '../../src/io/read-results';
import { layout } from '../../src/io/layout';
import { applyScenario } from '../../src/scenarios/apply';
import { Network } from '../../src/grid/network';
import { Solution } from '../../src/solvers/solution';
import { solveNetwork } from '../../src/solvers/solve';
import { StudyTask } from '../../src/contracts/workflow-types';
import { runLocalBatch } from './local-batch';
import { byGraph, readFeatureTable } from './read-features';

const TASKS: StudyTask[] = ['pf_dc', 'pf_ac', 'opf_dc', 'opf_ac'];
const isAc = (t: StudyTask) => t === 'pf_ac' || t === 'opf_ac';
const isOpf = (t: StudyTask) => t.startsWith('opf');

describe.each(TASKS)('featurize %s', (task) => {
  let out: string;
  let summary: FeaturizeSummary;
  let study: Study;
  let graphs: Row[];
  let nodes: Map<number, Row[]>;
  let edges: Map<number, Row[]>;
  const nets = new Map<number, Network>();
  const solutions = new Map<number, Solution>();

  beforeAll(async () => {
    out = runLocalBatch(task, 'mixed');
    summary = await featurizeBatch(out, { layout: 'both' });
    study = openStudy(out);
    graphs = await readFeatureTable(out, 'gnn', 'graphs');
    nodes = byGraph(await readFeatureTable(out, 'gnn', 'nodes'));
    edges = byGraph(await readFeatureTable(out, 'gnn', 'edges'));
    for (const g of graphs) {
      const sc = [...study.scenarios()].find((s) => s.scenarioId === g.scenario_id)!;
      const net = applyScenario(study.base, sc, g.time as string, study.profiles);
      nets.set(Number(g.graph_id), net);
      solutions.set(Number(g.graph_id), solveNetwork(task, net));
    }
  });

  test('one graph per solved job; graph_id = position in batch_manifest.json; failed jobs have none', async () => {
    const m = await manifestOf(out);
    const ok = m.jobs.map((j, i) => ({ j, i })).filter(({ j }) => j.status === 'ok');
    expect(graphs.map((g) => g.graph_id)).toEqual(ok.map(({ i }) => i));
    expect(graphs.map((g) => g.job_id)).toEqual(ok.map(({ j }) => j.job_id));
    expect(graphs.some((g) => g.scenario_id === 'island_bus8')).toBe(false);
    expect(summary).toMatchObject({ graphs: ok.length, jobs: 21, jobsWithoutGraph: 21 - ok.length });
    // island_bus8 fails everywhere; AC OPF also finds no solution for some stressed jobs (load_130, gen2_out)
    if (task !== 'opf_ac') expect(ok.length).toBe(18);
    else expect(ok.length).toBeGreaterThanOrEqual(9);
    for (const g of graphs) expect(g).toMatchObject({ task, status: 'ok', weight: 1, base_mva: 100 });
  });

  test("node and edge counts equal the buses and in-service branches of the scenario's network; ids contiguous", () => {
    for (const g of graphs) {
      const id = Number(g.graph_id),
        net = nets.get(id)!;
      const inService = Array.from(net.branch.status).filter((s) => s !== 0).length;
      expect(g.num_nodes).toBe(net.bus.n);
      expect(g.num_edges).toBe(inService);
      const ns = nodes.get(id)!,
        es = edges.get(id)!;
      expect(ns.map((r) => r.node_id)).toEqual([...Array(net.bus.n).keys()]);
      expect(es.map((r) => r.edge_id)).toEqual([...Array(inService).keys()]);
      for (const e of es) {
        const l = Number(e.branch_index) - 1;
        expect(net.branch.status[l]).not.toBe(0);
        expect(ns[Number(e.src)].bus_id).toBe(net.branch.fbus[l]);
        expect(ns[Number(e.dst)].bus_id).toBe(net.branch.tbus[l]);
      }
    }
    const outage = (sid: string) => graphs.filter((g) => g.scenario_id === sid).map((g) => Number(g.graph_id));
    for (const id of outage('line_2-3_out')) expect(edges.get(id)!.map((e) => e.branch_index)).not.toContain(3);
    for (const id of outage('trafo_4-7_out')) expect(edges.get(id)!.map((e) => e.branch_index)).not.toContain(8);
    for (const id of outage('base'))
      expect(
        edges
          .get(id)!
          .filter((e) => e.is_transformer)
          .map((e) => e.branch_index),
      ).toEqual([8, 9, 10]);
  });

  // Static features do not depend on the task, so this runs for the tasks that solve every one of
  // these jobs (AC OPF finds no solution for some): it is not defined for opf_ac, not skipped.
  if (task !== 'opf_ac')
    test('static features come from the scenario, time slice and profile (not the base grid)', () => {
      const node = (sid: string, hour: string, bus: number): Row => {
        const g = graphs.find((x) => x.scenario_id === sid && String(x.time).includes(`T${hour}:`))!;
        return nodes.get(Number(g.graph_id))![bus - 1];
      };
      expect(node('base', '12', 4).pd_mw).toBeCloseTo(47.8, 10);
      expect(node('load_130', '12', 4).pd_mw).toBeCloseTo(47.8 * 1.3, 10);
      expect(node('base', '06', 3).pd_mw).toBeCloseTo(94.2 * 0.8, 10);
      expect(node('load_130', '18', 3).qd_mvar).toBeCloseTo(19 * 1.2 * 1.3, 10);
      expect(node('base', '18', 2).pg_set_mw).toBeCloseTo(29.5 * 1.1, 10);
      expect(node('base', '12', 2)).toMatchObject({ n_gen: 1, pmax_mw: 59, cost_c1: 23.269494 });
      expect(node('gen2_out', '12', 2)).toMatchObject({ n_gen: 0, pmax_mw: 0, pg_set_mw: 0, vg_set_pu: null });
      expect(node('gen2_costly', '12', 2).cost_c1).toBeCloseTo(23.269494 * 1.5, 10);
      expect(node('base', '12', 9)).toMatchObject({ bs_mvar: 19, bus_type: 1, vmin_pu: 0.94, vmax_pu: 1.06 });
    });

  test('solved features equal a direct solve of the same network', () => {
    // AC OPF: the batch warm-starts each slice from the previous one, the direct solve starts cold
    const tol = task === 'opf_ac' ? 1e-3 : task === 'pf_ac' ? 1e-7 : 1e-8;
    for (const g of graphs) {
      const id = Number(g.graph_id),
        s = solutions.get(id)!,
        net = nets.get(id)!;
      expect(s.converged).toBe(true);
      const ns = nodes.get(id)!;
      ns.forEach((r, i) => {
        expect(Math.abs(Number(r.vm_pu) - s.bus.vm[i])).toBeLessThan(tol);
        expect(Math.abs(Number(r.va_deg) - s.bus.vaDeg[i])).toBeLessThan(tol * 100);
        if (isAc(task)) expect(Math.abs(Number(r.q_mvar) - s.bus.qMvar![i])).toBeLessThan(tol * 1e4);
        else expect(r.q_mvar).toBeUndefined();
        if (isOpf(task)) expect(Math.abs(Number(r.lam_p) - s.bus.lamP![i])).toBeLessThan(isAc(task) ? 1e-2 : 1e-6);
        else expect(r.lam_p).toBeUndefined();
      });
      for (const e of edges.get(id)!) {
        const l = Number(e.branch_index) - 1;
        expect(Math.abs(Number(e.pf_mw) - s.branch.pf[l])).toBeLessThan(tol * 1e4);
        expect(Math.abs(Number(e.pt_mw) - s.branch.pt[l])).toBeLessThan(tol * 1e4);
      }
      // net injection = the sum of the flows leaving the bus (DC: Pg - Pd - Gs; AC: the solver's p)
      const out = new Float64Array(net.bus.n);
      for (const e of edges.get(id)!) {
        out[Number(e.src)] += Number(e.pf_mw);
        out[Number(e.dst)] += Number(e.pt_mw);
      }
      ns.forEach((r, i) => {
        const shuntMw = isAc(task) ? net.bus.Gs[i] * s.bus.vm[i] ** 2 : 0;
        expect(Math.abs(Number(r.p_mw) - out[i] - shuntMw)).toBeLessThan(isAc(task) ? 1e-3 : 1e-9);
      });
      if (isOpf(task)) expect(Math.abs(Number(g.objective) - s.objective!) / s.objective!).toBeLessThan(1e-6);
      else expect(g.objective).toBeNull();
    }
  });

  test('OPFData layout: typed nodes and edges, per unit, consistent with the homogeneous tables', async () => {
    const t = (name: string) => readFeatureTable(out, 'opfdata', name).then(byGraph);
    const [bus, gen, load, shunt, line, trafo] = await Promise.all(
      ['bus', 'generator', 'load', 'shunt', 'ac_line', 'transformer'].map(t),
    );
    for (const g of graphs) {
      const id = Number(g.graph_id),
        net = nets.get(id)!;
      expect(bus.get(id)!).toHaveLength(net.bus.n);
      expect(gen.get(id)!).toHaveLength(Array.from(net.gen.status).filter((s) => s > 0).length);
      expect((line.get(id)?.length ?? 0) + (trafo.get(id)?.length ?? 0)).toBe(g.num_edges);
      expect(shunt.get(id)!.map((r) => r.bus)).toEqual([8]);
      const ns = nodes.get(id)!;
      for (const l of load.get(id)!) {
        expect(Number(l.pd) * 100).toBeCloseTo(Number(ns[Number(l.bus)].pd_mw), 9);
      }
      for (const b of bus.get(id)!)
        expect(Number(b.y_va)).toBeCloseTo((Number(ns[Number(b.node_id)].va_deg) * Math.PI) / 180, 12);
      for (const tr of trafo.get(id) ?? []) expect(Number(tr.tap)).toBeLessThan(1);
    }
  });
});

describe('featurize is idempotent and resumable', () => {
  test('a second run and a run resumed half-way write the same bytes', async () => {
    const out = runLocalBatch('pf_dc', 'resume');
    const sha = () => {
      const { createHash } = require('node:crypto') as typeof import('node:crypto');
      const { readdirSync } = require('node:fs') as typeof import('node:fs');
      const { join } = require('node:path') as typeof import('node:path');
      const h: Record<string, string> = {};
      for (const t of ['nodes', 'edges', 'graphs']) {
        const dir = join(out, 'features', 'gnn', t);
        for (const f of readdirSync(dir).sort())
          h[`${t}/${f}`] = createHash('sha256')
            .update(readFileSync(join(dir, f)))
            .digest('hex');
      }
      return h;
    };
    const seen: { next: number; graphs: number; nodes: number; edges: number }[] = [];
    const first = await featurizeBatch(out, { onProgress: (p) => seen.push(p) });
    const a = sha();
    expect(Object.keys(a).filter((k) => k.startsWith('graphs/'))).toHaveLength(6); // island_bus8 has no part
    const again = await featurizeBatch(out);
    expect(sha()).toEqual(a);
    const resumed = await featurizeBatch(out, { from: seen[3] });
    expect(sha()).toEqual(a);
    for (const s of [again, resumed]) expect({ ...s }).toEqual({ ...first });
  });

  test('a fresh run replaces its layout folders whole (no stale part stays); a resumed run and other layouts keep theirs', async () => {
    const { existsSync, readdirSync, writeFileSync } = require('node:fs') as typeof import('node:fs');
    const { join } = require('node:path') as typeof import('node:path');
    const out = runLocalBatch('pf_dc', 'stale');
    await featurizeBatch(out, { layout: 'opfdata' });
    const opfParts = readdirSync(join(out, 'features', 'opfdata', 'bus')).sort();
    const first = await featurizeBatch(out);
    // a part an earlier run wrote under another partition (its name no run writes now)
    const stale = join(out, 'features', 'gnn', 'nodes', 'part-999999.parquet');
    writeFileSync(stale, 'an earlier run');
    const resumed = await featurizeBatch(out, { from: { next: 3, graphs: 0, nodes: 0, edges: 0 } });
    expect(existsSync(stale)).toBe(true); // a resumed run keeps what it did not write
    expect(resumed.scenarios).toBe(first.scenarios);
    const again = await featurizeBatch(out);
    expect(existsSync(stale)).toBe(false);
    expect({ ...again }).toEqual({ ...first });
    // the other layout, and the card that describes both, stay
    expect(readdirSync(join(out, 'features', 'opfdata', 'bus')).sort()).toEqual(opfParts);
    const card = JSON.parse(readFileSync(join(out, 'features', 'croissant.json'), 'utf8')) as { description: string };
    expect(card.description).toContain('gnn');
    expect(card.description).toContain('opfdata');
  });
});
