/**
 * A solve thread's warm-up for a small study of the CLI's in-process worker: a tiny study of the
 * same grid, task and layout (one-slice scenarios, GAT format), materialized and solved into a
 * temporary folder by the very code that runs the study's own materialize and parts, so that code
 * is compiled and optimized, the grid's DC model is cached (solvers/solve.ts SolverCache, keyed by
 * content) and the Parquet and manifest writers are loaded before the study's first part comes. It runs while
 * the main thread connects, starts the worker and the workflow (solve-pool.ts warmSolveThread);
 * the folder is removed afterwards.
 *
 * Runs on a solve thread (solve-thread.js `warmStudy`); steps are small so a study's task waits
 * for at most one.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChunkRef, StudyTask } from '../contracts/workflow-types';
import type { PartitionBy } from '../contracts/partition';
import { materializeStudy } from './materialize';
import { runChunk } from './chunk-runner';
import { runPart } from './part-runner';
import { writeBatchManifestOf } from './batch-manifest';

export interface WarmStep {
  /** the temporary folder of the warm-up (its spec, its study in `out`) */
  dir: string;
  gridFile: string;
  task: StudyTask;
  partitionBy: PartitionBy;
  /** scenarios of the tiny study */
  scenarios: number;
  /** 'materialize' the tiny study, write its batch 'manifest', or solve its scenarios [from, to) */
  step: 'materialize' | 'manifest' | { from: number; to: number };
}

const warmOut = (dir: string) => join(dir, 'out');

/** One step of the warm-up; returns the jobs it solved. */
export async function warmStudy(s: WarmStep): Promise<number> {
  if (s.step === 'materialize') {
    mkdirSync(s.dir, { recursive: true });
    const spec = join(s.dir, 'warm-spec.yaml');
    const lines = [
      'version: 1',
      `grid_file: ${JSON.stringify(s.gridFile)}`,
      'defaults:',
      '  time_slices: ["2025-01-15T08:00:00Z"]',
      'scenarios:',
    ];
    for (let k = 0; k < s.scenarios; k++)
      lines.push(
        `  - scenario_id: w${k}`,
        `    load_scale: ${(0.9 + (0.2 * k) / Math.max(1, s.scenarios - 1)).toFixed(4)}`,
      );
    writeFileSync(spec, lines.join('\n') + '\n');
    materializeStudy({
      batchId: 'warm-up',
      specPath: spec,
      outDir: warmOut(s.dir),
      task: s.task,
      options: { partitionBy: s.partitionBy },
    });
    return 0;
  }
  if (s.step === 'manifest') {
    await writeBatchManifestOf(warmOut(s.dir), { batchId: 'warm-up', task: s.task });
    return 0;
  }
  const refs: ChunkRef[] = [];
  for (let k = s.step.from; k < s.step.to; k++)
    refs.push({
      outDir: warmOut(s.dir),
      task: s.task,
      scenarioIndex: k,
      scenarioId: `w${k}`,
      chunk: 0,
      sliceStart: 0,
      sliceEnd: 1,
    });
  if (s.partitionBy === 'bucket') runPart({ refs });
  else for (const r of refs) runChunk(r);
  return refs.length;
}
