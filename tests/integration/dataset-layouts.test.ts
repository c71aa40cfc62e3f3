/**
 * The dataset layouts through the pipeline on the dev server: the featurize activity exports in
 * one ordered pass in a worker thread (heartbeating per scenario). The case14 example, pf_ac.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { studyPipeline } from '../../src/workflows';
import { FeatureLayout, StudyResult } from '../../src/contracts/workflow-types';
import { testTemporal, TestTemporal } from '../helpers/temporal';
import { ARTIFACTS } from '../helpers/test-server';

const SPEC = resolve(__dirname, '..', '..', 'examples', 'case14-n1.yaml');

describe('dataset layouts in the pipeline', () => {
  let t: TestTemporal;
  const runs: Partial<Record<FeatureLayout, { out: string; r: StudyResult }>> = {};

  beforeAll(async () => {
    t = await testTemporal();
    const worker = await t.newWorker();
    const start = async (featureLayout: FeatureLayout) => {
      const batchId = `it-dataset-${featureLayout}-${randomBytes(3).toString('hex')}`;
      const out = join(ARTIFACTS, 'runs', batchId);
      const handle = await t.client.workflow.start(studyPipeline, {
        workflowId: batchId,
        taskQueue: t.taskQueue,
        args: [{ batchId, specPath: SPEC, outDir: out, task: 'pf_ac', options: { skipReport: true, featureLayout } }],
      });
      runs[featureLayout] = { out, r: await handle.result() };
    };
    await worker.runUntil(Promise.all([start('gridfm'), start('opfdata-json')]));
  });
  afterAll(async () => t?.close());

  test('gridfm: n_scenarios.txt and one partition of the 44 solved jobs', () => {
    const { out, r } = runs.gridfm!;
    const raw = join(out, 'features', 'gridfm', 'case14', 'raw');
    expect(r.features).toMatchObject({ graphs: 44, nodes: 44 * 14, jobsWithoutGraph: 2, dirs: [raw] });
    expect(readFileSync(join(raw, 'n_scenarios.txt'), 'utf8')).toBe('44');
    for (const t of ['bus_data', 'gen_data', 'branch_data', 'y_bus_data', 'runtime_data']) {
      expect(readdirSync(join(raw, `${t}.parquet`))).toEqual(['scenario_partition=0']);
    }
    expect(existsSync(join(out, 'features', 'gnn'))).toBe(false);
  });

  test('opfdata-json: 44 examples and the group archive', () => {
    const { out, r } = runs['opfdata-json']!;
    const root = join(out, 'features', 'opfdata-json');
    expect(r.features).toMatchObject({ graphs: 44, dirs: [root] });
    const raw = join(root, 'dataset_release_1', 'case14', 'raw');
    expect(existsSync(join(raw, 'case14_0.tar.gz'))).toBe(true);
    expect(readdirSync(join(raw, 'gridopt-dataset-tmp', 'dataset_release_1', 'case14', 'group_0')).length).toBe(44);
  });
});
