/**
 * Features of jobs the island rule de-energized part of (`islands: deenergize`, the default): the
 * graph is the network the solver ran on, so the cut-off bus is a node of type NONE (4) without
 * voltage or generation, its generator is out of service and its branch is not an edge.
 */
import { resolve } from 'node:path';
import { featurizeBatch } from '../../src/featurize';
import { runLocalBatch } from './local-batch';
import { byGraph, readFeatureTable } from './read-features';

const SPEC = resolve(__dirname, 'fixtures', 'case14-island.yaml');
const BUS8 = 7; // node_id of bus 8 (buses in case order)

describe('de-energized buses in the feature tables', () => {
  test('gnn and opfdata: bus 8 cut off by the outage of branch 14 is type 4, null voltage, no generator, no edge', async () => {
    const out = runLocalBatch('pf_ac', 'deenergized', SPEC);
    const s = await featurizeBatch(out, { layout: 'both' });
    expect([s.graphs, s.jobsWithoutGraph]).toEqual([6, 0]);

    const graphs = await readFeatureTable(out, 'gnn', 'graphs');
    const island = graphs.filter((g) => g.scenario_id === 'island_bus8');
    const base = graphs.filter((g) => g.scenario_id === 'base');
    expect(island.map((g) => [g.status, g.num_nodes, g.num_edges])).toEqual(Array(3).fill(['ok', 14, 19]));
    expect(base.map((g) => [g.status, g.num_nodes, g.num_edges])).toEqual(Array(3).fill(['ok', 14, 20]));

    const nodes = byGraph(await readFeatureTable(out, 'gnn', 'nodes'));
    const edges = byGraph(await readFeatureTable(out, 'gnn', 'edges'));
    for (const g of island) {
      const id = Number(g.graph_id);
      const n = nodes.get(id)!;
      const b8 = n[BUS8];
      expect([b8.bus_id, b8.bus_type, b8.n_gen, b8.vm_pu, b8.va_deg, b8.pg_mw, b8.p_mw]).toEqual([
        8,
        4,
        0,
        null,
        null,
        null,
        0,
      ]);
      // every other bus energized and solved
      for (const r of n.filter((_, i) => i !== BUS8)) {
        expect(r.bus_type).not.toBe(4);
        expect(r.vm_pu).not.toBeNull();
      }
      const e = edges.get(id)!;
      expect(e.some((r) => Number(r.src) === BUS8 || Number(r.dst) === BUS8)).toBe(false);
      expect(e.map((r) => Number(r.branch_index))).not.toContain(14);
    }
    // the base jobs keep bus 8 as the PV bus it is, with its generator
    for (const g of base) {
      const b8 = nodes.get(Number(g.graph_id))![BUS8];
      expect([b8.bus_type, b8.n_gen]).toEqual([2, 1]);
      expect(b8.vm_pu).not.toBeNull();
    }

    const bus = byGraph(await readFeatureTable(out, 'opfdata', 'bus'));
    for (const g of island) {
      const b8 = bus.get(Number(g.graph_id))![BUS8];
      expect([b8.bus_id, b8.bus_type, b8.y_vm, b8.y_va]).toEqual([8, 4, null, null]);
    }
  });
});
