/**
 * The fan-out: one child workflow per scenario (id `<batchId>/<scenarioId>`), a sliding window
 * of at most `maxInFlight` running at once, scenario ids fetched in pages, and continue-as-new
 * (carrying only the cursor and counters) before the history grows long.
 */
import {
  ApplicationFailure, ChildWorkflowHandle, continueAsNew, ParentClosePolicy, patched, setCurrentDetails, setHandler, startChild, workflowInfo,
} from '@temporalio/workflow';
import { io } from './activities-proxy';
import { batchProgressQuery } from './queries';
import { scenarioRun } from './scenario';
import { chunksRunLocal } from './solve-placement';
import { BatchIdKey, ScenarioIdKey, StageKey } from './search-attributes';
import type { BatchCounters, BatchInput, ScenarioRef, ScenarioResult } from './types';

export const DEFAULTS = { maxInFlight: 64, chunkSize: 24, historyLimit: 5000, pageSize: 500 } as const;

export function scenarioWorkflowId(batchId: string, scenarioId: string): string {
  return `${batchId}/${scenarioId}`;
}

export async function studyBatch(input: BatchInput): Promise<BatchCounters> {
  const o = input.options;
  const maxInFlight = o.maxInFlight ?? DEFAULTS.maxInFlight;
  const chunkSize = o.chunkSize ?? DEFAULTS.chunkSize;
  const historyLimit = o.historyLimit ?? DEFAULTS.historyLimit;
  const pageSize = o.pageSize ?? DEFAULTS.pageSize;
  const local = chunksRunLocal(o.localActivities, input.task, input.buses, chunkSize);
  const counters: BatchCounters = { ...(input.counters ?? { scenariosDone: 0, jobsOk: 0, jobsFailed: 0, runs: 0 }) };
  counters.runs++;
  let cursor = input.cursor ?? 0;
  const inFlight = new Map<string, Promise<void>>();
  const details = () =>
    setCurrentDetails(
      `${counters.jobsOk + counters.jobsFailed} of ${input.totalJobs} jobs done (${counters.jobsFailed} failed), ` +
        `${counters.scenariosDone} of ${input.totalScenarios} scenarios, ${inFlight.size} running`,
    );
  setHandler(batchProgressQuery, () => ({ ...counters, cursor, inFlight: inFlight.size, totalScenarios: input.totalScenarios, totalJobs: input.totalJobs }));

  const tooLong = () => workflowInfo().historyLength > historyLimit || workflowInfo().continueAsNewSuggested;

  // A scenario that failed on an output the user must fix (disk full, permissions): no new
  // scenario starts (they would fail the same way) and the batch fails naming the path.
  let userFixable: string | undefined;

  const launch = async (ref: ScenarioRef): Promise<void> => {
    let handle: ChildWorkflowHandle<typeof scenarioRun>;
    handle = await startChild(scenarioRun, {
      workflowId: scenarioWorkflowId(input.batchId, ref.id),
      args: [{ batchId: input.batchId, outDir: input.outDir, task: input.task, scenario: ref, chunkSize, warmStart: o.warmStart !== false, searchAttributes: o.searchAttributes === true, solver: o.solver, historyLimit, ...(local ? { local } : {}) }],
      parentClosePolicy: ParentClosePolicy.TERMINATE,
      staticSummary: `${input.task} scenario ${ref.id} (${ref.jobs} job${ref.jobs === 1 ? '' : 's'})`,
      typedSearchAttributes: o.searchAttributes
        ? [{ key: BatchIdKey, value: input.batchId }, { key: ScenarioIdKey, value: ref.id }, { key: StageKey, value: 'solve' }]
        : undefined,
    });
    let r: ScenarioResult;
    try {
      r = await handle.result();
    } catch (e) {
      // The child failed as a whole (e.g. a bad input found late): its jobs count as failed.
      r = { scenarioId: ref.id, ok: ref.prior?.ok ?? 0, failed: ref.jobs - (ref.prior?.ok ?? 0) };
      const fixable = outputErrorIn(e);
      if (fixable !== undefined && patched('output-error-ends-batch')) userFixable ??= fixable;
    }
    counters.scenariosDone++;
    counters.jobsOk += r.ok;
    counters.jobsFailed += r.failed;
    details();
  };

  details();
  outer: while (cursor < input.totalScenarios) {
    if (tooLong()) break;
    const page = await io.listScenarios({ outDir: input.outDir, task: input.task, offset: cursor, limit: pageSize, chunkSize, mode: input.mode ?? 'run' });
    if (page.length === 0) break;
    for (const ref of page) {
      if (ref.chunks && ref.chunks.length === 0) {
        // complete already (an earlier run of this batch): count it, start nothing
        counters.scenariosDone++;
        counters.scenariosSkipped = (counters.scenariosSkipped ?? 0) + 1;
        counters.jobsOk += ref.prior?.ok ?? 0;
        counters.jobsFailed += ref.prior?.failed ?? 0;
        cursor = ref.index + 1;
        continue;
      }
      while (inFlight.size >= maxInFlight) await Promise.race(inFlight.values());
      if (userFixable !== undefined) break outer;
      const p = launch(ref).finally(() => inFlight.delete(ref.id));
      inFlight.set(ref.id, p);
      cursor = ref.index + 1;
      if (tooLong()) break outer;
    }
  }
  await Promise.all(inFlight.values());
  if (userFixable !== undefined) throw ApplicationFailure.nonRetryable(userFixable, OUTPUT_ERROR_TYPE);
  if (cursor < input.totalScenarios) {
    await continueAsNew<typeof studyBatch>({ ...input, cursor, counters });
  }
  details();
  return counters;
}

/** The failure type activities give output errors the user must fix (src/io/output-errors.ts). */
const OUTPUT_ERROR_TYPE = 'OutputError';

/** The message of an OutputError anywhere in a failure's cause chain (child -> activity -> application). */
function outputErrorIn(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 10 && cur; i++) {
    if (cur instanceof ApplicationFailure && cur.type === OUTPUT_ERROR_TYPE) return cur.message;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}
