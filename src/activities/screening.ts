/**
 * The activities of a screened study (workflows/screened.ts): pick the K most severe scenarios of
 * the screening stage by the contingency ranking of its results (report/severity.ts, with the
 * spec's weights), and record both stages in the final stage's batch_manifest.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../io/atomic';
import { layout } from '../io/layout';
import { collectReportData } from '../report/collect';
import { DEFAULT_SEVERITY_WEIGHTS, rankContingencies } from '../report/severity';
import type { ScreenedStudyResult, ScreenSelection } from '../contracts/workflow-types';

export async function selectMostSevere(
  outDir: string,
  top: number,
): Promise<ScreenSelection & { ranking: { scenario_id: string; severity_index: number }[] }> {
  const data = await collectReportData(outDir);
  const weights = { ...DEFAULT_SEVERITY_WEIGHTS, ...(data.study.manifest.severity_weights ?? {}) };
  const ranking = rankContingencies(data.scenarios, data.jobs, data.study.scenarios(), weights);
  const chosen = ranking.slice(0, top);
  writeJsonAtomic(join(outDir, 'screen_selection.json'), { top, weights, selected: chosen });
  return {
    ids: chosen.map((r) => r.scenario_id),
    ranked: ranking.length,
    ranking: chosen.map((r) => ({ scenario_id: r.scenario_id, severity_index: r.severity_index })),
  };
}

export interface StageRecord {
  batchId: string;
  task: string;
  scenarios: number;
  jobs: number;
  ok: number;
  failed: number;
}

/** Adds `stages` (screening, then final) to <outDir>/batch_manifest.json; idempotent. */
export function recordStages(outDir: string, screening: ScreenedStudyResult['screening'], final: StageRecord): void {
  const path = layout.batchManifest(outDir);
  const m = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  m.stages = [
    {
      stage: 'screening',
      task: screening.task,
      batch_id: screening.batchId,
      out_dir: screening.outDir,
      scenarios: screening.scenarios,
      jobs: screening.jobs,
      ok: screening.ok,
      failed: screening.failed,
      selected: screening.selected,
    },
    {
      stage: 'final',
      task: final.task,
      batch_id: final.batchId,
      out_dir: outDir,
      scenarios: final.scenarios,
      jobs: final.jobs,
      ok: final.ok,
      failed: final.failed,
    },
  ];
  writeJsonAtomic(path, m);
}
