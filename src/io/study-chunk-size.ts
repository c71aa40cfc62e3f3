/**
 * Time slices per solve chunk, as materialize records them in the scenario manifest
 * (`chunk_size`): the study's `--chunk-size`, else sized from the grid and the task
 * (autoChunkSize). Starting a study again in its folder keeps the size it began with (its
 * chunks' files and job records are numbered by it); a manifest written before the size was
 * recorded used the option, else 24.
 */
import { existsSync } from 'node:fs';
import { InputError } from '../errors';
import { STUDY_DEFAULTS } from '../contracts/study-defaults';
import type { StudyTask } from '../contracts/workflow-types';
import { autoChunkSize } from '../workflows/solve-placement';
import { layout } from './layout';
import { openScenarioSource } from './scenario-source';

/** The chunk size recorded in the manifest of `outDir`, undefined before materialize. */
export function recordedChunkSize(outDir: string, option: number | undefined): number | undefined {
  if (!existsSync(layout.scenarioManifest(outDir))) return undefined;
  return openScenarioSource(outDir).head.chunk_size ?? option ?? STUDY_DEFAULTS.chunkSize;
}

/**
 * The size materialize records: the folder's earlier one when the study is started again, else
 * the option, else autoChunkSize. An option that differs from the earlier size is an input error.
 */
export function chunkSizeToWrite(
  outDir: string,
  option: number | undefined,
  task: StudyTask,
  grid: { buses: number; branches: number; gens: number },
): number {
  const earlier = recordedChunkSize(outDir, option);
  const rowsPerSlice = grid.buses + grid.branches + grid.gens + 1;
  if (earlier === undefined) return option ?? autoChunkSize(task, grid.buses, rowsPerSlice, STUDY_DEFAULTS.chunkSize);
  if (option !== undefined && option !== earlier)
    throw new InputError(
      `this output folder holds a study written with --chunk-size ${earlier}: resume it with that size, or use a new --out`,
      { file: outDir },
    );
  return earlier;
}
