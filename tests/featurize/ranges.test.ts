/**
 * The featurize activity splits the scenarios into contiguous ranges, one per thread. Ranges
 * featurized at once and the metadata written from their summed counts give the same files,
 * byte for byte, as one pass over the whole batch.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { scenarioRanges } from '../../src/activities/featurize';
import { featurizeBatch, featurizeRange, writeFeatureMeta } from '../../src/featurize';
import { runLocalBatch } from './local-batch';

function digest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

describe('featurize in scenario ranges', () => {
  test('ranges cover every scenario once, in order, none empty, at most one per thread', () => {
    for (const [total, threads] of [
      [1, 4],
      [5, 2],
      [7, 3],
      [100, 8],
      [3, 3],
      [10, 1],
    ]) {
      const r = scenarioRanges(total, threads);
      expect(r.length).toBe(Math.min(total, threads));
      expect(r[0].from).toBe(0);
      expect(r[r.length - 1].to).toBe(total);
      for (let k = 0; k < r.length; k++) {
        expect(r[k].to).toBeGreaterThan(r[k].from);
        if (k > 0) expect(r[k].from).toBe(r[k - 1].to);
      }
    }
  });

  test('three ranges at once write the same files as one pass', async () => {
    const out = runLocalBatch('pf_ac', 'ranges');
    const whole = await featurizeBatch(out, { layout: 'both' });
    const one = digest(join(out, 'features'));
    rmSync(join(out, 'features'), { recursive: true, force: true });

    const ranges = scenarioRanges(whole.scenarios, 3);
    expect(ranges).toHaveLength(3);
    const parts = await Promise.all(
      ranges.map((r) =>
        featurizeRange(out, { layout: 'both', from: { next: r.from, graphs: 0, nodes: 0, edges: 0 }, to: r.to }),
      ),
    );
    const counts = parts.reduce(
      (c, p) => ({ graphs: c.graphs + p.graphs, nodes: c.nodes + p.nodes, edges: c.edges + p.edges }),
      { graphs: 0, nodes: 0, edges: 0 },
    );
    const split = writeFeatureMeta(out, { layout: 'both', counts });
    expect(split).toEqual(whole);
    expect(digest(join(out, 'features'))).toEqual(one);
  });
});
