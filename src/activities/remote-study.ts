/**
 * Which study files each activity reads, for studies in object storage (`--out s3://...`): the
 * activity runs on a local folder that holds them (io/storage/study-workspace.ts), and what it
 * writes is uploaded when it succeeds. For a local output folder these are plain calls.
 */
import { Context } from '@temporalio/activity';
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../io/atomic';
import { layout } from '../io/layout';
import { StudyFiles, withStudyDir } from '../io/storage/study-workspace';
import { fetchSpecInputs } from '../io/storage/spec-inputs';
import { isS3Url } from '../io/storage/s3-url';
import { storeFor } from '../io/storage/study-store';

/** The scenario manifest and its index (scenario-index.ts): read a page or one scenario at a time. */
export const MANIFEST_FILES = ['scenario_manifest.json', 'scenario_manifest.index'];

/** What materialize writes once and nothing changes later: fetched once per study and worker. */
export const STUDY_STATIC = [...MANIFEST_FILES, 'grid/', 'inputs/'];

/** A solve chunk: the manifest, the base grid and the input copies (profiles). */
export const CHUNK_FILES: StudyFiles = { readOnce: STUDY_STATIC };

/** The stages after the batch (manifest, featurize, report, screening) read the whole study but its features and report. */
export const WHOLE_STUDY: StudyFiles = {
  readOnce: STUDY_STATIC,
  read: [
    'run_record.json',
    'batch_manifest.json',
    'batch_manifest.parquet',
    'screen_selection.json',
    'jobs/',
    'results/',
  ],
};

/**
 * Runs `fn` with `input.outDir` replaced by a local folder holding `files` of the study; local
 * paths in its result are given back as the study's URL.
 */
export async function onStudy<I extends { outDir: string }, R>(
  input: I,
  files: StudyFiles,
  fn: (local: I) => Promise<R> | R,
): Promise<R> {
  if (!isS3Url(input.outDir)) return fn(input);
  return withStudyDir(input.outDir, files, (dir) => fn({ ...input, outDir: dir }), activitySignal());
}

/** The activity's cancellation signal (undefined outside an activity). */
function activitySignal(): AbortSignal | undefined {
  try {
    return Context.current().cancellationSignal;
  } catch {
    return undefined;
  }
}

/** Materialize: an s3:// spec is downloaded first (with its grid, profile and bases); the output goes to the study's store. */
export async function onMaterialize<I extends { outDir: string; specPath: string }, R>(
  input: I,
  fn: (local: I) => Promise<R>,
): Promise<R> {
  const fetched = isS3Url(input.specPath) ? await fetchSpecInputs(input.specPath) : undefined;
  const local = fetched ? { ...input, specPath: fetched.specPath } : input;
  if (!isS3Url(input.outDir)) {
    const r = await fn(local);
    // the records name the spec where it is (its s3:// URL), not this worker's copy of it
    if (fetched)
      for (const f of [layout.scenarioManifest(input.outDir), layout.runRecord(input.outDir)])
        writeFileAtomic(f, readFileSync(f, 'utf8').split(fetched.rewrite[0]).join(fetched.rewrite[1]));
    return r;
  }
  return withStudyDir(input.outDir, { rewrites: fetched ? [fetched.rewrite] : [] }, (dir) =>
    fn({ ...local, outDir: dir }),
  );
}

/** Aborts the unfinished multipart uploads under an s3:// study (a no-op on disk, where the manifest's sweep removes temporary files). */
export async function sweepUnfinishedUploads(outDir: string): Promise<number> {
  return isS3Url(outDir) ? storeFor(outDir).sweepUnfinished('') : 0;
}

/**
 * onStudy for the long stages (featurize, report) that heartbeat only on progress: for an s3://
 * study they also heartbeat every 5 s while its results download and its outputs upload.
 */
export async function onStudyBeating<I extends { outDir: string }, R>(
  input: I,
  files: StudyFiles,
  fn: (local: I) => Promise<R> | R,
): Promise<R> {
  if (!isS3Url(input.outDir)) return fn(input);
  const ctx = Context.current();
  const beat = ctx.info.isLocal ? undefined : setInterval(() => ctx.heartbeat(), 5000);
  try {
    return await onStudy(input, files, fn);
  } finally {
    clearInterval(beat);
  }
}
