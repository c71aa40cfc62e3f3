/**
 * The ML dataset layouts read by the tools that define them, in Python:
 * - opfdata-json: PyTorch Geometric's own OPFDataset processes the export offline, its samples
 *   and splits match the batch's result tables, and a to_hetero GNN runs a forward pass;
 * - gridfm: gridfm-datakit's validate_generated_data passes on a pf_ac and an opf_ac export
 *   (and fails on a corrupted copy), partitions hold 200 scenarios, values match the results.
 * Needs python3 with torch, torch_geometric, gridfm-datakit (pip install torch torch_geometric
 * gridfm-datakit). Skipped with a message when they are missing, except under CI=true, where a
 * missing package fails the test.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { featurizeBatch } from '../../src/featurize';
import { runLocalBatch } from './local-batch';
import { testWith } from '../helpers/requirements';
import { readParquetRows } from '../../src/io/read-results';

const ROOT = resolve(__dirname, '..', '..');
const SPEC = resolve(__dirname, 'fixtures', 'case14-ml.yaml');
const CASE = 'pglib_opf_case14_ieee';

function py(script: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('python3', [join(ROOT, 'tests', 'python', script), ...args], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const pygTest = testWith('pyg', 'tests/featurize/ml-layouts.test.ts (OPFData JSON)');
const gridfmTest = testWith('gridfm', 'tests/featurize/ml-layouts.test.ts (gridfm)');

describe('ML dataset layouts', () => {
  pygTest(
    'opfdata-json: PyG OPFDataset loads the opf_ac export offline, matches the result tables, a hetero GNN runs',
    async () => {
      const out = runLocalBatch('opf_ac', 'ml', SPEC);
      const s = await featurizeBatch(out, { layout: 'opfdata-json' });
      // 109 scenarios x 2 slices; island_bus8 does not solve
      expect(s.dirs).toEqual([join(out, 'features', 'opfdata-json')]);
      expect(s.graphs + s.jobsWithoutGraph).toBe(218);
      const r = py('check_opfdata_json.py', out, CASE, '1');
      if (r.status !== 0) throw new Error(`opfdata check failed (${r.status}):\n${r.stdout}\n${r.stderr.slice(-3000)}`);
      expect(r.stdout).toMatch(
        new RegExp(
          `^opfdata check ok: ${s.graphs} samples in 1 group\\(s\\), splits train \\d+, val [1-9]\\d*, test [1-9]\\d*; forward pass on a batch of 4: bus output \\(56, 2\\)`,
          'm',
        ),
      );

      // the check does fail: one voltage of one sample off by 1e-3 p.u. (PyG reprocesses)
      const raw = join(out, 'features', 'opfdata-json', 'dataset_release_1', CASE, 'raw');
      const group = join(raw, 'gridopt-dataset-tmp', 'dataset_release_1', CASE, 'group_0');
      const f = join(group, readdirSync(group).sort()[0]);
      const obj = JSON.parse(readFileSync(f, 'utf8')) as { solution: { nodes: { bus: number[][] } } };
      obj.solution.nodes.bus[3][1] += 1e-3;
      writeFileSync(f, JSON.stringify(obj));
      rmSync(join(out, 'features', 'opfdata-json', 'dataset_release_1', CASE, 'processed_1'), {
        recursive: true,
        force: true,
      });
      const bad = py('check_opfdata_json.py', out, CASE, '1');
      expect(bad.status).toBe(1);
      expect(bad.stdout).toMatch(/FAILED: (archive 0: .* differs|PyG sample with objective .* matches no result row)/);
    },
  );

  gridfmTest.each([
    ['pf_ac', 'pf'],
    ['opf_ac', 'opf'],
  ] as const)('gridfm: validate_generated_data passes on the %s export (mode %s)', async (task, mode) => {
    const out = runLocalBatch(task, 'ml-gridfm', SPEC);
    const s = await featurizeBatch(out, { layout: 'gridfm', keepFailed: true });
    expect(s.dirs).toEqual([join(out, 'features', 'gridfm', CASE, 'raw')]);
    // keep_failed: the jobs without a sample are labelled rows beside the layout
    const failed = await readParquetRows(join(out, 'features', 'gridfm', 'failed.parquet'));
    expect(failed.length).toBe(s.jobsWithoutGraph);
    expect(failed.length).toBeGreaterThanOrEqual(2);
    // failed solves are 'failed'; the islanding outage's jobs solved with bus 8 de-energized, which
    // the format cannot hold (it has no out-of-service bus): 'incomplete', with the reason
    for (const f of failed)
      expect([f.scenario_id === 'island_bus8' ? 'incomplete' : 'failed', typeof f.error]).toEqual([f.status, 'string']);
    expect(failed.filter((f) => f.scenario_id === 'island_bus8').map((f) => f.error)).toEqual(
      Array(2).fill('de-energized buses: the format has no out-of-service bus'),
    );
    expect(readFileSync(join(s.dirs[0], 'n_scenarios.txt'), 'utf8')).toBe(String(s.graphs));
    const r = py('check_gridfm.py', out, CASE, mode);
    if (r.status !== 0)
      throw new Error(`gridfm check failed (${r.status}):\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-3000)}`);
    expect(r.stdout).toMatch(
      new RegExp(
        `^gridfm check ok \\(${mode}\\): ${s.graphs} scenarios in 2 partitions, train \\d+, validation [1-9]\\d*, test [1-9]\\d*$`,
        'm',
      ),
    );
  });
});
