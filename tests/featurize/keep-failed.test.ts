/** keep_failed: failed jobs as labelled rows in the gnn and opfdata tables (status failed, no solved values). */
import { featurizeBatch } from '../../src/featurize';
import { runLocalBatch } from './local-batch';
import { byGraph, readFeatureTable } from './read-features';

describe('keep failed jobs', () => {
  test('gnn and opfdata: the island_bus8 jobs are graphs with status failed, their error, static features and null solutions', async () => {
    const out = runLocalBatch('pf_ac', 'keep-failed');
    const plain = await featurizeBatch(out, { layout: 'both' });
    expect(plain.graphs).toBe(18);
    const s = await featurizeBatch(out, { layout: 'both', keepFailed: true });
    expect(s.graphs).toBe(21);
    const graphs = await readFeatureTable(out, 'gnn', 'graphs');
    const failed = graphs.filter((g) => g.status === 'failed');
    expect(failed.map((g) => g.scenario_id)).toEqual(['island_bus8', 'island_bus8', 'island_bus8']);
    for (const g of failed) expect(String(g.error)).not.toBe('');
    for (const g of graphs.filter((x) => x.status === 'ok')) expect(g.error).toBeNull();
    const nodes = byGraph(await readFeatureTable(out, 'gnn', 'nodes'));
    for (const g of failed) {
      const n = nodes.get(Number(g.graph_id))!;
      expect(n).toHaveLength(14);
      for (const r of n) {
        expect(r.vm_pu).toBeNull();
        expect(r.pg_mw).toBeNull();
        expect(r.p_mw).toBeNull();
      }
      expect(n.some((r) => Number(r.pd_mw) > 0)).toBe(true);
    }
    const opf = await readFeatureTable(out, 'opfdata', 'graphs');
    expect(
      opf
        .filter((g) => g.status === 'failed')
        .map((g) => g.graph_id)
        .sort(),
    ).toEqual(failed.map((g) => g.graph_id).sort());
    const bus = byGraph(await readFeatureTable(out, 'opfdata', 'bus'));
    for (const g of failed) for (const r of bus.get(Number(g.graph_id))!) expect(r.y_vm).toBeNull();
  });
});
