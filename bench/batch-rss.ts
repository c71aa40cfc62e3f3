/**
 * Peak RSS of the benchmark process (worker main thread, solve threads and SDK core together),
 * split by the study's phases: materialize, solve (the batch between them) and manifest. RSS is
 * sampled every SAMPLE_MS; each sample is assigned to a phase by the activity intervals of the
 * study workflow's history (same clock: the dev server runs on this machine). The process's own
 * high-water mark (getrusage maxRSS) bounds every phase; a peak shorter than a sample can be
 * missed by the split but not by the overall figure.
 */
import { memoryUsage } from 'node:process';
import { Client } from '@temporalio/client';

const SAMPLE_MS = 100;

export interface PhaseRss {
  materializeMB: number;
  solveMB: number;
  manifestMB: number;
  /** getrusage high-water mark of the whole process up to now */
  overallMB: number;
  /** main-thread V8 heap used at its peak sample (threads have their own heaps, in RSS only) */
  mainHeapMB: number;
}

/** Starts sampling; `stop()` ends it and returns the samples [epoch ms, rss bytes, main heap bytes]. */
export function sampleRss(): { stop: () => [number, number, number][] } {
  const samples: [number, number, number][] = [];
  const take = () => {
    const m = memoryUsage();
    samples.push([Date.now(), m.rss, m.heapUsed]);
  };
  take();
  const timer = setInterval(take, SAMPLE_MS);
  return {
    stop: () => {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}

/** [start, end] epoch ms of each activity type's executions in one workflow run. */
async function activityIntervals(client: Client, workflowId: string): Promise<Map<string, [number, number][]>> {
  const h = await client.workflow.getHandle(workflowId).fetchHistory();
  const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
    Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;
  const scheduled = new Map<string, { type: string; at: number }>();
  const out = new Map<string, [number, number][]>();
  for (const e of h.events ?? []) {
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

/** The peaks by phase of `samples` for the study workflow `workflowId`. */
export async function phaseRss(
  client: Client,
  workflowId: string,
  samples: [number, number, number][],
): Promise<PhaseRss> {
  const iv = await activityIntervals(client, workflowId);
  const within = (type: string, t: number) => (iv.get(type) ?? []).some(([a, b]) => t >= a && t <= b + SAMPLE_MS);
  const matEnd = Math.max(0, ...(iv.get('materialize') ?? []).map((x) => x[1]));
  const manStart = Math.min(Infinity, ...(iv.get('finalizeManifest') ?? []).map((x) => x[0]));
  const peak = { materialize: 0, solve: 0, manifest: 0 };
  let mainHeap = 0;
  for (const [t, rss, heap] of samples) {
    const phase = within('materialize', t)
      ? 'materialize'
      : within('finalizeManifest', t)
        ? 'manifest'
        : t > matEnd && t < manStart
          ? 'solve'
          : undefined;
    if (phase) peak[phase] = Math.max(peak[phase], rss);
    mainHeap = Math.max(mainHeap, heap);
  }
  const mb = (b: number) => Math.round(b / 2 ** 20);
  return {
    materializeMB: mb(peak.materialize),
    solveMB: mb(peak.solve),
    manifestMB: mb(peak.manifest),
    overallMB: Math.round(process.resourceUsage().maxRSS / 1024),
    mainHeapMB: mb(mainHeap),
  };
}
