/**
 * The fan-out: one child workflow per scenario (id `<batchId>/<scenarioId>`), or per group of
 * small scenarios (id `<batchId>/group/<first scenarioId>`, scenario-groups.ts), a sliding window
 * of at most `maxInFlight` running at once, scenario ids fetched in pages, and continue-as-new
 * (carrying only the cursor and counters) before the history grows long.
 */
import {
  ApplicationFailure, ChildWorkflowHandle, continueAsNew, executeChild, isCancellation, ParentClosePolicy, patched, setCurrentDetails, setHandler, startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { io } from './activities-proxy';
import { batchProgressQuery } from './queries';
import { scenarioGroup } from './group';
import { scenarioRun } from './scenario';
import { GROUP_MAX_SCENARIOS, GROUP_TARGET_MS, groupableMs, groupDetails, groupMemo, groupSummary, groupWorkflowId } from './scenario-groups';
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
      // a cancelled batch ends cancelled (as launchGroup does), its running scenarios with it
      if (isCancellation(e)) throw e;
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

  /** A group of small scenarios in one scenarioGroup workflow (scenario-groups.ts). */
  const launchGroup = async (refs: ScenarioRef[]): Promise<void> => {
    let results: ScenarioResult[];
    try {
      results = await executeChild(scenarioGroup, {
        workflowId: groupWorkflowId(input.batchId, refs[0]),
        args: [{ batchId: input.batchId, outDir: input.outDir, task: input.task, scenarios: refs, chunkSize, warmStart: o.warmStart !== false, searchAttributes: o.searchAttributes === true, solver: o.solver }],
        parentClosePolicy: ParentClosePolicy.TERMINATE,
        staticSummary: groupSummary(input.task, refs),
        staticDetails: groupDetails(refs),
        memo: groupMemo(refs),
        typedSearchAttributes: o.searchAttributes
          ? [{ key: BatchIdKey, value: input.batchId }, { key: ScenarioIdKey, value: refs[0].id }, { key: StageKey, value: 'solve' }]
          : undefined,
      });
    } catch (e) {
      // a cancelled batch ends cancelled (the pipeline then marks what did not run as skipped)
      if (isCancellation(e)) throw e;
      // the group failed as a whole: the jobs it was to run count as failed
      results = refs.map((ref) => ({ scenarioId: ref.id, ok: ref.prior?.ok ?? 0, failed: ref.jobs - (ref.prior?.ok ?? 0) }));
      const fixable = outputErrorIn(e);
      if (fixable !== undefined && patched('output-error-ends-batch')) userFixable ??= fixable;
    }
    for (const r of results) {
      counters.scenariosDone++;
      counters.jobsOk += r.ok;
      counters.jobsFailed += r.failed;
    }
    details();
  };

  /** Starts a scenario (or a group of them) once the window has room. */
  const startUnit = async (refs: ScenarioRef[]): Promise<void> => {
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight.values());
    if (userFixable !== undefined) return; // an output the user must fix failed: start nothing more
    const key = refs.length === 1 ? refs[0].id : `group/${refs[0].id}`; // ids never hold '/'
    const p = (refs.length === 1 ? launch(refs[0]) : launchGroup(refs)).finally(() => inFlight.delete(key));
    // A unit fails only when the batch is cancelled: the window's race or the final Promise.all
    // rethrows that; until then the rejection must not count as unhandled (it would fail the task).
    p.catch(() => undefined);
    inFlight.set(key, p);
  };
  // Batches started before scenario groups replay without them (no marker in their history).
  const grouping = patched('scenario-groups') && o.scenarioGroups !== 'never';
  let group: ScenarioRef[] = [];
  let groupMs = 0;
  const flush = async (): Promise<void> => {
    if (group.length === 0) return;
    const refs = group;
    [group, groupMs] = [[], 0];
    await startUnit(refs);
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
      if (userFixable !== undefined) break outer;
      const ms = grouping ? groupableMs(o.scenarioGroups, input.task, input.buses, input.totalScenarios, ref, chunkSize) : undefined;
      if (ms === undefined) {
        await flush();
        await startUnit([ref]);
      } else {
        group.push(ref);
        groupMs += ms;
        if (groupMs >= GROUP_TARGET_MS || group.length >= GROUP_MAX_SCENARIOS) await flush();
      }
      cursor = ref.index + 1;
      if (tooLong()) {
        await flush();
        break outer;
      }
    }
    await flush(); // groups do not span pages
  }
  await flush();
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
