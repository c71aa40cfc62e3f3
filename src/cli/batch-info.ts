/** What the CLI knows of a batch from its workflow: state, output folder (memo), run record. */
import { WorkflowNotFoundError } from '@temporalio/client';
import { existsSync, readFileSync } from 'node:fs';
import { layout } from '../io/layout';
import { StudyOptions, StudyTask } from '../contracts/workflow-types';
import { UsageError } from './exit';
import { Session } from './session';

export interface BatchInfo {
  batchId: string;
  state: string;
  outDir: string;
  specPath: string;
  task: StudyTask;
  startTime: Date;
  closeTime?: Date;
  memo: Record<string, unknown>;
}

export interface RunRecord {
  batch_id: string;
  task: StudyTask;
  options: StudyOptions;
  inputs: { role: string; source: string }[];
}

export async function batchInfo(s: Session, batchId: string): Promise<BatchInfo> {
  let d;
  try {
    d = await s.client.workflow.getHandle(batchId).describe();
  } catch (e) {
    if (e instanceof WorkflowNotFoundError)
      throw new UsageError(`no batch with id '${batchId}' in namespace ${s.settings.namespace}`);
    throw e;
  }
  // a screened study (screenedStudy) reports its final stage, whose folder is in its memo too
  if (d.type !== 'studyPipeline' && d.type !== 'screenedStudy')
    throw new UsageError(
      `'${batchId}' is a ${d.type} workflow, not a gridbatch study (studyPipeline or screenedStudy)`,
    );
  const memo = (d.memo ?? {}) as Record<string, unknown>;
  return {
    batchId,
    state: d.status.name,
    outDir: String(memo.out ?? ''),
    specPath: String(memo.spec ?? ''),
    task: memo.task as StudyTask,
    startTime: d.startTime,
    closeTime: d.closeTime,
    memo,
  };
}

export function readRunRecord(outDir: string): RunRecord {
  const p = layout.runRecord(outDir);
  if (!existsSync(p)) throw new UsageError(`${p} not found: the batch never got past materialize`);
  return JSON.parse(readFileSync(p, 'utf8')) as RunRecord;
}
