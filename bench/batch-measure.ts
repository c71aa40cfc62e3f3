/**
 * What bench:batch measures besides wall time: CPU seconds of processes (from /proc, Linux),
 * of waited-for child processes, the durations of a workflow's activities (from its history),
 * the load average, medians.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Client } from '@temporalio/client';

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

/** Seconds from each activity's scheduling to its completion, by activity type, in one workflow run. */
export async function activitySeconds(client: Client, workflowId: string): Promise<Record<string, number>> {
  const h = await client.workflow.getHandle(workflowId).fetchHistory();
  const scheduled = new Map<string, { type: string; at: number }>();
  const out: Record<string, number> = {};
  const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
    Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;
  for (const e of h.events ?? []) {
    const s = e.activityTaskScheduledEventAttributes;
    if (s) scheduled.set(String(e.eventId), { type: s.activityType?.name ?? '?', at: ms(e.eventTime) });
    const c = e.activityTaskCompletedEventAttributes;
    if (c) {
      const from = scheduled.get(String(c.scheduledEventId));
      if (from) out[from.type] = (out[from.type] ?? 0) + (ms(e.eventTime) - from.at) / 1000;
    }
  }
  return out;
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
