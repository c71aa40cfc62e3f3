/**
 * The output-location check every command that writes runs before it starts anything: the folder
 * exists or can be created, is a folder, is writable and has room for the study (a warning on
 * stderr otherwise). A problem is an OutputError: exit 2, one line naming the path and the cause.
 */
import { checkOutputLocation, estimateOutputBytes, OutputCheck } from '../io/output-location';
import { ResolvedStudy } from '../scenarios/types';
import { Network } from '../grid/network';
import { jobCount } from '../contracts/chunk-plan';

/** Estimated output size of a study on its grid (see estimateOutputBytes). */
export function studyOutputEstimate(study: ResolvedStudy, grid: Network, chunkSize?: number): number {
  let jobs = 0;
  for (const s of study.scenarios) jobs += jobCount(s.timeSlices.length);
  return estimateOutputBytes({
    jobs,
    scenarios: study.scenarios.length,
    buses: grid.bus.n,
    branches: grid.branch.n,
    gens: grid.gen.n,
    chunkSize,
  });
}

/** Checks `outDir` for a study and writes its warnings to stderr (unless `quiet`). */
export function checkStudyOutput(outDir: string, estimatedBytes: number | undefined, quiet = false): OutputCheck {
  const c = checkOutputLocation(outDir, estimatedBytes);
  if (!quiet) for (const w of c.warnings) process.stderr.write(`warning: ${w}\n`);
  return c;
}
