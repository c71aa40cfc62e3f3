/**
 * The timeline of one `start-batch` run, in seconds since its process was spawned: the CLI's own
 * marks (GRIDBATCH_TIMINGS, src/cli/timings.ts) and, from the histories of the study workflow and
 * its children (batch, scenario groups), when the workflow started, its first workflow task
 * ended, materialize ran, the first solve activity started and the last one ended, the manifest
 * ran and the workflow closed (a local activity from its marker: scheduled, then recorded);
 * then the process exit. bench:batch prints it for the GAT-format pair.
 */
import type { Client } from '@temporalio/client';
import { epochMs, localActivityOf } from './history-local-activity';

export type Timeline = Record<string, number>;

/** The CLI's marks (`gridbatch-timing <label> <s since start> <cpu s>`), by label, seconds since the process started. */
export function cliMarks(stderr: string): Timeline {
  const out: Timeline = {};
  for (const m of stderr.matchAll(/^gridbatch-timing (\S+) (\S+) (\S+)$/gm)) out[m[1]] = Number(m[2]);
  return out;
}

/** The workflow side of the timeline from the histories of `batchId` and the children it started. */
export async function workflowTimeline(client: Client, batchId: string, spawnedAtMs: number): Promise<Timeline> {
  const at = (ms: number) => (ms - spawnedAtMs) / 1000;
  const out: Timeline = {};
  const min = (k: string, v: number) => (out[k] = Math.min(out[k] ?? Infinity, v));
  const max = (k: string, v: number) => (out[k] = Math.max(out[k] ?? -Infinity, v));
  const ids = [batchId];
  for (let i = 0; i < ids.length; i++) {
    const h = await client.workflow.getHandle(ids[i]).fetchHistory();
    const scheduled = new Map<string, string>();
    let tasksDone = 0;
    for (const e of h.events ?? []) {
      const t = at(epochMs(e.eventTime));
      if (i === 0 && e.workflowExecutionStartedEventAttributes) out.workflowStarted = t;
      if (i === 0 && e.workflowTaskCompletedEventAttributes && tasksDone++ === 0) out.firstWorkflowTaskDone = t;
      if (i === 0 && (e.workflowExecutionCompletedEventAttributes || e.workflowExecutionFailedEventAttributes))
        out.workflowClosed = t;
      const child = e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
      if (child) ids.push(child);
      // a local activity (materialize, pages, the manifest behind patched('local-bookkeeping')): one marker
      const local = localActivityOf(e.markerRecordedEventAttributes);
      if (local) {
        const key = activityKey(local.type);
        if (key) {
          min(`${key}Started`, at(local.scheduledMs));
          max(`${key}Done`, t);
        }
        continue;
      }
      const s = e.activityTaskScheduledEventAttributes;
      if (s) scheduled.set(String(e.eventId), s.activityType?.name ?? '?');
      const started = e.activityTaskStartedEventAttributes;
      const done = e.activityTaskCompletedEventAttributes;
      const type = scheduled.get(String(started?.scheduledEventId ?? done?.scheduledEventId ?? ''));
      if (!type) continue;
      const key = activityKey(type);
      if (!key) continue;
      if (started) min(`${key}Started`, t);
      if (done) max(`${key}Done`, t);
    }
  }
  return out;
}

/** The timeline's name of an activity type: materialize, finalizeManifest, solve (every solve activity), or none. */
function activityKey(type: string): string {
  return type === 'materialize' || type === 'finalizeManifest' ? type : /^solve/.test(type) ? 'solve' : '';
}

/** The CLI's marks and the workflow's events merged, in time order, with the process exit. */
export function mergeTimeline(cli: Timeline, wf: Timeline, exitS: number): Timeline {
  const all = { ...cli, ...wf, exit: exitS };
  return Object.fromEntries(Object.entries(all).sort((a, b) => a[1] - b[1]));
}

/** One line: `label t` pairs in time order. */
export function timelineLine(t: Timeline): string {
  return Object.entries(t)
    .map(([k, v]) => `${k} ${v.toFixed(2)}`)
    .join(', ');
}
