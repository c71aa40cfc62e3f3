/**
 * Peak RSS of the benchmark process (worker main thread, solve threads and SDK core together),
 * split by the study's phases: materialize, solve (the batch between them) and manifest. RSS is
 * sampled every SAMPLE_MS; each sample is assigned to a phase by the activity intervals of the
 * study workflow's history (same clock: the dev server runs on this machine). The process's own
 * high-water mark (getrusage maxRSS) bounds every phase; a peak shorter than a sample can be
 * missed by the split but not by the overall figure.
 */
import { memoryUsage } from 'node:process';

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

/** The peaks by phase of `samples`, given the study workflow's activity intervals (batch-measure.ts activityIntervals). */
export function phaseRss(iv: Map<string, [number, number][]>, samples: [number, number, number][]): PhaseRss {
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
