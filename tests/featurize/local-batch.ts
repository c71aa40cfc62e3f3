/**
 * A finished batch without Temporal, for featurize and report tests: materialize, every chunk
 * through the same chunk runner the solve activities use, and the batch manifest.
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeBatchManifest } from '../../src/activities/batch-manifest';
import { runChunk } from '../../src/activities/chunk-runner';
import { materializeStudy } from '../../src/activities/materialize';
import { jobsOf, readScenarioManifest } from '../../src/io/scenario-manifest';
import { StudyTask } from '../../src/contracts/workflow-types';
import { ARTIFACTS } from '../helpers/test-server';

export const MIXED_SPEC = resolve(__dirname, 'fixtures', 'case14-mixed.yaml');

export function runLocalBatch(task: StudyTask, label: string, spec = MIXED_SPEC, scenarios?: string[]): string {
  const outDir = join(ARTIFACTS, 'featurize', `${label}-${task}`);
  rmSync(outDir, { recursive: true, force: true });
  const batchId = `local-${label}-${task}`;
  materializeStudy({ batchId, specPath: spec, outDir, task, options: { scenarios } });
  const m = readScenarioManifest(outDir);
  m.scenarios.forEach((s, i) => {
    runChunk({
      outDir,
      task,
      scenarioIndex: i,
      scenarioId: s.scenarioId,
      chunk: 0,
      sliceStart: 0,
      sliceEnd: jobsOf(s),
    });
  });
  writeBatchManifest(outDir, batchId, task);
  return outDir;
}
