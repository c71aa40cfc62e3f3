/**
 * The layout a study's results are written in (src/contracts/partition.ts), as its scenario
 * manifest records it. A study materialized before `--partition-by` has none: one folder per
 * scenario. Starting a study again in its folder keeps the layout it began with.
 */
import { existsSync, statSync } from 'node:fs';
import { InputError } from '../errors';
import { PartitionBy, PartitionOption, partitionFor } from '../contracts/partition';
import { layout } from './layout';
import { openScenarioSource } from './scenario-source';

const cache = new Map<string, { mtimeMs: number; partition: PartitionBy }>();

/** The recorded layout of the study in `outDir` (scenario_id when none is recorded), undefined before materialize. */
export function recordedPartition(outDir: string): PartitionBy | undefined {
  const path = layout.scenarioManifest(outDir);
  if (!existsSync(path)) return undefined;
  const mtimeMs = statSync(path).mtimeMs;
  const hit = cache.get(path);
  if (hit && hit.mtimeMs === mtimeMs) return hit.partition;
  const partition = openScenarioSource(outDir).head.partition_by ?? 'scenario_id';
  if (cache.size > 16) cache.clear();
  cache.set(path, { mtimeMs, partition });
  return partition;
}

export function studyPartition(outDir: string): PartitionBy {
  return recordedPartition(outDir) ?? 'scenario_id';
}

export const isBucketed = (outDir: string): boolean => studyPartition(outDir) === 'bucket';

/**
 * The layout materialize records: the folder's earlier one when the study is started again
 * (its files are in that layout), else the option's. An explicit option that differs from the
 * earlier layout is an input error.
 */
export function partitionToWrite(outDir: string, option: PartitionOption | undefined, scenarios: number): PartitionBy {
  const earlier = recordedPartition(outDir);
  if (earlier === undefined) return partitionFor(option, scenarios);
  if (option && option !== 'auto' && option !== earlier)
    throw new InputError(
      `this output folder holds a study written with --partition-by ${earlier}: resume it with that layout, or use a new --out`,
      { file: outDir },
    );
  return earlier;
}
