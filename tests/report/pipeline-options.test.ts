/**
 * The pipeline's featurize / report options on the dev server: skipping featurize, another
 * baseline, skipping the report. The case14 example (46 pf_dc jobs).
 */
import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { studyPipeline } from '../../src/workflows';
import { StudyOptions, StudyResult } from '../../src/contracts/workflow-types';
import { testTemporal, TestTemporal } from '../helpers/temporal';
import { ARTIFACTS } from '../helpers/test-server';

const SPEC = resolve(__dirname, '..', 'fixtures', 'specs', 'case14-n1-islands-fail.yaml'); // branch 14's two jobs fail

describe('featurize / report options of the pipeline', () => {
  let t: TestTemporal;
  const runs: Record<string, { out: string; r: StudyResult }> = {};

  // Both studies on one worker (one workflow bundle), at the same time.
  beforeAll(async () => {
    t = await testTemporal();
    const worker = await t.newWorker();
    const start = async (label: string, options: StudyOptions) => {
      const batchId = `it-opts-${label}-${randomBytes(3).toString('hex')}`;
      const out = join(ARTIFACTS, 'runs', batchId);
      const handle = await t.client.workflow.start(studyPipeline, {
        workflowId: batchId,
        taskQueue: t.taskQueue,
        args: [{ batchId, specPath: SPEC, outDir: out, task: 'pf_dc', options }],
      });
      runs[label] = { out, r: await handle.result() };
    };
    await worker.runUntil(
      Promise.all([
        start('nofeat', { skipFeaturize: true, baseline: 'load_110' }),
        start('norep', { skipReport: true, featureLayout: 'opfdata' }),
      ]),
    );
  });
  afterAll(async () => t?.close());

  test('skipFeaturize with baseline load_110: no features, a report against load_110', () => {
    const { out, r } = runs.nofeat;
    expect(r.features).toBeUndefined();
    expect(existsSync(join(out, 'features'))).toBe(false);
    expect(r.report).toMatchObject({ baseline: 'load_110', worst: 'n1_branch_14' });
    const json = JSON.parse(readFileSync(join(out, 'report', 'report.json'), 'utf8')) as {
      baseline: string;
      jobs: number;
      failed: number;
    };
    expect(json).toMatchObject({ baseline: 'load_110', jobs: 46, failed: 2 });
  });

  test('skipReport with the OPFData layout: features only', () => {
    const { out, r } = runs.norep;
    expect(r.report).toBeUndefined();
    expect(existsSync(join(out, 'report'))).toBe(false);
    expect(r.features).toMatchObject({ graphs: 44, nodes: 44 * 14, dirs: [join(out, 'features', 'opfdata')] });
    expect(existsSync(join(out, 'features', 'gnn'))).toBe(false);
  });
});
