/**
 * studyBatch with scenario groups and the scenarioGroup workflow, on the test dev server
 * (TestWorkflowEnvironment over the server globalSetup started) with the real workflow code and
 * mocked activities (the page reader and the solve activities: what is checked here is which
 * workflows run which scenarios and how the counts add up, not the solving). No timers are
 * involved, so time skipping (the Java test server, not available here) is not needed.
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
import { studyBatch } from '../../src/workflows';
import { groupDetails, groupSummary, GROUP_MAX_SCENARIOS } from '../../src/workflows/scenario-groups';
import type {
  BatchInput,
  ChunkRef,
  GroupInput,
  PageRequest,
  ScenarioRef,
  ScenarioResult,
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

describe('scenario groups (mocked activities)', () => {
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

  /** Runs a batch over `refs` with mocked activities; returns its counters and what each activity saw. */
  async function runBatch(refs: ScenarioRef[], options: BatchInput['options'], groupFails = false) {
    const taskQueue = `groups-${randomBytes(4).toString('hex')}`;
    const groups: GroupInput[] = [];
    const chunks: ChunkRef[] = [];
    const activities = {
      listScenarios: async (p: PageRequest) => refs.slice(p.offset, p.offset + p.limit),
      solveScenarioGroup: async (g: GroupInput): Promise<ScenarioResult[]> => {
        groups.push(g);
        if (groupFails) throw ApplicationFailure.nonRetryable('bad input in the group', 'InputError');
        // the first job of every scenario fails, the rest solve
        return g.scenarios.map((s) => ({ scenarioId: s.id, ok: s.jobs - 1, failed: 1 }));
      },
      solveChunk: async (c: ChunkRef) => {
        chunks.push(c);
        return { ok: c.sliceEnd - c.sliceStart, failed: 0 };
      },
    };
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: { code },
      activities,
    });
    const batchId = `groups-${randomBytes(4).toString('hex')}`;
    const totalJobs = refs.reduce((a, r) => a + r.jobs, 0);
    const counters = await worker.runUntil(
      env.client.workflow.execute(studyBatch, {
        workflowId: `${batchId}/batch`,
        taskQueue,
        args: [
          {
            batchId,
            outDir: '/nonexistent',
            task: 'pf_dc',
            totalScenarios: refs.length,
            totalJobs,
            buses: 118,
            options,
          },
        ],
      }),
    );
    const children: { id: string; type: string; summary?: string; details?: string; memo?: Record<string, unknown> }[] =
      [];
    for await (const w of env.client.workflow.list({ query: `WorkflowId STARTS_WITH '${batchId}/'` })) {
      if (w.workflowId.endsWith('/batch')) continue;
      const d = await env.client.workflow.getHandle(w.workflowId).describe();
      const meta = await d.staticSummary?.();
      children.push({
        id: w.workflowId,
        type: w.type,
        summary: meta,
        details: await d.staticDetails?.(),
        memo: d.memo,
      });
    }
    return { batchId, counters, groups, chunks, children: children.sort((a, b) => a.id.localeCompare(b.id)) };
  }

  test('small scenarios run in groups: one workflow and one activity per group, every scenario counted once', async () => {
    const refs = scenarios(12, 24, [3]);
    const r = await runBatch(refs, { scenarioGroups: 'always', pageSize: 5, chunkSize: 24 });
    // groups do not span pages (5 per page), the complete scenario 3 runs nowhere
    expect(r.groups.map((g) => g.scenarios.map((s) => s.index)).sort((a, b) => a[0] - b[0])).toEqual([
      [0, 1, 2, 4],
      [5, 6, 7, 8, 9],
      [10, 11],
    ]);
    expect(r.chunks).toEqual([]);
    expect(r.counters).toMatchObject({ scenariosDone: 12, scenariosSkipped: 1, jobsOk: 24 + 11 * 23, jobsFailed: 11 });
    expect(r.children.map((c) => [c.id.slice(r.batchId.length), c.type])).toEqual([
      ['/group/s000', 'scenarioGroup'],
      ['/group/s005', 'scenarioGroup'],
      ['/group/s010', 'scenarioGroup'],
    ]);
    // the Web UI finds a scenario: the group's summary names the range, its details and memo every id
    const g0 = r.children[0];
    expect(g0.summary).toBe('pf_dc group of 4 scenarios, s000 .. s004 (96 jobs)');
    for (const id of ['s000', 's001', 's002', 's004']) expect(g0.details).toContain(id);
    expect(g0.details).not.toContain('s003');
    expect(g0.memo).toEqual({ scenarios: 4, first: 's000', last: 's004', firstIndex: 0, lastIndex: 4 });
  });

  test('auto leaves a study of at most 100 scenarios one workflow per scenario; never always does', async () => {
    for (const mode of ['auto', 'never'] as const) {
      const r = await runBatch(scenarios(4, 2), { scenarioGroups: mode, chunkSize: 24 });
      expect(r.groups).toEqual([]);
      expect(r.children.map((c) => c.type)).toEqual(['scenarioRun', 'scenarioRun', 'scenarioRun', 'scenarioRun']);
      expect(r.counters).toMatchObject({ scenariosDone: 4, jobsOk: 8, jobsFailed: 0 });
    }
  });

  test('a scenario estimated at seconds of solving runs on its own; a group of one is a scenarioRun', async () => {
    // 101 scenarios (auto groups): s000..s099 small, s100 with 20,000 slices (~10 s of pf_dc on 118 buses)
    const refs = scenarios(101, 1);
    refs[50] = { ...refs[50], jobs: 20_000 };
    const r = await runBatch(refs, { chunkSize: 5_000, pageSize: 500 });
    expect(r.groups.map((g) => [g.scenarios[0].index, g.scenarios.length]).sort((a, b) => a[0] - b[0])).toEqual([
      [0, 50],
      [51, 50],
    ]);
    expect(r.children.filter((c) => c.type === 'scenarioRun').map((c) => c.id.slice(r.batchId.length))).toEqual([
      '/s050',
    ]);
    expect(r.chunks.map((c) => c.scenarioId)).toEqual(['s050', 's050', 's050', 's050']);
    expect(r.counters).toMatchObject({ scenariosDone: 101, jobsOk: 20_000, jobsFailed: 100 });
  });

  test('a group that fails as a whole counts the jobs it was to run as failed, the batch goes on', async () => {
    const refs = scenarios(6, 3);
    refs[1] = { ...refs[1], chunks: [[0, 1]], prior: { ok: 2, failed: 0 } };
    const r = await runBatch(refs, { scenarioGroups: 'always', chunkSize: 1 }, true);
    expect(r.groups).toHaveLength(1);
    expect(r.counters).toMatchObject({ scenariosDone: 6, jobsOk: 2, jobsFailed: 16 });
  });

  test('cancelling a batch while its groups run ends the batch cancelled (not completed with failed jobs)', async () => {
    const taskQueue = `groups-${randomBytes(4).toString('hex')}`;
    const refs = scenarios(8, 2);
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const activities = {
      listScenarios: async (p: PageRequest) => refs.slice(p.offset, p.offset + p.limit),
      solveScenarioGroup: async (): Promise<ScenarioResult[]> => {
        started();
        for (;;) {
          Context.current().heartbeat();
          await Context.current().sleep(100); // throws once the cancellation arrives
        }
      },
    };
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: { code },
      activities,
    });
    const batchId = `groups-cancel-${randomBytes(4).toString('hex')}`;
    const outcome = await worker.runUntil(async () => {
      const h = await env.client.workflow.start(studyBatch, {
        workflowId: `${batchId}/batch`,
        taskQueue,
        args: [
          {
            batchId,
            outDir: '/nonexistent',
            task: 'pf_dc',
            totalScenarios: 8,
            totalJobs: 16,
            buses: 118,
            options: { scenarioGroups: 'always' },
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
  });

  test('summary and details stay inside the Web UI limits (400 B, 20 KB) for the largest group', () => {
    const refs = Array.from({ length: GROUP_MAX_SCENARIOS }, (_, index) => ({
      index,
      id: `${'x'.repeat(120)}-${index}`,
      jobs: 1,
    }));
    expect(Buffer.byteLength(groupSummary('opf_ac', refs))).toBeLessThanOrEqual(400);
    const d = groupDetails(refs);
    expect(Buffer.byteLength(d)).toBeLessThanOrEqual(20_000);
    expect(d).toContain(refs[0].id);
    expect(d).toMatch(/\.\.\. and \d+ more, through x+-499$/);
  });
});
