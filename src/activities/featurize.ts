/**
 * Featurize activity: GNN tables of a finished batch. The work runs in a worker thread, so the
 * worker's event loop stays free for heartbeats, other activities and workflow tasks. It
 * resumes from its last heartbeat (the next scenario and the counts so far) when Temporal
 * retries it; parts are rewritten whole, so a retry never duplicates rows.
 */
import { Context } from '@temporalio/activity';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeaturizeProgress } from '../featurize';
import { sweepTempFiles } from '../io/atomic';
import { clearLayoutFolders, layoutPrefixes } from '../featurize/layout';
import { layout } from '../io/layout';
import { readScenarioManifest } from '../io/scenario-manifest';
import { solveThreads } from './solve-pool';
import { isBucketed } from '../io/study-partition';
import { featurePartScenarios } from '../contracts/partition';
import { runInThread } from './in-thread';
import { FeaturizeInput, FeaturizeResult } from '../contracts/workflow-types';
import { isS3Url } from '../io/storage/s3-url';
import { onStudyBeating, WHOLE_STUDY } from './remote-study';

/** Scenarios of a materialized study, from the small run record (not the whole scenario manifest). */
function scenarioCount(outDir: string): number {
  const rec = JSON.parse(readFileSync(layout.runRecord(outDir), 'utf8')) as { num_scenarios?: number };
  return rec.num_scenarios ?? readScenarioManifest(outDir).scenarios.length;
}

/** Ranges start on multiples of this: a bucketed study's feature parts (featurePartScenarios), else 1. */
function rangeAlignment(outDir: string, total: number): number {
  if (!isBucketed(outDir)) return 1;
  const rec = JSON.parse(readFileSync(layout.runRecord(outDir), 'utf8')) as { num_jobs?: number };
  return featurePartScenarios(total, rec.num_jobs ?? total);
}

/** Heartbeat details of a featurize attempt: the progress of each scenario range. */
interface FeaturizeHeartbeat {
  ranges: (FeaturizeProgress & { to: number })[];
}

/** Contiguous ranges of scenarios, one per thread (at least one scenario each), starting on multiples of `align`. */
export function scenarioRanges(total: number, threads: number, align = 1): { from: number; to: number }[] {
  const n = Math.max(1, Math.min(threads, total));
  const cuts = Array.from({ length: n + 1 }, (_, k) =>
    k === n ? total : Math.min(total, Math.round(Math.floor((k * total) / n) / align) * align),
  );
  const ranges: { from: number; to: number }[] = [];
  for (let k = 0; k < n; k++) if (cuts[k] < cuts[k + 1]) ranges.push({ from: cuts[k], to: cuts[k + 1] });
  return ranges.length ? ranges : [{ from: 0, to: total }];
}

/** Progress to resume from: this attempt's heartbeat, read in either format (one range before). */
function resumeFrom(details: unknown, total: number, threads: number, align: number): FeaturizeHeartbeat {
  const d = details as Partial<FeaturizeHeartbeat & FeaturizeProgress> | undefined;
  if (d?.ranges) return { ranges: d.ranges };
  if (d && typeof d.next === 'number')
    return { ranges: [{ next: d.next, graphs: d.graphs ?? 0, nodes: d.nodes ?? 0, edges: d.edges ?? 0, to: total }] };
  return {
    ranges: scenarioRanges(total, threads, align).map((r) => ({
      next: r.from,
      to: r.to,
      graphs: 0,
      nodes: 0,
      edges: 0,
    })),
  };
}

/**
 * GNN tables of a finished batch, the scenarios split into contiguous ranges featurized at once
 * by one worker thread each (as many as the solve pool has: the batch is done, its threads are
 * idle). Heartbeats carry every range's progress, so a retry resumes each range where it was.
 */
export async function featurize(input: FeaturizeInput): Promise<FeaturizeResult> {
  // an s3:// study uploads its features when the whole activity succeeds: a retry starts over
  const resumable = !isS3Url(input.outDir);
  // the layout's folders are rewritten whole: in a bucket, parts an earlier run left there go too
  const files = { ...WHOLE_STUDY, replace: layoutPrefixes(input.layout ?? 'gnn') };
  return onStudyBeating(input, files, (local) => featurizeIn(local, resumable));
}

async function featurizeIn(input: FeaturizeInput, resumable: boolean): Promise<FeaturizeResult> {
  const ctx = Context.current();
  const module = require.resolve('../featurize');
  if (input.layout === 'opfdata-json' || input.layout === 'gridfm') {
    // one ordered pass (samples are numbered contiguously); a retry rewrites the layout whole
    sweepTempFiles(join(input.outDir, 'features'));
    clearLayoutFolders(input.outDir, input.layout);
    const s = await runInThread<FeaturizeResult>(
      module,
      'exportDatasetLayout',
      input.outDir,
      { layout: input.layout, keepFailed: input.keepFailed },
      (p) => ctx.heartbeat(p),
      ctx.cancellationSignal,
    );
    return { graphs: s.graphs, nodes: s.nodes, edges: s.edges, jobsWithoutGraph: s.jobsWithoutGraph, dirs: s.dirs };
  }
  const total = scenarioCount(input.outDir);
  const align = rangeAlignment(input.outDir, total);
  const details: unknown = resumable ? ctx.info.heartbeatDetails : undefined;
  const hb = resumeFrom(details, total, solveThreads(), align);
  sweepTempFiles(join(input.outDir, 'features')); // once, before any range writes
  if (details === undefined) clearLayoutFolders(input.outDir, input.layout); // a fresh run: no stale parts
  await Promise.all(
    hb.ranges.map((r, k) =>
      runInThread<FeaturizeProgress>(
        module,
        'featurizeRange',
        input.outDir,
        { layout: input.layout, keepFailed: input.keepFailed, from: r, to: r.to },
        (p) => {
          hb.ranges[k] = { ...(p as FeaturizeProgress), to: r.to };
          ctx.heartbeat(hb);
        },
        ctx.cancellationSignal,
      ).then((p) => {
        hb.ranges[k] = { ...p, to: r.to };
      }),
    ),
  );
  const counts = hb.ranges.reduce(
    (c, r) => ({ graphs: c.graphs + r.graphs, nodes: c.nodes + r.nodes, edges: c.edges + r.edges }),
    { graphs: 0, nodes: 0, edges: 0 },
  );
  const s = await runInThread<FeaturizeResult>(
    module,
    'writeFeatureMeta',
    input.outDir,
    { layout: input.layout, counts },
    () => undefined,
    ctx.cancellationSignal,
  );
  return { graphs: s.graphs, nodes: s.nodes, edges: s.edges, jobsWithoutGraph: s.jobsWithoutGraph, dirs: s.dirs };
}
