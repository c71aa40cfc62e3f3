/**
 * start-batch with inputs or output in object storage. `--spec s3://...` is downloaded (with the
 * grid, profile and bases it names) to validate it here; the workers fetch it themselves.
 * `--out s3://...` is checked against the bucket (reachable, not another batch's prefix), and
 * local inputs are uploaded into the study's prefix (`<out>/source/`, their folder structure
 * kept), so workers on machines without those files read them from the bucket.
 */
import { statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { fetchSpecInputs } from '../io/storage/spec-inputs';
import { isS3Url, joinUrl } from '../io/storage/s3-url';
import { storeFor } from '../io/storage/study-store';
import { StudyInput } from '../contracts/workflow-types';
import { UsageError } from './exit';
import { buildStudyInput, finalStageId, StartBatchArgs } from './study-input';

/** The deepest folder that holds every file. */
export function commonFolder(files: string[]): string {
  let base = dirname(resolve(files[0]));
  for (const f of files) {
    while (relative(base, resolve(f)).startsWith('..')) base = dirname(base);
  }
  return base;
}

export async function buildRemoteStudyInput(a: StartBatchArgs): Promise<{ input: StudyInput; scenarios: number }> {
  const fetched = isS3Url(a.spec) ? await fetchSpecInputs(a.spec) : undefined;
  let built: ReturnType<typeof buildStudyInput>;
  try {
    built = buildStudyInput({ ...a, spec: fetched ? fetched.specPath : a.spec }, false);
  } catch (e) {
    // name the bucket's object, not this machine's copy of it
    if (fetched && e instanceof Error) e.message = e.message.split(fetched.rewrite[0]).join(fetched.rewrite[1]);
    throw e;
  }
  let input: StudyInput = fetched ? { ...built.input, specPath: a.spec } : built.input;
  if (isS3Url(input.outDir)) {
    const store = storeFor(input.outDir);
    // reachable with these credentials (a missing bucket or a denied access: exit 2 naming it), and not another batch's prefix
    const rec = await store.get('run_record.json');
    if (rec) {
      let other: string | undefined;
      try {
        other = (JSON.parse(rec.toString('utf8')) as { batch_id?: string } | null)?.batch_id;
      } catch {
        throw new UsageError(`${input.outDir}/run_record.json is not a readable run record; choose another --out`);
      }
      if (other && other !== input.batchId && other !== finalStageId(input.batchId)) {
        throw new UsageError(
          `${input.outDir} holds the results of batch ${other}; choose another --out (or --id ${other} to attach to it)`,
        );
      }
    }
    if (!fetched) {
      const local = resolve(a.spec);
      const base = commonFolder(built.inputFiles);
      for (const f of built.inputFiles) await store.upload(`source/${relative(base, f).split(sep).join('/')}`, f);
      const rel = relative(base, local).split(sep).join('/');
      const folder = statSync(local).isDirectory();
      input = { ...input, specPath: `${joinUrl(input.outDir, 'source', rel)}${folder ? '/' : ''}` };
    }
  }
  return { input, scenarios: built.scenarios };
}
