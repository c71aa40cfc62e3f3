/**
 * Scenario groups: small scenarios run several to a workflow (scenarioGroup, one solve activity
 * for the whole group), so that each workflow carries seconds of solving instead of
 * milliseconds. A scenario of one 24-slice case118 power flow solves in ~10-20 ms while its own
 * workflow, activity and history cost ~25 ms of CPU (bench:batch); grouped, orchestration costs
 * a few workflows per study.
 *
 * Pure and deterministic (workflow code): the decision depends on the options, the scenario
 * counts and the grid size, all recorded in history.
 */
import { estimatedScenarioMs } from './solve-placement';
import type { ScenarioGroupsMode, ScenarioRef, StudyTask } from '../contracts/workflow-types';

/** A group closes once its scenarios are estimated at this much solving. */
export const GROUP_TARGET_MS = 3_000;
/** ... or once it holds this many scenarios (keeps payloads, details and retries small). */
export const GROUP_MAX_SCENARIOS = 500;
/** `auto` groups when the study has more scenarios than this (a small study keeps one workflow per scenario). */
export const GROUP_MIN_SCENARIOS = 100;

/** Estimated ms of a scenario when it may join a group, undefined when it runs on its own. */
export function groupableMs(
  mode: ScenarioGroupsMode | undefined,
  task: StudyTask,
  buses: number | undefined,
  totalScenarios: number,
  ref: ScenarioRef,
  chunkSize: number,
): number | undefined {
  // buses unknown: a batch started before groups (remove once no such batch can be open)
  if (mode === 'never' || buses === undefined) return undefined;
  if (mode !== 'always' && totalScenarios <= GROUP_MIN_SCENARIOS) return undefined;
  const ms = estimatedScenarioMs(task, buses, ref.jobs, chunkSize);
  return ms < GROUP_TARGET_MS ? ms : undefined;
}

export function groupWorkflowId(batchId: string, first: ScenarioRef): string {
  return `${batchId}/group/${first.id}`;
}

/** The Web UI's summary of a group (at most 400 bytes): task, count, first and last scenario. */
export function groupSummary(task: StudyTask, refs: ScenarioRef[]): string {
  const jobs = refs.reduce((a, r) => a + r.jobs, 0);
  const s = `${task} group of ${refs.length} scenarios, ${refs[0].id} .. ${refs[refs.length - 1].id} (${jobs} job${jobs === 1 ? '' : 's'})`;
  return s.length <= 400 ? s : `${s.slice(0, 397)}...`;
}

/**
 * The group's memo: its scenario range and count (the server warns past 2 KB; the details list
 * every id). Scenario ids are in manifest order, so `first <= id <= last` by index finds a group.
 */
export function groupMemo(refs: ScenarioRef[]): {
  scenarios: number;
  first: string;
  last: string;
  firstIndex: number;
  lastIndex: number;
} {
  const [a, b] = [refs[0], refs[refs.length - 1]];
  return { scenarios: refs.length, first: a.id, last: b.id, firstIndex: a.index, lastIndex: b.index };
}

/** The Web UI's details of a group (at most 20 KB): every scenario id, one a line. */
export function groupDetails(refs: ScenarioRef[]): string {
  const lines = ['scenarios of this group (scenario_id, jobs):'];
  let size = lines[0].length;
  const tail = refs[refs.length - 1].id.length + 40; // room for the closing '... and K more, through <id>'
  for (let k = 0; k < refs.length; k++) {
    const line = `${refs[k].id} (${refs[k].jobs})`;
    if (size + line.length + 1 + tail > 20_000) {
      lines.push(`... and ${refs.length - k} more, through ${refs[refs.length - 1].id}`);
      break;
    }
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}
