/**
 * The output folder of a finished batch as the CLI's reading commands (featurize, report,
 * results) find it: from --out, or from the memo of the workflow named by --id.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { InputError } from '../errors';
import { layout } from '../io/layout';
import { UsageError } from './exit';
import { openSession } from './session';

/** A path relative to the working folder when it is inside it, else absolute. */
export function shownPath(p: string): string {
  if (/^s3:\/\//.test(p)) return p;
  const r = relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
}

export interface BatchDirArgs {
  id?: string;
  out?: string;
}

export async function outDirOfWorkflow(id: string): Promise<string> {
  const s = await openSession();
  try {
    const desc = await s.client.workflow.getHandle(id).describe();
    const out = desc.memo?.out;
    if (typeof out !== 'string')
      throw new UsageError(`batch '${id}' has no output folder in its memo; give --out <dir>`);
    return out;
  } catch (e) {
    if (e instanceof WorkflowNotFoundError)
      throw new UsageError(`no batch with id '${id}' (give --out <dir> for a folder without a workflow)`);
    throw e;
  } finally {
    await s.close();
  }
}

/** The output folder of a finished batch, from --out or the workflow of --id (checked against each other). */
export async function finishedBatchDir(a: BatchDirArgs): Promise<string> {
  if (!a.id && !a.out) throw new UsageError('give --id <batch> or --out <dir>');
  const out = a.out ? resolve(a.out) : await outDirOfWorkflow(a.id!);
  const rec = layout.runRecord(out);
  if (!existsSync(rec)) throw new InputError('not the output folder of a batch (no run_record.json)', { file: out });
  const batchId = (JSON.parse(readFileSync(rec, 'utf8')) as { batch_id?: string }).batch_id;
  if (a.id && batchId !== a.id) throw new UsageError(`${out} holds batch ${batchId}, not ${a.id}`);
  if (!existsSync(layout.batchManifest(out))) {
    throw new UsageError(
      `batch ${batchId} has not finished (no batch_manifest.json in ${out}); see \`status --id ${batchId}\``,
    );
  }
  return out;
}
