/**
 * retry-failed on a bucketed study (src/contracts/partition.ts). A failed chunk's rows share
 * their part files with other scenarios' rows, so re-running it needs the part rewritten
 * without them first; that rewrite is not built yet. Until then a bucketed study with failed
 * jobs is refused with one line (exit 2), before anything runs or is written: its results stay
 * as they are. Resume (chunks without records) works in both layouts.
 */
import { InputError } from '../errors';
import { Task } from '../solvers/solution';
import type { ChunkCounts } from './bucket-records';

export async function releaseFailedChunks(
  out: string,
  _task: Task,
  recorded: Map<number, Map<number, ChunkCounts>>,
): Promise<void> {
  let failed = 0;
  for (const chunks of recorded.values()) for (const c of chunks.values()) failed += c.failed;
  if (failed > 0)
    throw new InputError(
      `retry-failed is not supported for --partition-by bucket yet (${failed} failed jobs): start a new study with --partition-by scenario_id to retry them`,
      { file: out },
    );
}
