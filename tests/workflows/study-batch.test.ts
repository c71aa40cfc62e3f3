/**
 * studyBatch and scenarioRun as workflow unit tests: the real workflow code on Temporal's Java
 * test server with time skipping (tests/helpers/time-skipping.ts) and mocked activities (the page
 * reader and the chunk solver: what is checked is which chunks run, in which window and run, and
 * how the counts add up; the solving itself is tested elsewhere). Each test takes seconds.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import { scenarioRun, studyBatch } from '../../src/workflows';
import type { BatchInput, ChunkRef, PageRequest, ScenarioInput, ScenarioRef } from '../../src/contracts/workflow-types';
import { testWith } from '../helpers/requirements';
import { timeSkipping, TimeSkipping, uniqueId } from '../helpers/time-skipping';

const unit = testWith('temporal-test-server', 'tests/workflows/study-batch.test.ts');

/** n scenarios of `jobs` jobs each. */
function scenarios(n: number, jobs: number): ScenarioRef[] {
  return Array.from({ length: n }, (_, index) => ({ index, id: `s${String(index).padStart(2, '0')}`, jobs }));
}

/** Mocked activities: pages of `refs`, and a chunk solver that records each chunk and solves it whole. */
function mockActivities(refs: ScenarioRef[], solve?: (c: ChunkRef) => Promise<void>) {
  const pages: PageRequest[] = [];
  const chunks: ChunkRef[] = [];
  return {
    pages,
    chunks,
    activities: {
      listScenarios: async (p: PageRequest) => {
        pages.push(p);
        return refs.slice(p.offset, p.offset + p.limit);
      },
      solveChunk: async (c: ChunkRef) => {
        await solve?.(c);
        chunks.push(c);
        return { ok: c.sliceEnd - c.sliceStart, failed: 0 };
      },
    },
  };
}

function batchInput(batchId: string, refs: ScenarioRef[], options: BatchInput['options']): BatchInput {
  const totalJobs = refs.reduce((a, r) => a + r.jobs, 0);
  return { batchId, outDir: '/nonexistent', task: 'pf_dc', totalScenarios: refs.length, totalJobs, options };
}

/** Chunks as `<scenario>:<chunk>` sorted, to compare what ran regardless of order. */
const ran = (chunks: ChunkRef[]) => chunks.map((c) => `${c.scenarioId}:${c.chunk}`).sort();

describe('studyBatch and scenarioRun (time skipping, mocked activities)', () => {
  let ts: TimeSkipping;
  beforeAll(async () => {
    ts = await timeSkipping();
  });
  afterAll(async () => {
    await ts?.teardown();
  });

  /** Runs a batch over `refs` on a fresh worker with the mocked activities `m`; returns its counters. */
  async function executeBatch(
    prefix: string,
    refs: ScenarioRef[],
    m: ReturnType<typeof mockActivities>,
    options: BatchInput['options'],
  ) {
    const worker = await ts.worker(m.activities);
    const batchId = uniqueId(prefix);
    return worker.runUntil(
      ts.env.client.workflow.execute(studyBatch, {
        workflowId: `${batchId}/batch`,
        taskQueue: worker.options.taskQueue,
        args: [batchInput(batchId, refs, options)],
      }),
    );
  }

  unit('sliding window: never more than maxInFlight scenarios run at once, and every one runs once', async () => {
    const refs = scenarios(10, 2);
    let running = 0;
    let peak = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const m = mockActivities(refs, async () => {
      running++;
      peak = Math.max(peak, running);
      await gate;
      running--;
    });
    const worker = await ts.worker(m.activities);
    const batchId = uniqueId('window');
    const counters = await worker.runUntil(async () => {
      const h = await ts.env.client.workflow.start(studyBatch, {
        workflowId: `${batchId}/batch`,
        taskQueue: worker.options.taskQueue,
        args: [batchInput(batchId, refs, { maxInFlight: 3, chunkSize: 2 })],
      });
      // the window fills; nothing past it starts while the three hold their chunks
      for (let i = 0; i < 200 && running < 3; i++) await new Promise((r) => setTimeout(r, 25));
      await new Promise((r) => setTimeout(r, 500));
      expect(running).toBe(3);
      release();
      return h.result();
    });
    expect(peak).toBe(3);
    expect(ran(m.chunks)).toEqual(refs.map((r) => `${r.id}:0`));
    expect(counters).toEqual({ scenariosDone: 10, jobsOk: 20, jobsFailed: 0, runs: 1 });
  });

  unit('paging: scenario ids are read pageSize at a time, each page once', async () => {
    const refs = scenarios(10, 1);
    const m = mockActivities(refs);
    const counters = await executeBatch('paging', refs, m, { pageSize: 4, chunkSize: 24 });
    expect(m.pages.map((p) => [p.offset, p.limit])).toEqual([
      [0, 4],
      [4, 4],
      [8, 4],
    ]);
    expect(m.pages.every((p) => p.mode === 'run' && p.chunkSize === 24)).toBe(true);
    expect(counters).toEqual({ scenariosDone: 10, jobsOk: 10, jobsFailed: 0, runs: 1 });
  });

  unit('continue-as-new: a long batch carries its cursor and counters into new runs, nothing runs twice', async () => {
    const refs = scenarios(24, 3);
    const m = mockActivities(refs);
    const worker = await ts.worker(m.activities);
    const batchId = uniqueId('can');
    const counters = await worker.runUntil(async () => {
      const h = await ts.env.client.workflow.start(studyBatch, {
        workflowId: `${batchId}/batch`,
        taskQueue: worker.options.taskQueue,
        args: [batchInput(batchId, refs, { historyLimit: 40, pageSize: 5, chunkSize: 2, maxInFlight: 4 })],
      });
      const result = await h.result();
      // the first run ended by continuing as new
      const first = await ts.env.client.workflow.getHandle(h.workflowId, h.firstExecutionRunId).fetchHistory();
      expect(first.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
      return result;
    });
    expect(counters.runs).toBeGreaterThan(1);
    expect(counters).toMatchObject({ scenariosDone: 24, jobsOk: 72, jobsFailed: 0 });
    expect(ran(m.chunks)).toEqual(refs.flatMap((r) => [`${r.id}:0`, `${r.id}:1`]).sort());
    // every page starts where the previous run stopped: offsets rise and no scenario is read twice
    const offsets = m.pages.map((p) => p.offset);
    expect([...offsets].sort((a, b) => a - b)).toEqual(offsets);
  });

  unit('resume: complete scenarios are counted, not started; partial ones run only their missing chunks', async () => {
    const refs: ScenarioRef[] = [
      { index: 0, id: 'done', jobs: 4, chunks: [], prior: { ok: 3, failed: 1 } },
      { index: 1, id: 'half', jobs: 4, chunks: [[1, 2]], prior: { ok: 2, failed: 0 } },
      { index: 2, id: 'fresh', jobs: 4 },
    ];
    const m = mockActivities(refs);
    const counters = await executeBatch('resume', refs, m, { chunkSize: 2 });
    expect(ran(m.chunks)).toEqual(['fresh:0', 'fresh:1', 'half:1']);
    expect(m.chunks.find((c) => c.scenarioId === 'half')).toMatchObject({ sliceStart: 2, sliceEnd: 4 });
    expect(counters).toEqual({ scenariosDone: 3, scenariosSkipped: 1, jobsOk: 3 + 4 + 4, jobsFailed: 1, runs: 1 });
  });

  unit('cancellation: a cancelled batch ends cancelled, its running scenarios are cancelled too', async () => {
    const refs = scenarios(6, 2);
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const m = mockActivities(refs, async () => {
      started();
      for (;;) {
        Context.current().heartbeat();
        await Context.current().sleep(100); // throws once the cancellation arrives
      }
    });
    const worker = await ts.worker(m.activities);
    const batchId = uniqueId('cancel');
    const outcome = await worker.runUntil(async () => {
      const h = await ts.env.client.workflow.start(studyBatch, {
        workflowId: `${batchId}/batch`,
        taskQueue: worker.options.taskQueue,
        args: [batchInput(batchId, refs, { maxInFlight: 2, chunkSize: 2 })],
      });
      await running;
      await h.cancel();
      const e = await h.result().then(
        () => undefined,
        (err: unknown) => err,
      );
      const child = await ts.env.client.workflow.getHandle(`${batchId}/s00`).describe();
      return { e, child: child.status.name };
    });
    expect(outcome.e).toBeInstanceOf(WorkflowFailedError);
    expect((outcome.e as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    expect(['CANCELLED', 'TERMINATED']).toContain(outcome.child);
    expect(m.chunks).toEqual([]);
  });

  unit('a transient chunk failure is retried (retry policy of the solve activities) and counted once', async () => {
    const refs = scenarios(1, 2);
    let attempts = 0;
    const m = mockActivities(refs, async () => {
      attempts++;
      if (attempts === 1) throw ApplicationFailure.retryable('worker lost', 'Transient');
    });
    const counters = await executeBatch('retry', refs, m, { chunkSize: 2 });
    expect(attempts).toBe(2);
    expect(counters).toEqual({ scenariosDone: 1, jobsOk: 2, jobsFailed: 0, runs: 1 });
  });

  unit('scenarioRun: a scenario of many chunks continues as new with the remaining ranges and its counts', async () => {
    const m = mockActivities([]);
    const worker = await ts.worker(m.activities);
    const input: ScenarioInput = {
      batchId: 'b',
      outDir: '/nonexistent',
      task: 'pf_dc',
      chunkSize: 3,
      warmStart: true,
      searchAttributes: false,
      historyLimit: 20,
      scenario: {
        index: 7,
        id: 'long',
        jobs: 40,
        chunks: [
          [0, 5],
          [8, 14],
        ],
        prior: { ok: 6, failed: 0 },
      },
    };
    const result = await worker.runUntil(async () => {
      const h = await ts.env.client.workflow.start(scenarioRun, {
        workflowId: uniqueId('scenario'),
        taskQueue: worker.options.taskQueue,
        args: [input],
      });
      const r = await h.result();
      const first = await ts.env.client.workflow.getHandle(h.workflowId, h.firstExecutionRunId).fetchHistory();
      expect(first.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
      return r;
    });
    // chunks in order, each once; the last chunk (13) holds slices 39..40 only
    expect(m.chunks.map((c) => c.chunk)).toEqual([0, 1, 2, 3, 4, 8, 9, 10, 11, 12, 13]);
    expect(m.chunks.at(-1)).toMatchObject({ sliceStart: 39, sliceEnd: 40, scenarioIndex: 7 });
    expect(result).toEqual({ scenarioId: 'long', ok: 6 + 10 * 3 + 1, failed: 0 });
  });
});
