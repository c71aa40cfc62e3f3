/** Train / validation / test splits: deterministic by seed, grouped by scenario, in every layout. */
import { featurizeBatch } from '../../src/featurize';
import { featurizeCommand } from '../../src/cli/featurize';
import { assignSplits, splitSizes } from '../../src/featurize/splits';
import { capture } from '../helpers/cli';
import { buildStudyInput } from '../../src/cli/study-input';
import { resolve } from 'node:path';
import { runLocalBatch } from './local-batch';
import { readFeatureTable } from './read-features';

const ids = Array.from({ length: 100 }, (_, k) => `sample_${String(k).padStart(4, '0')}`);

describe('splits', () => {
  test('sizes follow the ratios; validation and test are never empty from 3 scenarios on', () => {
    expect(splitSizes(100, [0.8, 0.1, 0.1])).toEqual([80, 10, 10]);
    expect(splitSizes(3, [0.8, 0.1, 0.1])).toEqual([1, 1, 1]);
    expect(splitSizes(2, [0.8, 0.1, 0.1])).toEqual([2, 0, 0]);
    expect(splitSizes(10, [0.5, 0.5, 0])).toEqual([5, 5, 0]);
    const s = assignSplits(ids, { seed: 1, ratios: [0.8, 0.1, 0.1] });
    const count = (x: string) => [...s.values()].filter((v) => v === x).length;
    expect([count('train'), count('validation'), count('test')]).toEqual([80, 10, 10]);
  });

  test('the same seed gives the same splits whatever the order of the scenarios; another seed others', () => {
    const a = assignSplits(ids, { seed: 7, ratios: [0.8, 0.1, 0.1] });
    const b = assignSplits([...ids].reverse(), { seed: 7, ratios: [0.8, 0.1, 0.1] });
    expect([...b.entries()].sort()).toEqual([...a.entries()].sort());
    const c = assignSplits(ids, { seed: 8, ratios: [0.8, 0.1, 0.1] });
    expect(ids.filter((id) => a.get(id) !== c.get(id)).length).toBeGreaterThan(10);
  });

  test("gnn and opfdata graphs carry the split; every slice of a scenario is in its scenario's split", async () => {
    const out = runLocalBatch('pf_dc', 'splits');
    await featurizeBatch(out, { layout: 'both', split: { seed: 3, ratios: [0.6, 0.2, 0.2] } });
    const expected = assignSplits(
      ['base', 'load_130', 'gen2_out', 'line_2-3_out', 'trafo_4-7_out', 'gen2_costly', 'island_bus8'],
      { seed: 3, ratios: [0.6, 0.2, 0.2] },
    );
    for (const kind of ['gnn', 'opfdata'] as const) {
      const graphs = await readFeatureTable(out, kind, 'graphs');
      expect(graphs.length).toBe(18);
      for (const g of graphs) expect(g.split).toBe(expected.get(String(g.scenario_id)));
      expect(new Set(graphs.map((g) => g.split))).toEqual(new Set(['train', 'validation', 'test']));
    }
  });

  test('start-batch: a dataset layout with a DC task is a usage error; --keep-failed reaches the study options', () => {
    const spec = resolve(__dirname, 'fixtures', 'case14-ml.yaml');
    expect(() => buildStudyInput({ spec, task: 'pf_dc', featureLayout: 'gridfm', wait: true }, false)).toThrow(
      /--feature-layout gridfm holds AC solutions: use --task pf_ac or opf_ac \(got pf_dc\)/,
    );
    const { input } = buildStudyInput(
      { spec, task: 'opf_ac', featureLayout: 'opfdata-json', keepFailed: true, wait: true },
      false,
    );
    expect(input.options).toMatchObject({ featureLayout: 'opfdata-json', keepFailed: true });
  });

  test('featurize --split-seed / --split-ratios: bad values are usage errors', async () => {
    await expect(capture(() => featurizeCommand({ out: '/nonexistent', splitSeed: 'x' }))).rejects.toThrow(
      /--split-seed must be a non-negative integer \(got 'x'\)/,
    );
    await expect(capture(() => featurizeCommand({ out: '/nonexistent', splitRatios: '0.8,0.3,0.1' }))).rejects.toThrow(
      /--split-ratios must be three non-negative fractions summing to 1/,
    );
  });
});
