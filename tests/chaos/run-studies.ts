/**
 * Runs the chaos study (one pipeline per task, each in its own output folder) on the chaos
 * server with worker processes, undisturbed or under chaos: the worker process SIGKILLed at
 * random moments and started again, and the dev server stopped and started once.
 */
import { Client, WorkflowExecutionDescription } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { workflowsPath } from '../../src/temporal/worker';
import type { StudyOptions, StudyResult, StudyTask } from '../../src/contracts/workflow-types';
import { mulberry32 } from '../../src/scenarios/prng';
import { ChaosServer, sleep, WorkerSupervisor } from './harness';

export interface ChaosPlan {
  /** worker SIGKILLs to do while the studies run */
  kills: number;
  /** stop and start the dev server once, after this many kills (-1: never) */
  serverRestartAfterKill: number;
  seed: number;
  /** the kills are spread over about this long (the undisturbed run's wall time) */
  spreadMs: number;
  /** the first kill lands while an activity of this type runs (e.g. materialize), the others at random */
  firstKillDuring?: string;
}

export interface RunReport {
  label: string;
  wallMs: number;
  results: Record<string, StudyResult>;
  kills: number;
  serverRestarts: number;
  serverDownMs: number;
  workerStarts: number;
  unexpectedWorkerExits: number;
  /** when each kill happened (ms from the start) */
  killTimesMs: number[];
  /** when each kill happened (epoch ms, the clock of the server's event times) */
  killAtMs: number[];
}

export interface StudyRun {
  batchId: string;
  task: StudyTask;
  outDir: string;
  /** options of this study on top of the shared ones */
  options?: StudyOptions;
}

const STARTED = temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;
const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'TIMED_OUT']);

/** Waits for a workflow to close, riding through a server that is down for a while. */
async function waitClosed(
  client: Client,
  workflowId: string,
  timeoutMs: number,
): Promise<WorkflowExecutionDescription> {
  const t0 = Date.now();
  for (;;) {
    try {
      const d = await client.workflow.getHandle(workflowId).describe();
      if (TERMINAL.has(d.status.name)) return d;
    } catch (e) {
      if (Date.now() - t0 > timeoutMs) throw e;
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`${workflowId} still running after ${timeoutMs} ms`);
    await sleep(500);
  }
}

/** True when an activity of this type has started (and not finished) in one of the studies. */
async function activityRunning(client: Client, runs: StudyRun[], type: string, orScheduled = false): Promise<boolean> {
  for (const r of runs) {
    const d = await client.workflow
      .getHandle(r.batchId)
      .describe()
      .catch(() => undefined);
    if (
      (d?.raw.pendingActivities ?? []).some(
        (a) => a.activityType?.name === type && (orScheduled || a.state === STARTED),
      )
    )
      return true;
  }
  return false;
}

export async function runStudies(
  server: ChaosServer,
  runs: StudyRun[],
  specPath: string,
  options: StudyOptions,
  logDir: string,
  plan?: ChaosPlan,
  timeoutMs = 30 * 60_000,
): Promise<RunReport> {
  const taskQueue = `chaos-${runs[0].batchId}`;
  const sup = new WorkerSupervisor(server, taskQueue, logDir);
  const client = await server.client();
  const report: RunReport = {
    label: plan ? 'chaos' : 'undisturbed',
    wallMs: 0,
    results: {},
    kills: 0,
    serverRestarts: 0,
    serverDownMs: 0,
    workerStarts: 0,
    unexpectedWorkerExits: 0,
    killTimesMs: [],
    killAtMs: [],
  };
  await sup.start();
  const t0 = Date.now();
  for (const r of runs) {
    await client.workflow.start('studyPipeline', {
      workflowId: r.batchId,
      taskQueue,
      args: [
        {
          batchId: r.batchId,
          specPath,
          outDir: r.outDir,
          task: r.task,
          options: { ...options, ...r.options, searchAttributes: true },
        },
      ],
    });
  }
  let done = false;
  const finished = Promise.all(runs.map((r) => waitClosed(client, r.batchId, timeoutMs))).finally(() => {
    done = true;
  });

  const chaos = async () => {
    if (!plan) return;
    const rnd = mulberry32(plan.seed); // seeded: the same seed gives the same kill schedule
    const gap = plan.spreadMs / (plan.kills + 1);
    for (let k = 1; k <= plan.kills && !done; k++) {
      if (k === 1 && plan.firstKillDuring) {
        while (!done && !(await activityRunning(client, runs, plan.firstKillDuring))) await sleep(10);
      } else {
        // the random kills start once that activity was retried and the studies moved on
        if (k === 2 && plan.firstKillDuring)
          while (!done && (await activityRunning(client, runs, plan.firstKillDuring, true))) await sleep(200);
        // wait a random time while the worker works; stop early when the studies are done
        const until = Date.now() + gap * (0.3 + 1.4 * rnd());
        while (!done && Date.now() < until) await sleep(50);
      }
      if (done) break;
      report.killTimesMs.push(Date.now() - t0);
      report.killAtMs.push(Date.now());
      await sup.killAndRestart(Math.round(200 + 1500 * rnd()));
      if (k === plan.serverRestartAfterKill && !done) {
        // the server goes down under a running worker, then comes back on the same SQLite file
        const wait = Date.now() + gap * rnd() * 0.5;
        while (!done && Date.now() < wait) await sleep(50);
        if (done) break;
        const down = Date.now();
        await server.stop();
        await sleep(1000 + 2000 * rnd());
        await server.start();
        report.serverDownMs = Date.now() - down;
        report.serverRestarts++;
      }
    }
  };

  try {
    const [closed] = await Promise.all([finished, chaos()]);
    report.wallMs = Date.now() - t0;
    for (const [i, d] of closed.entries()) {
      if (d.status.name !== 'COMPLETED') throw new Error(`${runs[i].batchId} closed as ${d.status.name}`);
      report.results[runs[i].task] = await client.workflow
        .getHandle<() => Promise<StudyResult>>(runs[i].batchId)
        .result();
    }
  } finally {
    await sup.stop();
  }
  report.kills = sup.kills;
  report.workerStarts = sup.starts;
  report.unexpectedWorkerExits = sup.unexpectedExits;
  return report;
}

export interface HistoryFigures {
  workflowRuns: number;
  batchRuns: number;
  /** retries of activities (attempt - 1 of each activity that completed) */
  activityRetries: number;
  workflowTaskTimeouts: number;
  workflowTaskFailures: number;
  /** solve chunks recorded as local activity markers / scheduled as regular activities */
  localSolveMarkers: number;
  solveActivities: number;
  maxEvents: number;
  /** histories replayed against the current workflow code (one per workflow run) */
  replayed: number;
  /** work that was cut off and redone: an activity retried (scheduled..closed) or a workflow task timed out */
  interruptions: Interruption[];
  /** determinism errors when replaying every run's history against the current workflow code */
  replayErrors: string[];
  /** solveScenarioGroup activities scheduled (scenario groups) */
  groupActivities: number;
}

export interface Interruption {
  kind: 'activity retried' | 'workflow task timed out';
  workflowId: string;
  /** epoch ms: the activity's scheduling or the workflow task's start */
  fromMs: number;
  /** epoch ms: the activity's closing event or the timeout */
  toMs: number;
}

type EventTime = { seconds?: number | { toNumber(): number } | null; nanos?: number | null } | null | undefined;

function epochMs(t: EventTime): number {
  if (!t) return NaN;
  const s = typeof t.seconds === 'number' ? t.seconds : (t.seconds?.toNumber() ?? 0);
  return s * 1000 + (t.nanos ?? 0) / 1e6;
}

/** The interruptions in one history: retried activities and timed-out workflow tasks. */
function interruptionsOf(workflowId: string, events: temporal.api.history.v1.IHistoryEvent[]): Interruption[] {
  const byId = new Map(events.map((e) => [Number(e.eventId), e]));
  const closed = new Map<number, number>();
  for (const e of events) {
    const a =
      e.activityTaskCompletedEventAttributes ??
      e.activityTaskFailedEventAttributes ??
      e.activityTaskTimedOutEventAttributes ??
      e.activityTaskCanceledEventAttributes;
    if (a?.scheduledEventId) closed.set(Number(a.scheduledEventId), epochMs(e.eventTime));
  }
  const out: Interruption[] = [];
  for (const e of events) {
    const started = e.activityTaskStartedEventAttributes;
    if (started?.attempt && started.attempt > 1) {
      const sched = Number(started.scheduledEventId);
      out.push({
        kind: 'activity retried',
        workflowId,
        fromMs: epochMs(byId.get(sched)?.eventTime),
        toMs: closed.get(sched) ?? Infinity,
      });
    }
    const timedOut = e.workflowTaskTimedOutEventAttributes;
    if (timedOut) {
      const from = byId.get(Number(timedOut.startedEventId)) ?? byId.get(Number(timedOut.scheduledEventId));
      out.push({
        kind: 'workflow task timed out',
        workflowId,
        fromMs: epochMs(from?.eventTime),
        toMs: epochMs(e.eventTime),
      });
    }
  }
  return out;
}

/** The kills (epoch ms) that no interruption in the histories accounts for: work in flight at the kill, redone. */
export function killsWithoutInterruption(killAtMs: number[], interruptions: Interruption[]): number[] {
  return killAtMs.filter((k) => !interruptions.some((i) => i.fromMs <= k && k <= i.toMs));
}

/** Reads every workflow run of the given batches, counts retries and replays them all. */
export async function historyFigures(client: Client, batchIds: string[]): Promise<HistoryFigures> {
  const f: HistoryFigures = {
    workflowRuns: 0,
    batchRuns: 0,
    activityRetries: 0,
    workflowTaskTimeouts: 0,
    workflowTaskFailures: 0,
    localSolveMarkers: 0,
    solveActivities: 0,
    groupActivities: 0,
    maxEvents: 0,
    replayed: 0,
    interruptions: [],
    replayErrors: [],
  };
  const histories = [];
  for (const batchId of batchIds) {
    for await (const w of client.workflow.list({ query: `WorkflowId STARTS_WITH '${batchId}'` })) {
      const history = await client.workflow.getHandle(w.workflowId, w.runId).fetchHistory();
      const events = history.events ?? [];
      f.workflowRuns++;
      if (w.type === 'studyBatch') f.batchRuns++;
      f.maxEvents = Math.max(f.maxEvents, events.length);
      f.interruptions.push(...interruptionsOf(w.workflowId, events));
      for (const e of events) {
        const started = e.activityTaskStartedEventAttributes;
        if (started?.attempt && started.attempt > 1) f.activityRetries += started.attempt - 1;
        if (e.workflowTaskTimedOutEventAttributes) f.workflowTaskTimeouts++;
        if (e.workflowTaskFailedEventAttributes) f.workflowTaskFailures++;
        if (e.markerRecordedEventAttributes?.markerName === 'core_local_activity') f.localSolveMarkers++;
        if (e.activityTaskScheduledEventAttributes?.activityType?.name === 'solveChunk') f.solveActivities++;
        if (e.activityTaskScheduledEventAttributes?.activityType?.name === 'solveScenarioGroup') f.groupActivities++;
      }
      histories.push({ workflowId: `${w.workflowId}@${w.runId}`, history });
    }
  }
  const results = Worker.runReplayHistories({ workflowsPath: workflowsPath(), replayName: 'chaos' }, histories);
  for await (const r of results) {
    f.replayed++;
    if (r.error) f.replayErrors.push(`${r.workflowId}: ${r.error.message}`);
  }
  return f;
}
