/**
 * The StudyInput of `start-batch` from its flags: the spec checked locally, the options
 * validated once (study-options.ts), the output folder checked, the batch id derived from
 * everything that makes the study what it is.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { InputError } from '../errors';
import { sha256 } from '../io/atomic';
import { layout } from '../io/layout';
import { loadStudy } from '../scenarios/load-spec';
import { jobCount } from '../contracts/chunk-plan';
import { specFilesIn, studySpecFiles } from '../scenarios/spec-folder';
import { isS3Url } from '../io/storage/s3-url';
import { checkStudyOutput, studyOutputEstimate } from './output-check';
import { isTask } from '../solvers/solution';
import { StudyInput, StudyOptions, StudyTask } from '../contracts/workflow-types';
import { UsageError } from './exit';
import { StudyFlags, studyOptions } from './study-options';

export interface StartBatchArgs extends StudyFlags {
  spec: string;
  task: string;
  out?: string;
  id?: string;
  wait: boolean;
  json?: boolean;
  /** two-stage study: screen every scenario with this task first (only 'dc'), then run --task on the worst --screen-top */
  screen?: string;
  screenTop?: number;
}

function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/\.[a-z]+$/, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'study'
  );
}

/**
 * Output folder when --out is not given: out/<spec>-<task>-<UTC time to the second>, so that two
 * runs never share a folder (starting the same study again attaches to it only with --out or --id).
 */
export function defaultOutDir(specPath: string, task: string, now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');
  return `out/${slug(basename(specPath))}-${task}-${stamp}`;
}

/** Workflow id from the spec's content and the options: the same study starts once. */
export function deriveBatchId(
  specPath: string,
  task: StudyTask,
  outDir: string,
  options: StudyOptions,
  scenarioHashes: string[],
): string {
  const spec = statSync(specPath).isDirectory()
    ? specFilesIn(specPath)
        .map((f) => sha256(readFileSync(f)))
        .join(',')
    : sha256(readFileSync(specPath));
  const h = sha256(JSON.stringify({ spec, task, outDir, options, scenarioHashes }));
  return `gb-${slug(basename(specPath))}-${task.replace('_', '')}-${h.slice(0, 12)}`;
}

export function buildStudyInput(
  a: StartBatchArgs,
  searchAttributes: boolean,
): { input: StudyInput; scenarios: number; jobs: number; buses: number; gridFile: string; inputFiles: string[] } {
  if (!isTask(a.task)) throw new UsageError(`--task must be one of pf_dc, pf_ac, opf_dc, opf_ac (got '${a.task}')`);
  const specPath = resolve(a.spec);
  if (!existsSync(specPath)) throw new InputError('spec file not found', { file: specPath });
  const options = studyOptions(a);
  if (
    (options.featureLayout === 'opfdata-json' || options.featureLayout === 'gridfm') &&
    a.task !== 'pf_ac' &&
    a.task !== 'opf_ac' &&
    !options.skipFeaturize
  ) {
    throw new UsageError(
      `--feature-layout ${options.featureLayout} holds AC solutions: use --task pf_ac or opf_ac (got ${a.task})`,
    );
  }
  // Validate everything before anything is started or written.
  const { study, grid } = loadStudy(specPath, { scenarios: options.scenarios });
  if (a.baseline !== undefined && !a.skipReport && !study.scenarios.some((sc) => sc.scenarioId === a.baseline)) {
    throw new UsageError(`--baseline '${a.baseline}' is not a scenario of ${basename(specPath)}`);
  }
  // an s3:// output is checked by buildRemoteStudyInput (remote-study-input.ts), against the bucket
  const remoteOut = isS3Url(a.out);
  const outDir = remoteOut ? a.out!.replace(/\/+$/, '') : resolve(a.out ?? defaultOutDir(specPath, a.task));
  // the output folder too: a file, a read-only place or a full disk ends here with exit 2, not in a retried activity
  if (!remoteOut) checkStudyOutput(outDir, studyOutputEstimate(study, grid, a.chunkSize));
  const screen = screenOption(a);
  const batchId =
    a.id ??
    deriveBatchId(
      specPath,
      a.task,
      outDir,
      screen ? ({ ...options, screen } as StudyOptions) : options,
      study.scenarios.map((s) => s.hash),
    );
  const rec = layout.runRecord(outDir);
  const inputFiles = [
    ...new Set([...studySpecFiles(study), study.gridFile, ...(study.profiles ? [study.profiles.file] : [])]),
  ];
  if (!remoteOut && existsSync(rec)) {
    let other: string | undefined;
    try {
      other = (JSON.parse(readFileSync(rec, 'utf8')) as { batch_id?: string } | null)?.batch_id;
    } catch {
      throw new UsageError(
        `${rec} is not a readable run record (a damaged earlier run?); choose another --out or remove that folder`,
      );
    }
    if (other && other !== batchId && other !== finalStageId(batchId))
      throw new UsageError(
        `${outDir} holds the results of batch ${other}; choose another --out (or --id ${other} to attach to it)`,
      );
  }
  return {
    input: { batchId, specPath, outDir, task: a.task, options: { ...options, searchAttributes } },
    scenarios: study.scenarios.length,
    jobs: study.scenarios.reduce((a, sc) => a + jobCount(sc.timeSlices.length), 0),
    buses: grid.bus.n,
    gridFile: study.gridFile,
    inputFiles,
  };
}

/** --screen dc --screen-top K, checked; undefined without --screen. */
export function screenOption(
  a: Pick<StartBatchArgs, 'screen' | 'screenTop'>,
): { task: 'pf_dc'; top: number } | undefined {
  if (a.screen === undefined) {
    if (a.screenTop !== undefined) throw new UsageError('--screen-top needs --screen dc');
    return undefined;
  }
  if (a.screen !== 'dc') throw new UsageError(`--screen must be dc (got '${a.screen}')`);
  if (a.screenTop === undefined || !Number.isInteger(a.screenTop) || a.screenTop < 1)
    throw new UsageError('--screen dc needs --screen-top K, a positive integer');
  return { task: 'pf_dc', top: a.screenTop };
}

/** The workflow (and batch) id of a screened study's final stage. */
export function finalStageId(batchId: string): string {
  return `${batchId}-final`;
}
