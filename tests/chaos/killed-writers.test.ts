/**
 * A process killed between an atomic write's temporary file and its rename leaves
 * `<name>.<pid>-<hex>.tmp` behind. The manifest sweeps them, but featurize and report run after
 * the manifest: a worker SIGKILLed during those stages left a .tmp under features/ (seen in 1 of
 * 25 kills of featurize). Their next attempt now sweeps its own folder before writing.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tempNameFor } from '../../src/io/atomic';
import { featurizeBatch } from '../../src/featurize';
import { featureLayout } from '../../src/featurize/layout';
import { buildReport, reportDir } from '../../src/report/build-report';
import { runLocalBatch } from '../featurize/local-batch';

function plant(path: string): string {
  const tmp = tempNameFor(path);
  mkdirSync(dirname(tmp), { recursive: true });
  writeFileSync(tmp, 'half a file');
  return tmp;
}

describe('leftovers of writers killed during featurize and report', () => {
  const outDir = runLocalBatch('pf_dc', 'killed-writers');

  test('featurize removes the temporary files of an earlier, killed attempt', async () => {
    const left = [plant(featureLayout.part(outDir, 'gnn', 'nodes', 0)), plant(featureLayout.meta(outDir, 'gnn'))];
    await featurizeBatch(outDir, { layout: 'gnn' });
    for (const f of left) expect(existsSync(f)).toBe(false);
  });

  test('report removes the temporary files of an earlier, killed attempt', async () => {
    const left = plant(join(reportDir(outDir), 'jobs.parquet'));
    await buildReport(outDir, { generatedAt: '2025-01-01T00:00:00Z' });
    expect(existsSync(left)).toBe(false);
    expect(existsSync(join(reportDir(outDir), 'jobs.parquet'))).toBe(true);
  });

  test('a resumed featurize (from a heartbeat) sweeps too', async () => {
    const left = plant(featureLayout.part(outDir, 'gnn', 'edges', 1));
    writeFileSync(join(dirname(left), 'keep.txt'), 'not a temporary file');
    await featurizeBatch(outDir, { layout: 'gnn', from: { next: 1, graphs: 0, nodes: 0, edges: 0 } });
    expect(existsSync(left)).toBe(false);
    expect(existsSync(join(dirname(left), 'keep.txt'))).toBe(true);
  });
});
