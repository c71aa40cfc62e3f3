/**
 * A small study runs its scenario groups from its pipeline (src/workflows/small-study.ts): the
 * choice (pure), and studyPipeline on the test dev server with the real workflow code and mocked
 * activities (materialize, the pages, the group and manifest activities): which workflows and
 * activities run which scenarios, how the counts add up, the hand-over to a studyBatch child when
 * the pipeline's history grows long, a cancel and an output error.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { Context } from '@temporalio/activity';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { randomBytes } from 'node:crypto';
import { readDevConfig, connectionSettings } from '../../src/temporal/config';
import { installRuntime } from '../../src/temporal/worker';
import { cachedWorkflowBundle } from '../../src/temporal/workflow-bundle';
import { studyPipeline } from '../../src/workflows';
import { studyProgressQuery } from '../../src/workflows/queries';
import { estimatedStudyMs, runsInPipeline, SMALL_STUDY_MS } from '../../src/workflows/small-study';
import type {
  BatchInput,
  GroupInput,
  PageRequest,
  ScenarioRef,
  ScenarioResult,
  StudyOptions,
  StudyProgress,
} from '../../src/contracts/workflow-types';
import { writeTestConfig } from '../helpers/test-server';

/** n scenarios of `jobs` jobs each; the ones listed in `complete` were finished by an earlier run. */
function scenarios(n: number, jobs: number, complete: number[] = []): ScenarioRef[] {
  return Array.from({ length: n }, (_, index) => ({
    index,
    id: `s${String(index).padStart(3, '0')}`,
    jobs,
    ...(complete.includes(index) ? { chunks: [] as [number, number][], prior: { ok: jobs, failed: 0 } } : {}),
  }));
}

function batch(totalScenarios: number, totalJobs: number, options: StudyOptions, buses = 118): BatchInput {
  return { batchId: 'b', outDir: '/x', task: 'pf_dc', totalScenarios, totalJobs, buses, chunkSize: 24, options };
}

describe('which studies run their groups from the pipeline', () => {
  test('the GAT-format study (1,000 one-slice case118 pf_dc scenarios) does', () => {
    const b = batch(1000, 1000, {});
    expect(estimatedStudyMs(b, 118)).toBeLessThanOrEqual(SMALL_STUDY_MS);
    expect(runsInPipeline(b)).toBe(true);
  });

  test('ungrouped, unknown grid size, a batch workflow asked for, or too much solving: a studyBatch child', () => {
    // auto groups only above 100 scenarios; never groups nothing
    expect(runsInPipeline(batch(100, 100, {}))).toBe(false);
    expect(runsInPipeline(batch(100, 100, { scenarioGroups: 'always' }))).toBe(true);
    expect(runsInPipeline(batch(1000, 1000, { scenarioGroups: 'never' }))).toBe(false);
    // a study materialized before the bus count was recorded
    expect(runsInPipeline({ ...batch(1000, 1000, {}), buses: undefined })).toBe(false);
    expect(runsInPipeline(batch(1000, 1000, { batchWorkflow: 'always' }))).toBe(false);
    // 417 scenarios of 24 case118 pf_dc slices: ~6 s estimated; ten times the slices: ~45 s
    expect(runsInPipeline(batch(417, 10_008, {}))).toBe(true);
    expect(runsInPipeline(batch(417, 100_080, {}))).toBe(false);
    // the same 1,000 jobs on a 9,241-bus grid
    expect(runsInPipeline(batch(1000, 1000, {}, 9241))).toBe(false);
  });
});

describe('studyPipeline of a small study (mocked activities)', () => {
  let env: TestWorkflowEnvironment;
  let code: string;
  beforeAll(async () => {
    process.env.GRIDBATCH_DEV_CONFIG = writeTestConfig();
    installRuntime('WARN');
    const s = connectionSettings(readDevConfig());
    env = await TestWorkflowEnvironment.createFromExistingServer({ address: s.address, namespace: s.namespace });
    code = (await cachedWorkflowBundle()).code;
  });
  afterAll(async () => {
    await env?.teardown();
  });

  type Solve = (g: GroupInput) => Promise<ScenarioResult[]>;
  /** the first job of every scenario fails, the rest solve */
  const oneFailedEach: Solve = async (g) => g.scenarios.map((s) => ({ scenarioId: s.id, ok: s.jobs - 1, failed: 1 }));

  function worker(refs: ScenarioRef[], solve: Solve, finalized: string[]) {
    const taskQueue = `small-${randomBytes(4).toString('hex')}`;
    const jobs = refs.reduce((a, r) => a + r.jobs, 0);
    const activities = {
      materialize: async () => ({ scenarios: refs.length, jobs, warnings: [], buses: 118, chunkSize: 24 }),
      listScenarios: async (p: PageRequest) => refs.slice(p.offset, p.offset + p.limit),
      solveScenarioGroup: solve,
      finalizeManifest: async (i: { batchId: string }) => {
        finalized.push(i.batchId);
        return { jobs, ok: 0, failed: 0, stats: { skipped: 0 } };
      },
    };
    return {
      taskQueue,
      create: () =>
        Worker.create({
          connection: env.nativeConnection,
          taskQueue,
          workflowBundle: { code },
          activities,
          // a heartbeat (and so a cancel) reaches the server within a second, not 0.8 x the 20 s timeout
          maxHeartbeatThrottleInterval: '1s',
        }),
    };
  }

  /** Runs the study; returns its progress at the end, the workflows under its id and its solve activities. */
  async function runStudy(refs: ScenarioRef[], options: StudyOptions, solve: Solve = oneFailedEach) {
    const finalized: string[] = [];
    const w = worker(refs, solve, finalized);
    const batchId = `small-${randomBytes(4).toString('hex')}`;
    const progress = await (
      await w.create()
    ).runUntil(async () => {
      const h = await env.client.workflow.start(studyPipeline, {
        workflowId: batchId,
        taskQueue: w.taskQueue,
        args: [
          {
            batchId,
            specPath: '/nonexistent.yaml',
            outDir: '/nonexistent',
            task: 'pf_dc',
            options: { skipFeaturize: true, skipReport: true, ...options },
          },
        ],
      });
      await h.result();
      return h.query(studyProgressQuery);
    });
    const children: { id: string; type: string }[] = [];
    for await (const x of env.client.workflow.list({ query: `WorkflowId STARTS_WITH '${batchId}/'` }))
      children.push({ id: x.workflowId.slice(batchId.length), type: x.type });
    const history = await env.client.workflow.getHandle(batchId).fetchHistory();
    const groupActivities = (history.events ?? [])
      .map((e) => e.activityTaskScheduledEventAttributes)
      .filter((a) => a?.activityType?.name === 'solveScenarioGroup');
    return {
      batchId,
      progress,
      finalized,
      children: children.sort((a, b) => a.id.localeCompare(b.id)),
      groupActivities,
    };
  }

  const counts = (p: StudyProgress) => [p.scenariosDone, p.jobsOk, p.jobsFailed];

  test('its groups are activities of the pipeline: no batch or group workflow, every scenario counted once', async () => {
    const refs = scenarios(12, 24, [3]);
    const seen: number[][] = [];
    const r = await runStudy(refs, { scenarioGroups: 'always', pageSize: 5 }, async (g) => {
      seen.push(g.scenarios.map((s) => s.index));
      return oneFailedEach(g);
    });
    // groups do not span pages (5 per page), the complete scenario 3 runs nowhere
    expect(seen.sort((a, b) => a[0] - b[0])).toEqual([
      [0, 1, 2, 4],
      [5, 6, 7, 8, 9],
      [10, 11],
    ]);
    expect(r.children).toEqual([]);
    expect(r.groupActivities).toHaveLength(3);
    expect(counts(r.progress)).toEqual([12, 24 + 11 * 23, 11]);
    expect(r.progress.stage).toBe('done');
    expect(r.finalized).toEqual([r.batchId]);
  });

  test('batchWorkflow always: the same study through studyBatch and scenarioGroup workflows, same counts', async () => {
    const r = await runStudy(scenarios(12, 24, [3]), {
      scenarioGroups: 'always',
      pageSize: 5,
      batchWorkflow: 'always',
    });
    expect(r.children).toEqual([
      { id: '/batch', type: 'studyBatch' },
      { id: '/group/s000', type: 'scenarioGroup' },
      { id: '/group/s005', type: 'scenarioGroup' },
      { id: '/group/s010', type: 'scenarioGroup' },
    ]);
    expect(r.groupActivities).toHaveLength(0);
    expect(counts(r.progress)).toEqual([12, 24 + 11 * 23, 11]);
  });

  test('a pipeline whose history grows long hands the scenarios not started to a studyBatch child', async () => {
    const refs = scenarios(12, 24);
    const seen: number[] = [];
    const r = await runStudy(
      refs,
      { scenarioGroups: 'always', pageSize: 5, maxInFlight: 1, historyLimit: 10 },
      async (g) => {
        seen.push(...g.scenarios.map((s) => s.index));
        return oneFailedEach(g);
      },
    );
    // the first pages' groups ran in the pipeline, the rest in the batch child's group workflow
    expect(r.groupActivities.length).toBeGreaterThan(0);
    expect(r.children.map((c) => c.type)).toContain('studyBatch');
    expect(r.children.filter((c) => c.type === 'scenarioGroup').length).toBe(3 - r.groupActivities.length);
    expect(seen.sort((a, b) => a - b)).toEqual(refs.map((s) => s.index));
    expect(counts(r.progress)).toEqual([12, 12 * 23, 12]);
  });

  test('a cancel waits for the running group activity to stop, writes the manifest and ends cancelled', async () => {
    const refs = scenarios(8, 2);
    const finalized: string[] = [];
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    let stopped = false;
    const w = worker(
      refs,
      async () => {
        started();
        try {
          for (;;) {
            Context.current().heartbeat();
            await Context.current().sleep(100); // throws once the cancellation arrives
          }
        } finally {
          stopped = true;
        }
      },
      finalized,
    );
    const batchId = `small-cancel-${randomBytes(4).toString('hex')}`;
    const outcome = await (
      await w.create()
    ).runUntil(async () => {
      const h = await env.client.workflow.start(studyPipeline, {
        workflowId: batchId,
        taskQueue: w.taskQueue,
        args: [
          {
            batchId,
            specPath: '/nonexistent.yaml',
            outDir: '/nonexistent',
            task: 'pf_dc',
            options: { skipFeaturize: true, skipReport: true, scenarioGroups: 'always' },
          },
        ],
      });
      await running;
      await h.cancel();
      return h.result().then(
        () => undefined,
        (e: unknown) => e,
      );
    });
    expect(outcome).toBeInstanceOf(WorkflowFailedError);
    expect((outcome as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    expect(stopped).toBe(true);
    expect(finalized).toEqual([batchId]);
  });

  test('an output error the user must fix fails the study naming it', async () => {
    const refs = scenarios(12, 2);
    const outcome = await runStudy(refs, { scenarioGroups: 'always', pageSize: 5, maxInFlight: 1 }, async () => {
      throw ApplicationFailure.nonRetryable('cannot write /out/results: not a directory', 'OutputError');
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(outcome).toBeInstanceOf(WorkflowFailedError);
    const cause = (outcome as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('OutputError');
    expect(cause.message).toContain('cannot write /out/results');
  });
});
