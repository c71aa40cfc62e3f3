/**
 * One run of a batch's fan-out (until continue-as-new or the end): scenario ids read a page at a
 * time, scenarios complete already counted without a start, the others started as `scenarioRun`
 * children or, when small, gathered into groups (scenario-groups.ts), at most `maxInFlight`
 * running at once (a sliding window), and their counts added up. studyBatch runs it in its own
 * workflow with groups as `scenarioGroup` children; a small study's pipeline runs it itself with
 * each group as one `solveScenarioGroup` activity of its own (small-study.ts).
 */
import {
  ApplicationFailure,
  ChildWorkflowHandle,
  executeChild,
  isCancellation,
  ParentClosePolicy,
  patched,
  setCurrentDetails,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { io, ioLocal } from './activities-proxy';
import { scenarioGroup, solveGroup } from './group';
import { scenarioRun } from './scenario';
import {
  GROUP_MAX_SCENARIOS,
  GROUP_TARGET_MS,
  groupableMs,
  groupDetails,
  groupMemo,
  groupSummary,
  groupWorkflowId,
} from './scenario-groups';
import { chunksRunLocal } from './solve-placement';
import { OUTPUT_ERROR_TYPE, outputErrorIn } from './output-errors';
import type { SearchAttributePair } from '@temporalio/common';
import { BatchIdKey, ScenarioIdKey, StageKey } from './search-attributes';
import { STUDY_DEFAULTS as DEFAULTS } from '../contracts/study-defaults';
import type {
  BatchCounters,
  BatchInput,
  GroupInput,
  PageRequest,
  ScenarioInput,
  ScenarioRef,
  ScenarioResult,
} from '../contracts/workflow-types';

export function scenarioWorkflowId(batchId: string, scenarioId: string): string {
  return `${batchId}/${scenarioId}`;
}

/**
 * Reads the pages and starts their scenarios until every scenario ran or the history grows long
 * (the caller then goes on with `run.cursor` and `run.counters`), and waits for the running
 * ones. A cancel waits for every running one too; an output error the user must fix fails it.
 */
export async function runPages(run: BatchRun): Promise<void> {
  const { input, settings } = run;
  try {
    while (run.cursor < input.totalScenarios && !run.historyTooLong()) {
      const page = await (settings.localPages ? ioLocal : io).listScenarios(pageRequest(input, run.cursor, settings));
      if (page.length === 0 || !(await run.runPage(page))) break;
    }
    await run.flushGroup();
    await Promise.all(run.inFlight.values());
  } catch (e) {
    // Cancelled: the first child to close cancelled ends the window; wait for the others too, so
    // no solve of this batch writes a file after it closes (the pipeline then writes the manifest;
    // before this, children still running were terminated and their activities went on writing).
    // Histories recorded before this change replay without the marker (and without the wait).
    if (isCancellation(e) && patched('cancel-waits-for-children')) await Promise.allSettled([...run.inFlight.values()]);
    throw e;
  }
  if (run.userFixable !== undefined) throw ApplicationFailure.nonRetryable(run.userFixable, OUTPUT_ERROR_TYPE);
}

/** The options of a batch with their defaults applied, and where its solve chunks run. */
export interface BatchSettings {
  maxInFlight: number;
  chunkSize: number;
  historyLimit: number;
  pageSize: number;
  warmStart: boolean;
  local: boolean;
  /** small scenarios may share a scenarioGroup workflow */
  grouping: boolean;
  /** pages of scenario ids are read by local activities (activities-proxy.ts ioLocal) */
  localPages: boolean;
}

/** Time slices per solve chunk: the option, else materialize's choice (recorded in its result), else the size before it chose one. */
export function batchChunkSize(input: BatchInput): number {
  return input.options.chunkSize ?? input.chunkSize ?? DEFAULTS.chunkSize;
}

export function batchSettings(input: BatchInput): BatchSettings {
  const o = input.options;
  const chunkSize = batchChunkSize(input);
  return {
    maxInFlight: o.maxInFlight ?? DEFAULTS.maxInFlight,
    chunkSize,
    historyLimit: o.historyLimit ?? DEFAULTS.historyLimit,
    pageSize: o.pageSize ?? DEFAULTS.pageSize,
    warmStart: o.warmStart ?? DEFAULTS.warmStart,
    local: chunksRunLocal(o.localActivities, input.task, input.buses, chunkSize),
    // Batches started before scenario groups replay without them (no marker in their history).
    // Keep while such a batch may still be open; remove with its fixtures (studyBatch--legacy-before-scenario-groups-*).
    grouping: patched('scenario-groups') && o.scenarioGroups !== 'never',
    // histories from before replay their pages as regular activities
    localPages: patched('local-bookkeeping'),
  };
}

function pageRequest(input: BatchInput, cursor: number, s: BatchSettings): PageRequest {
  return {
    outDir: input.outDir,
    task: input.task,
    offset: cursor,
    limit: s.pageSize,
    chunkSize: s.chunkSize,
    mode: input.mode ?? 'run',
  };
}

function scenarioInput(input: BatchInput, ref: ScenarioRef, s: BatchSettings): ScenarioInput {
  const o = input.options;
  return {
    batchId: input.batchId,
    outDir: input.outDir,
    task: input.task,
    scenario: ref,
    chunkSize: s.chunkSize,
    warmStart: s.warmStart,
    searchAttributes: o.searchAttributes === true,
    solver: o.solver,
    historyLimit: s.historyLimit,
    ...(s.local ? { local: s.local } : {}),
  };
}

function groupInput(input: BatchInput, refs: ScenarioRef[], s: BatchSettings): GroupInput {
  const o = input.options;
  return {
    batchId: input.batchId,
    outDir: input.outDir,
    task: input.task,
    scenarios: refs,
    chunkSize: s.chunkSize,
    warmStart: s.warmStart,
    searchAttributes: o.searchAttributes === true,
    solver: o.solver,
  };
}

/** The search attributes of a child (batch, first scenario, stage), when the study upserts them. */
function childSearchAttributes(input: BatchInput, ref: ScenarioRef): SearchAttributePair[] | undefined {
  if (!input.options.searchAttributes) return undefined;
  return [
    { key: BatchIdKey, value: input.batchId },
    { key: ScenarioIdKey, value: ref.id },
    { key: StageKey, value: 'solve' },
  ];
}

/** A child that failed as a whole: the jobs it was to run count as failed. */
function failedWhole(ref: ScenarioRef): ScenarioResult {
  return { scenarioId: ref.id, ok: ref.prior?.ok ?? 0, failed: ref.jobs - (ref.prior?.ok ?? 0) };
}

/** How a run shows itself and where its groups run (studyBatch's: the defaults). */
export interface BatchRunHost {
  /** groups run as `solveScenarioGroup` activities of this workflow, not `scenarioGroup` children */
  groupsInline?: boolean;
  /** put before the counts in the workflow's current details (a pipeline's stage) */
  detailsPrefix?: string;
  /** called after every finished scenario or group is counted */
  onCount?: (counters: BatchCounters) => void;
}

/** One run of a batch (until continue-as-new): its cursor, counters, window and open group. */
export class BatchRun {
  readonly settings: BatchSettings;
  readonly counters: BatchCounters;
  cursor: number;
  /** running children by scenario id (a group by `group/<first id>`; ids never hold '/') */
  readonly inFlight = new Map<string, Promise<void>>();
  /** the message of an output error the user must fix: no new scenario starts */
  userFixable: string | undefined;
  private group: ScenarioRef[] = [];
  private groupMs = 0;

  /** the summaries of the groups running inline (their scenario ranges), by inFlight key */
  private readonly inlineGroups = new Map<string, string>();

  constructor(
    readonly input: BatchInput,
    private readonly host: BatchRunHost = {},
  ) {
    this.settings = batchSettings(input);
    this.counters = { ...(input.counters ?? { scenariosDone: 0, jobsOk: 0, jobsFailed: 0, runs: 0 }) };
    this.counters.runs++;
    this.cursor = input.cursor ?? 0;
  }

  progress() {
    const { input, counters } = this;
    return {
      ...counters,
      cursor: this.cursor,
      inFlight: this.inFlight.size,
      totalScenarios: input.totalScenarios,
      totalJobs: input.totalJobs,
    };
  }

  showDetails(): void {
    const { input, counters } = this;
    const counts =
      `${counters.jobsOk + counters.jobsFailed} of ${input.totalJobs} jobs done (${counters.jobsFailed} failed), ` +
      `${counters.scenariosDone} of ${input.totalScenarios} scenarios, ${this.inFlight.size} running`;
    // a group running inline has no workflow of its own: the details name its scenarios
    const groups = [...this.inlineGroups.values()];
    setCurrentDetails(`${this.host.detailsPrefix ?? ''}${counts}${groups.length ? `\n${groups.join('\n')}` : ''}`);
  }

  historyTooLong(): boolean {
    return workflowInfo().historyLength > this.settings.historyLimit || workflowInfo().continueAsNewSuggested;
  }

  /** Starts (or groups) the scenarios of one page; false when no more pages are to be read in this run. */
  async runPage(page: ScenarioRef[]): Promise<boolean> {
    for (const ref of page) {
      if (ref.chunks && ref.chunks.length === 0) {
        this.countComplete(ref);
        this.cursor = ref.index + 1;
        continue;
      }
      if (this.userFixable !== undefined) return false;
      // a scenario that joins the open group without closing it takes no await: the SDK's promise
      // hook captures a stack trace for every promise a workflow makes (~0.1 ms each, 500 a page)
      if (!this.joinGroup(ref)) await this.place(ref);
      this.cursor = ref.index + 1;
      if (this.historyTooLong()) {
        await this.flushGroup();
        return false;
      }
    }
    await this.flushGroup(); // groups do not span pages
    return true;
  }

  /** A scenario complete already (an earlier run of this batch): counted, nothing started. */
  private countComplete(ref: ScenarioRef): void {
    this.counters.scenariosDone++;
    this.counters.scenariosSkipped = (this.counters.scenariosSkipped ?? 0) + 1;
    this.counters.jobsOk += ref.prior?.ok ?? 0;
    this.counters.jobsFailed += ref.prior?.failed ?? 0;
  }

  /** Estimated ms of `ref` when it may join a group (scenario-groups.ts), else undefined. */
  private groupable(ref: ScenarioRef): number | undefined {
    const { input, settings } = this;
    return settings.grouping
      ? groupableMs(
          input.options.scenarioGroups,
          input.task,
          input.buses,
          input.totalScenarios,
          ref,
          settings.chunkSize,
        )
      : undefined;
  }

  /** Adds `ref` to the open group when that does not close the group (no command); false: place() it. */
  private joinGroup(ref: ScenarioRef): boolean {
    const ms = this.groupable(ref);
    if (ms === undefined || this.groupMs + ms >= GROUP_TARGET_MS || this.group.length + 1 >= GROUP_MAX_SCENARIOS)
      return false;
    this.group.push(ref);
    this.groupMs += ms;
    return true;
  }

  /** Starts a scenario on its own, or adds it to the open group (started once it holds enough work). */
  private async place(ref: ScenarioRef): Promise<void> {
    const ms = this.groupable(ref);
    if (ms === undefined) {
      await this.flushGroup();
      await this.startUnit([ref]);
      return;
    }
    this.group.push(ref);
    this.groupMs += ms;
    if (this.groupMs >= GROUP_TARGET_MS || this.group.length >= GROUP_MAX_SCENARIOS) await this.flushGroup();
  }

  async flushGroup(): Promise<void> {
    if (this.group.length === 0) return;
    const refs = this.group;
    [this.group, this.groupMs] = [[], 0];
    await this.startUnit(refs);
  }

  /** Starts a scenario (or a group of them) once the window has room. */
  private async startUnit(refs: ScenarioRef[]): Promise<void> {
    while (this.inFlight.size >= this.settings.maxInFlight) await Promise.race(this.inFlight.values());
    if (this.userFixable !== undefined) return; // an output the user must fix failed: start nothing more
    const key = refs.length === 1 ? refs[0].id : `group/${refs[0].id}`;
    const p = (refs.length === 1 ? this.runScenario(refs[0]) : this.runGroup(refs)).finally(() =>
      this.inFlight.delete(key),
    );
    // A unit fails only when the batch is cancelled: the window's race or the final Promise.all
    // rethrows that; until then the rejection must not count as unhandled (it would fail the task).
    p.catch(() => undefined);
    this.inFlight.set(key, p);
  }

  private async runScenario(ref: ScenarioRef): Promise<void> {
    const { input } = this;
    const handle: ChildWorkflowHandle<typeof scenarioRun> = await startChild(scenarioRun, {
      workflowId: scenarioWorkflowId(input.batchId, ref.id),
      args: [scenarioInput(input, ref, this.settings)],
      parentClosePolicy: ParentClosePolicy.TERMINATE,
      staticSummary: `${input.task} scenario ${ref.id} (${ref.jobs} job${ref.jobs === 1 ? '' : 's'})`,
      typedSearchAttributes: childSearchAttributes(input, ref),
    });
    let r: ScenarioResult;
    try {
      r = await handle.result();
    } catch (e) {
      r = this.childFailed(e, ref);
    }
    this.count([r]);
  }

  /** A group of small scenarios in one scenarioGroup workflow (scenario-groups.ts), or inline. */
  private async runGroup(refs: ScenarioRef[]): Promise<void> {
    if (this.host.groupsInline) return this.runGroupInline(refs);
    const { input } = this;
    let results: ScenarioResult[];
    try {
      results = await executeChild(scenarioGroup, {
        workflowId: groupWorkflowId(input.batchId, refs[0]),
        args: [groupInput(input, refs, this.settings)],
        parentClosePolicy: ParentClosePolicy.TERMINATE,
        staticSummary: groupSummary(input.task, refs),
        staticDetails: groupDetails(refs),
        memo: groupMemo(refs),
        typedSearchAttributes: childSearchAttributes(input, refs[0]),
      });
    } catch (e) {
      results = refs.map((ref) => this.childFailed(e, ref));
    }
    this.count(results);
  }

  /**
   * A group as one `solveScenarioGroup` activity of this workflow (a small study's pipeline):
   * the same activity, input and retries as in a scenarioGroup child, one workflow fewer.
   */
  private async runGroupInline(refs: ScenarioRef[]): Promise<void> {
    const { input } = this;
    const key = `group/${refs[0].id}`;
    this.inlineGroups.set(key, `running: ${groupSummary(input.task, refs)}`);
    this.showDetails();
    let results: ScenarioResult[];
    try {
      results = await solveGroup(groupInput(input, refs, this.settings));
    } catch (e) {
      results = refs.map((ref) => this.childFailed(e, ref));
    } finally {
      this.inlineGroups.delete(key);
    }
    this.count(results);
  }

  /** The counts of a child that failed: a cancellation ends the batch cancelled, anything else counts its jobs as failed. */
  private childFailed(e: unknown, ref: ScenarioRef): ScenarioResult {
    if (isCancellation(e)) throw e;
    const fixable = outputErrorIn(e);
    // executions recorded before this rule replay without the marker; remove with studyBatch--legacy-* fixtures
    if (fixable !== undefined && patched('output-error-ends-batch')) this.userFixable ??= fixable;
    return failedWhole(ref);
  }

  private count(results: ScenarioResult[]): void {
    for (const r of results) {
      this.counters.scenariosDone++;
      this.counters.jobsOk += r.ok;
      this.counters.jobsFailed += r.failed;
    }
    this.showDetails();
    this.host.onCount?.(this.counters);
  }
}
