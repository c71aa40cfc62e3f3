/**
 * Featurize activity: GNN tables of a finished batch. Resumes from its last heartbeat (the next
 * scenario and the counts so far) when Temporal retries it; parts are rewritten whole, so a
 * retry never duplicates rows.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { isInputError } from '../errors';
import { featurizeBatch, FeaturizeProgress } from '../featurize';
import { FeaturizeInput, FeaturizeResult } from '../workflows/types';

/** User input errors fail without retries; everything else is retried by Temporal. */
export async function inputErrorsFinal<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isInputError(e)) throw ApplicationFailure.nonRetryable((e as Error).message, 'InputError');
    throw e;
  }
}

export async function featurize(input: FeaturizeInput): Promise<FeaturizeResult> {
  const ctx = Context.current();
  const from = ctx.info.heartbeatDetails as FeaturizeProgress | undefined;
  return inputErrorsFinal(async () => {
    const s = await featurizeBatch(input.outDir, { layout: input.layout, from, signal: ctx.cancellationSignal, onProgress: (p) => ctx.heartbeat(p) });
    return { graphs: s.graphs, nodes: s.nodes, edges: s.edges, jobsWithoutGraph: s.jobsWithoutGraph, dirs: s.dirs };
  });
}
