/**
 * `featurize --id <batch> | --out <dir> [--layout gnn|opfdata|both|opfdata-json|gridfm] [--split-seed N]`: the GNN tables of a
 * finished batch, computed here (no worker needed). `--id` finds the output folder in the batch
 * workflow's memo; `--out` names it directly.
 */
import { DEFAULT_SPLIT, featurizeBatch, isFeatureLayout, parseSplitRatios, SplitOptions } from '../featurize';
import { EXIT, UsageError } from './exit';
import { ProgressBar } from './progress-bar';
import { onFinishedBatch } from './remote-batch';
import { BatchDirArgs, shownPath } from './finished-batch';

/** --split-seed / --split-ratios as split options (the defaults where not given). */
export function splitOption(seed: string | undefined, ratios: string | undefined): SplitOptions {
  const s = seed === undefined ? DEFAULT_SPLIT.seed : Number(seed);
  if (!Number.isSafeInteger(s) || s < 0)
    throw new UsageError(`--split-seed must be a non-negative integer (got '${seed}')`);
  const r = ratios === undefined ? DEFAULT_SPLIT.ratios : parseSplitRatios(ratios);
  if (!r)
    throw new UsageError(
      `--split-ratios must be three non-negative fractions summing to 1, e.g. 0.8,0.1,0.1 (got '${ratios}')`,
    );
  return { seed: s, ratios: r };
}

export async function featurizeCommand(
  a: BatchDirArgs & { layout?: string; splitSeed?: string; splitRatios?: string; keepFailed?: boolean; json?: boolean },
): Promise<number> {
  const kind = a.layout ?? 'gnn';
  if (!isFeatureLayout(kind))
    throw new UsageError(`--layout must be gnn, opfdata, both, opfdata-json or gridfm (got '${kind}')`);
  const split = splitOption(a.splitSeed, a.splitRatios);
  const bar = a.json ? undefined : new ProgressBar();
  const s = await onFinishedBatch(a, (out) =>
    featurizeBatch(out, {
      layout: kind,
      split,
      keepFailed: a.keepFailed,
      onProgress: (p, total) => bar?.update(p.next, total, 'scenarios featurized'),
    }),
  );
  bar?.done();
  if (a.json) console.log(JSON.stringify(s, null, 2));
  else {
    console.log(
      `features (${s.layout}, ${s.task}): ${s.graphs} graphs from ${s.jobs} jobs (${s.jobsWithoutGraph} without a solution), ${s.nodes} nodes, ${s.edges} edges`,
    );
    for (const d of s.dirs) console.log(`tables: ${shownPath(d)}`);
    console.log('loading into PyTorch Geometric: docs/featurize.md');
  }
  return EXIT.OK;
}
