/**
 * `featurize --id <batch> | --out <dir> [--layout gnn|opfdata|both|opfdata-json|gridfm] [--split-seed N]`: the GNN tables of a
 * finished batch, computed here (no worker needed). `--id` finds the output folder in the batch
 * workflow's memo; `--out` names it directly.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { InputError } from '../errors';
import { DEFAULT_SPLIT, featurizeBatch, isFeatureLayout, parseSplitRatios, SplitOptions } from '../featurize';
import { layout } from '../io/layout';
import { EXIT, UsageError } from './exit';
import { ProgressBar } from './progress-bar';
import { openSession } from './session';
import { onFinishedBatch } from './remote-batch';

/** A path relative to the working folder when it is inside it, else absolute. */
export function shownPath(p: string): string {
  if (/^s3:\/\//.test(p)) return p;
  const r = relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
}

export interface BatchDirArgs {
  id?: string;
  out?: string;
}

export async function outDirOfWorkflow(id: string): Promise<string> {
  const s = await openSession();
  try {
    const desc = await s.client.workflow.getHandle(id).describe();
    const out = desc.memo?.out;
    if (typeof out !== 'string')
      throw new UsageError(`batch '${id}' has no output folder in its memo; give --out <dir>`);
    return out;
  } catch (e) {
    if (e instanceof WorkflowNotFoundError)
      throw new UsageError(`no batch with id '${id}' (give --out <dir> for a folder without a workflow)`);
    throw e;
  } finally {
    await s.close();
  }
}

/** The output folder of a finished batch, from --out or the workflow of --id (checked against each other). */
export async function finishedBatchDir(a: BatchDirArgs): Promise<string> {
  if (!a.id && !a.out) throw new UsageError('give --id <batch> or --out <dir>');
  const out = a.out ? resolve(a.out) : await outDirOfWorkflow(a.id!);
  const rec = layout.runRecord(out);
  if (!existsSync(rec)) throw new InputError('not the output folder of a batch (no run_record.json)', { file: out });
  const batchId = (JSON.parse(readFileSync(rec, 'utf8')) as { batch_id?: string }).batch_id;
  if (a.id && batchId !== a.id) throw new UsageError(`${out} holds batch ${batchId}, not ${a.id}`);
  if (!existsSync(layout.batchManifest(out))) {
    throw new UsageError(
      `batch ${batchId} has not finished (no batch_manifest.json in ${out}); see \`status --id ${batchId}\``,
    );
  }
  return out;
}

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
