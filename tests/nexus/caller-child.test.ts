/**
 * The example caller service (examples/caller) on its own task queue starts a study as a child
 * workflow of type `studyPipeline` on gridbatch's task queue, on the dev server, and uses its
 * result.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createCallerWorker } from '../../examples/caller/worker';
import { runCaller } from '../../examples/caller/start';
import { layout } from '../../src/io/layout';
import type { StudyInput } from '../../src/contracts/workflow-types';
import { testTemporal, TestTemporal } from '../helpers/temporal';
import { ARTIFACTS } from '../helpers/test-server';

const SPEC = resolve(__dirname, '..', 'fixtures', 'specs', 'case14-n1-islands-fail.yaml'); // branch 14's two jobs fail
const run = randomBytes(3).toString('hex');

jest.setTimeout(60_000);

describe('a caller workflow on another task queue starts a study as a child', () => {
  let t: TestTemporal;
  beforeAll(async () => {
    t = await testTemporal();
  });
  afterAll(async () => t?.close());

  test('studyAsChild runs studyPipeline on the gridbatch task queue and returns its result', async () => {
    const outDir = join(ARTIFACTS, 'runs', `caller-child-${run}`);
    const study: StudyInput = {
      batchId: `caller-child-${run}`,
      specPath: SPEC,
      outDir,
      task: 'pf_dc',
      options: { scenarios: ['base', 'n1_branch_14', 'load_90'], skipFeaturize: true, skipReport: true },
    };
    const callerQueue = `${t.taskQueue}-caller`;
    const gridbatch = await t.newWorker();
    const caller = await createCallerWorker({
      connection: t.nativeConnection,
      namespace: t.namespace,
      taskQueue: callerQueue,
    });
    const r1 = await gridbatch.runUntil(
      caller.runUntil(runCaller(t.client, 'child', { study, gridbatchTaskQueue: t.taskQueue }, callerQueue)),
    );
    // branch 14's outage islands bus 8: with islands: fail its two jobs fail, as results
    expect(r1.result).toMatchObject({ batchId: study.batchId, task: 'pf_dc', scenarios: 3, jobs: 6, ok: 4, failed: 2 });
    expect(r1.verdict).toBe(`${study.batchId}: 4/6 pf_dc jobs ok over 3 scenarios, 2 failed`);
    expect(existsSync(layout.batchManifest(outDir))).toBe(true);

    const d = await t.client.workflow.getHandle(study.batchId).describe();
    expect(d.type).toBe('studyPipeline');
    expect(d.taskQueue).toBe(t.taskQueue);
    expect(d.parentExecution?.workflowId).toMatch(new RegExp(`^caller-child-${study.batchId}-`));
  });
});
