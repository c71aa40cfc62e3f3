/**
 * What bench:batch measures besides wall time: CPU seconds of processes (from /proc, Linux),
 * of waited-for child processes, the durations of a workflow's activities (from its history),
 * the load average, medians.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { epochMs, localActivityOf } from './history-local-activity';

function statFields(pid: number | 'self'): string[] | undefined {
  const f = `/proc/${pid}/stat`;
  if (!existsSync(f)) return undefined;
  return readFileSync(f, 'utf8').split(') ')[1].split(' ');
}

/** CPU seconds (user + system, all threads) a process has used; undefined where /proc is missing. */
export function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  const s = statFields(pid);
  return s ? (Number(s[11]) + Number(s[12])) / 100 : undefined; // utime, stime (USER_HZ = 100)
}

/** CPU seconds of this process's children that have been waited for (cutime + cstime). */
export function childrenCpuSeconds(): number {
  const s = statFields('self');
  return s ? (Number(s[13]) + Number(s[14])) / 100 : 0;
}

/** CPU seconds of this process (all its threads: main, solve pool, SDK core). */
export function selfCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

export function load1(): number {
  return Math.round(loadavg()[0] * 100) / 100;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** [scheduled, completed] epoch ms of each activity type's executions in one workflow run (local ones too). */
export async function activityIntervals(client: Client, workflowId: string): Promise<Map<string, [number, number][]>> {
  const h = await client.workflow.getHandle(workflowId).fetchHistory();
  const ms = epochMs;
  const scheduled = new Map<string, { type: string; at: number }>();
  const out = new Map<string, [number, number][]>();
  for (const e of h.events ?? []) {
    // a local activity (materialize, the manifest behind patched('local-bookkeeping')): one marker
    const local = localActivityOf(e.markerRecordedEventAttributes);
    if (local) {
      const list = out.get(local.type) ?? [];
      list.push([local.scheduledMs, ms(e.eventTime)]);
      out.set(local.type, list);
      continue;
    }
    const s = e.activityTaskScheduledEventAttributes;
    if (s) scheduled.set(String(e.eventId), { type: s.activityType?.name ?? '?', at: ms(e.eventTime) });
    const c = e.activityTaskCompletedEventAttributes;
    if (c) {
      const from = scheduled.get(String(c.scheduledEventId));
      if (!from) continue;
      const list = out.get(from.type) ?? [];
      list.push([from.at, ms(e.eventTime)]);
      out.set(from.type, list);
    }
  }
  return out;
}

/** Seconds from each activity's scheduling to its completion, summed by activity type (from activityIntervals). */
export function activitySecondsOf(intervals: Map<string, [number, number][]>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [type, list] of intervals) out[type] = list.reduce((s, [a, b]) => s + (b - a) / 1000, 0);
  return out;
}

/** activitySecondsOf the history of one workflow run. */
export async function activitySeconds(client: Client, workflowId: string): Promise<Record<string, number>> {
  return activitySecondsOf(await activityIntervals(client, workflowId));
}

/** Files and folders under a directory, and their total size in bytes. */
export function treeCounts(dir: string): { files: number; dirs: number; bytes: number } {
  const r = { files: 0, dirs: 0, bytes: 0 };
  if (!existsSync(dir)) return r;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        r.dirs++;
        walk(p);
      } else {
        r.files++;
        r.bytes += statSync(p).size;
      }
    }
  };
  walk(dir);
  return r;
}
