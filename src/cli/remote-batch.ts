/**
 * The CLI's commands on a study in object storage (`--out s3://...`): they run on a local folder
 * holding the study's files, as the activities do (io/storage/study-workspace.ts), and upload
 * what they write. For a local folder these are plain calls.
 */
import { WHOLE_STUDY } from '../activities/remote-study';
import { isS3Url } from '../io/storage/s3-url';
import { StudyFiles, withStudyDir } from '../io/storage/study-workspace';
import { BatchDirArgs, finishedBatchDir, outDirOfWorkflow } from './finished-batch';

/**
 * Runs `fn` on the folder of a finished batch (from --out or the workflow of --id); local paths
 * in its result are given back as the study's URL, so print them after it returns.
 */
export async function onFinishedBatch<T>(
  a: BatchDirArgs,
  fn: (dir: string) => Promise<T>,
  files: StudyFiles = WHOLE_STUDY,
): Promise<T> {
  const out = a.out ?? (a.id ? await outDirOfWorkflow(a.id) : undefined);
  if (!isS3Url(out)) return fn(await finishedBatchDir(a));
  return withStudyDir(out.replace(/\/+$/, ''), files, async (dir) => fn(await finishedBatchDir({ ...a, out: dir })));
}

/** Runs `fn` on a folder holding `files` of the study at `outDir` (local or s3://), uploading what it writes. */
export async function onStudyDir<T>(
  outDir: string,
  files: StudyFiles,
  fn: (dir: string) => Promise<T> | T,
): Promise<T> {
  return isS3Url(outDir) ? withStudyDir(outDir, files, fn) : fn(outDir);
}
