/** `validate --spec F`: expands a spec without running anything (counts, id preview, warnings). */
import { resolve } from 'node:path';
import { previewStudy } from '../scenarios';
import { loadStudy } from '../scenarios/load-spec';
import { EXIT } from './exit';
import { checkStudyOutput, studyOutputEstimate } from './output-check';
import { isS3Url } from '../io/storage/s3-url';

export interface ValidateArgs {
  spec: string;
  scenarios?: string;
  /** output folder to check (exists or can be created, writable, room for the estimated output) */
  out?: string;
  chunkSize?: number;
  json?: boolean;
}

export function validateCommand(a: ValidateArgs): number {
  const t0 = performance.now();
  const scenarios = a.scenarios
    ? a.scenarios
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
  const { study, grid } = loadStudy(resolve(a.spec), { scenarios });
  const p = previewStudy(study);
  const estimatedBytes = studyOutputEstimate(study, grid, a.chunkSize);
  // an s3:// output is checked against the bucket by start-batch; validate needs no credentials
  if (a.out && !isS3Url(a.out)) p.warnings.push(...checkStudyOutput(resolve(a.out), estimatedBytes, true).warnings);
  else {
    // no --out: the room where start-batch's default folder (out/...) would go; its other problems are not the user's choice yet
    try {
      p.warnings.push(
        ...checkStudyOutput(resolve('out'), estimatedBytes, true).warnings.map(
          (w) => `${w} (the default output folder; check another with --out)`,
        ),
      );
    } catch {
      // e.g. ./out is a file: start-batch reports it if the default is used
    }
  }
  const islanding = study.scenarios
    .filter((s) => s.islanding)
    .map((s) => ({ scenario_id: s.scenarioId, islanding: s.islanding as string }));
  const ms = performance.now() - t0;
  if (a.json) {
    console.log(
      JSON.stringify(
        {
          spec: study.specFile,
          grid: study.gridFile,
          scenarios: p.scenarios,
          jobs: p.jobs,
          sample_ids: p.sampleIds,
          warnings: p.warnings,
          notes: study.notes ?? [],
          estimated_output_bytes: estimatedBytes,
          islands: study.islands,
          islanding,
          elapsed_ms: Math.round(ms),
        },
        null,
        2,
      ),
    );
    return EXIT.OK;
  }
  console.log(`spec ${study.specFile}`);
  console.log(`grid ${study.gridFile}`);
  console.log(`${p.scenarios} scenarios, ${p.jobs} jobs (resolved in ${ms.toFixed(0)} ms)`);
  console.log(`ids: ${p.sampleIds.join(', ')}${p.scenarios > p.sampleIds.length ? ', ...' : ''}`);
  console.log(
    `estimated output: ${(estimatedBytes / (1024 * 1024)).toFixed(1)} MiB${a.out ? ` in ${isS3Url(a.out) ? a.out : resolve(a.out)}` : ''}`,
  );
  for (const n of study.notes ?? []) console.log(n);
  for (const w of p.warnings) console.log(`warning: ${w}`);
  if (islanding.length) {
    const fate =
      study.islands === 'fail'
        ? 'will fail (islands: fail)'
        : `run with their cut-off islands de-energized (islands: ${study.islands})`;
    console.log(`${islanding.length} scenario(s) split the network and ${fate}:`);
    for (const i of islanding.slice(0, 20)) console.log(`  ${i.scenario_id}: ${i.islanding}`);
  }
  return EXIT.OK;
}
