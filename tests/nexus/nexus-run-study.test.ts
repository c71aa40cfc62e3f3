/**
 * Starting a study from another Temporal service through Nexus, end to end on the dev server:
 * the endpoint is created with the project's Temporal CLI (as `client.ts nexus-endpoint create`
 * does), the gridbatch worker of src/temporal/worker.ts serves the `gridbatch` service, and the
 * example caller workflow (examples/caller) on its own task queue runs a small study through
 * `createNexusServiceClient` and gets its result. Bad input comes back as a BAD_REQUEST that
 * names the key; cancelling the caller cancels the study.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure, NexusOperationFailure } from '@temporalio/common';
import { HandlerError } from 'nexus-rpc';
import { createCallerWorker } from '../../examples/caller/worker';
import { runCaller } from '../../examples/caller/start';
import { connectionSettings, readDevConfig } from '../../src/temporal/config';
import { deleteNexusEndpoint, ensureNexusEndpoint, getNexusEndpoint } from '../../src/temporal/nexus-endpoint';
import { layout } from '../../src/io/layout';
import type { StudyInput, StudyProgress } from '../../src/contracts/workflow-types';
import { studyViaNexus } from '../../examples/caller/workflows';
import { testTemporal, TestTemporal } from '../helpers/temporal';
import { ARTIFACTS } from '../helpers/test-server';
import { capture } from '../helpers/cli';
import { nexusEndpointCommand } from '../../src/cli/nexus-endpoint';

const SPEC = resolve(__dirname, '..', '..', 'examples', 'case14-n1.yaml');
const run = randomBytes(3).toString('hex');

jest.setTimeout(60_000);

describe('Nexus: gridbatch.runStudy from a caller workflow on another task queue', () => {
  let t: TestTemporal;
  const endpoint = { name: `gridbatch-test-${run}`, namespace: 'default', taskQueue: '' };
  beforeAll(async () => {
    t = await testTemporal();
    endpoint.taskQueue = t.taskQueue;
  });
  afterAll(async () => {
    if (t) await deleteNexusEndpoint(endpoint, connectionSettings(readDevConfig())).catch(() => undefined);
    await t?.close();
  });

  test('client.ts nexus-endpoint create makes the endpoint (show / create again report it)', async () => {
    const create = await capture(() =>
      nexusEndpointCommand('create', { name: endpoint.name, taskQueue: t.taskQueue, json: true }),
    );
    expect(create.code).toBe(0);
    expect(JSON.parse(create.out)).toMatchObject({
      action: 'created',
      name: endpoint.name,
      namespace: 'default',
      taskQueue: t.taskQueue,
      service: 'gridbatch',
    });
    const again = await capture(() => nexusEndpointCommand('create', { name: endpoint.name, taskQueue: t.taskQueue }));
    expect(again.out).toBe(
      `Nexus endpoint '${endpoint.name}' already targets namespace default, task queue ${t.taskQueue}\ncallers: createNexusServiceClient({ endpoint: '${endpoint.name}', service: gridbatchService }) -> executeOperation('runStudy', studyInput)`,
    );
    const show = await capture(() => nexusEndpointCommand('show', { name: endpoint.name, json: true }));
    expect(JSON.parse(show.out)).toEqual({
      name: endpoint.name,
      exists: true,
      namespace: 'default',
      taskQueue: t.taskQueue,
    });
    await expect(nexusEndpointCommand('create', { name: 'no spaces please' })).rejects.toThrow(
      /not a valid endpoint name/,
    );
  });

  test('the endpoint command is idempotent and follows a new target', async () => {
    const s = connectionSettings(readDevConfig());
    const ep = { ...endpoint, name: `${endpoint.name}-idem` };
    expect(await getNexusEndpoint(ep.name, s)).toBeUndefined();
    expect((await ensureNexusEndpoint({ ...ep, taskQueue: 'elsewhere' }, s)).action).toBe('created');
    const updated = await ensureNexusEndpoint(ep, s);
    expect(updated).toMatchObject({ action: 'updated', previous: { namespace: 'default', taskQueue: 'elsewhere' } });
    expect((await ensureNexusEndpoint(ep, s)).action).toBe('exists');
    expect(await getNexusEndpoint(ep.name, s)).toEqual({ namespace: 'default', taskQueue: t.taskQueue });
    expect((await deleteNexusEndpoint(ep, s)).action).toBe('deleted');
    expect((await deleteNexusEndpoint(ep, s)).action).toBe('absent');
  });

  test('a caller workflow runs a small study through the endpoint and gets its result', async () => {
    const outDir = join(ARTIFACTS, 'runs', `nexus-${run}`);
    const study: StudyInput = {
      batchId: `nexus-study-${run}`,
      specPath: SPEC,
      outDir,
      task: 'pf_dc',
      options: { scenarios: ['base', 'n1_branch_03', 'load_110'], skipFeaturize: true, skipReport: true },
    };
    await ensureNexusEndpoint(endpoint, connectionSettings(readDevConfig())); // made by the first test when it ran
    const gridbatch = await t.newWorker();
    const caller = await createCallerWorker({
      connection: t.nativeConnection,
      namespace: t.namespace,
      taskQueue: `${t.taskQueue}-caller`,
    });
    const r = await gridbatch.runUntil(
      caller.runUntil(runCaller(t.client, 'nexus', { study, endpoint: endpoint.name }, `${t.taskQueue}-caller`)),
    );
    expect(r.result).toMatchObject({ batchId: study.batchId, task: 'pf_dc', scenarios: 3, jobs: 6, ok: 6, failed: 0 });
    expect(r.verdict).toBe(`${study.batchId}: 6/6 pf_dc jobs ok over 3 scenarios`);
    expect(existsSync(layout.batchManifest(outDir))).toBe(true);

    // the study is a studyPipeline run on gridbatch's task queue, marked as started through Nexus
    const d = await t.client.workflow.getHandle(study.batchId).describe();
    expect(d.type).toBe('studyPipeline');
    expect(d.taskQueue).toBe(t.taskQueue);
    expect(d.status.name).toBe('COMPLETED');
    expect(await d.staticSummary()).toBe('gridbatch pf_dc study case14-n1.yaml (via Nexus)');
    expect(d.memo).toMatchObject({ spec: SPEC, out: outDir, task: 'pf_dc' });
  });

  test('cancelling the caller cancels the study through the operation; the manifest marks what did not run', async () => {
    await ensureNexusEndpoint(endpoint, connectionSettings(readDevConfig()));
    // 4,272 AC jobs, one scenario at a time: far from done when the caller is cancelled
    const study: StudyInput = {
      batchId: `nexus-cancel-${run}`,
      specPath: resolve(__dirname, '..', '..', 'examples', 'case118-n1-day.yaml'),
      outDir: join(ARTIFACTS, 'runs', `nexus-cancel-${run}`),
      task: 'pf_ac',
      options: { maxInFlight: 1, skipFeaturize: true, skipReport: true },
    };
    const callerQueue = `${t.taskQueue}-caller`;
    const gridbatch = await t.newWorker();
    const caller = await createCallerWorker({
      connection: t.nativeConnection,
      namespace: t.namespace,
      taskQueue: callerQueue,
    });
    const outcome = await gridbatch.runUntil(
      caller.runUntil(async () => {
        const h = await t.client.workflow.start(studyViaNexus, {
          taskQueue: callerQueue,
          workflowId: `caller-${study.batchId}`,
          args: [{ study, endpoint: endpoint.name }],
        });
        const studyHandle = t.client.workflow.getHandle(study.batchId);
        for (let i = 0; ; i++) {
          const p = await studyHandle.query<StudyProgress>('progress').catch(() => undefined);
          if (p && p.stage === 'batch') break;
          if (i > 200) throw new Error('the study did not reach its batch stage');
          await new Promise((r) => setTimeout(r, 100));
        }
        await h.cancel();
        const callerError = await h.result().then(
          () => undefined,
          (e: unknown) => e,
        );
        const studyError = await studyHandle.result().then(
          () => undefined,
          (e: unknown) => e,
        );
        return { callerError, studyError, memo: (await studyHandle.describe()).memo };
      }),
    );
    expect(outcome.callerError).toBeInstanceOf(WorkflowFailedError);
    expect((outcome.callerError as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    expect(outcome.studyError).toBeInstanceOf(WorkflowFailedError);
    expect((outcome.studyError as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    const memo = outcome.memo as { jobs: number; ok: number; skipped: number };
    expect(memo.jobs).toBe(4272);
    expect(memo.skipped).toBeGreaterThan(0);
    expect(memo.ok + memo.skipped).toBeLessThanOrEqual(4272);
    expect(existsSync(layout.batchManifest(study.outDir))).toBe(true);
  });

  test('bad input fails the operation with BAD_REQUEST naming the key', async () => {
    await ensureNexusEndpoint(endpoint, connectionSettings(readDevConfig()));
    const bad = {
      batchId: `nexus-bad-${run}`,
      specPath: 'examples/case14-n1.yaml',
      outDir: '/tmp/x',
      task: 'pf_dc',
    } as StudyInput;
    const gridbatch = await t.newWorker();
    const caller = await createCallerWorker({
      connection: t.nativeConnection,
      namespace: t.namespace,
      taskQueue: `${t.taskQueue}-caller`,
    });
    const err = await gridbatch
      .runUntil(
        caller.runUntil(runCaller(t.client, 'nexus', { study: bad, endpoint: endpoint.name }, `${t.taskQueue}-caller`)),
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const op = (err as WorkflowFailedError).cause;
    expect(op).toBeInstanceOf(NexusOperationFailure);
    const cause = (op as NexusOperationFailure).cause;
    expect(cause).toBeInstanceOf(HandlerError);
    expect((cause as HandlerError).type).toBe('BAD_REQUEST');
    expect((cause as HandlerError).message).toContain('specPath: specPath must be an absolute path');
  });
});
