/** The summary the CLI's `validate` command prints. */
import { ResolvedStudy, StudyPreview } from './types';
import { jobCount } from '../contracts/chunk-plan';

/** Scenario and job counts (a scenario without time slices is one job), up to 10 sample ids (first and last 5). */
export function previewStudy(study: ResolvedStudy): StudyPreview {
  let jobs = 0;
  for (const s of study.scenarios) jobs += jobCount(s.timeSlices.length);
  const n = study.scenarios.length;
  const sampleIds =
    n <= 10
      ? study.scenarios.map((s) => s.scenarioId)
      : [...study.scenarios.slice(0, 5), ...study.scenarios.slice(-5)].map((s) => s.scenarioId);
  return { scenarios: n, jobs, sampleIds, warnings: study.warnings.slice() };
}
