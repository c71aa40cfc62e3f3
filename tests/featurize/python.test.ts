/** The GNN tables read from Python (pyarrow + numpy): shapes, edge_index, values vs the solver. */
import { readFileSync, writeFileSync } from 'node:fs';
import { featurizeBatch } from '../../src/featurize';
import { runLocalBatch } from './local-batch';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { runPythonCheck, writeExpected } from './python-check';
import { testWith } from '../helpers/requirements';
import { readFeatureTable } from './read-features';

describe('GNN tables from Python', () => {
  testWith('pyarrow', 'tests/featurize/python.test.ts').each(['pf_dc', 'pf_ac'] as const)(
    '%s: pyarrow reads nodes/edges/graphs; shapes and values match the solver',
    async (task) => {
      const out = runLocalBatch(task, 'python');
      await featurizeBatch(out);
      const graphs = await readFeatureTable(out, 'gnn', 'graphs');
      const expected = writeExpected(out, graphs);
      const r = runPythonCheck(out, expected);
      if (r.status !== 0) throw new Error(`python check failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
      expect(r.stdout).toMatch(/^python check ok: 18 graphs, 252 nodes/m);
      if (task !== 'pf_ac') return;
      // the check does fail: a solver value off by 1e-3 p.u. at one bus
      const exp = JSON.parse(readFileSync(expected, 'utf8')) as { graphs: Record<string, { vm: number[] }> };
      Object.values(exp.graphs)[4].vm[6] += 1e-3;
      writeFileSync(expected, JSON.stringify(exp));
      const bad = runPythonCheck(out, expected);
      expect(bad.status).toBe(1);
      expect(bad.stdout).toMatch(/FAILED: graph \d+: vm differs from the solver/);
    },
  );
});

// The example of docs/featurize.md with real torch and torch_geometric: loading, a DataLoader,
// one forward pass of a two-layer GCN over one batch (the versions and the loss are printed).
testWith('pyg', 'tests/featurize/python.test.ts (PyTorch Geometric example)')(
  'the PyTorch Geometric example of docs/featurize.md loads the graphs and runs a GCN forward pass',
  async () => {
    const out = runLocalBatch('pf_dc', 'snippet');
    await featurizeBatch(out);
    const root = resolve(__dirname, '..', '..');
    const r = spawnSync(
      'python3',
      [resolve(root, 'tests', 'python', 'check_pyg_snippet.py'), resolve(root, 'docs', 'featurize.md'), out],
      { encoding: 'utf8', timeout: 300_000 },
    );
    if (r.status !== 0) throw new Error(`PyG example failed:\n${r.stdout}\n${r.stderr}`);
    console.log(r.stdout.trim());
    expect(r.stdout).toMatch(
      /pyg example ok: torch \S+, torch_geometric \S+; 18 graphs, \d+ lines; GCN forward pass over a batch of 18 graphs \(252 nodes\): mse loss \d/,
    );
  },
);
