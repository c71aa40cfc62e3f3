/**
 * The handler of the `gridbatch` Nexus service, registered on every gridbatch worker
 * (src/temporal/worker.ts). `runStudy` validates its input against the StudyInput contract and
 * starts `studyPipeline` with the batch id as workflow id: a second call with the same batch id
 * attaches to the running study instead of starting another, and a finished study started
 * again resumes from its recorded results (nothing is solved twice).
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import * as nexus from 'nexus-rpc';
import { getClient, operationInfo, startWorkflow, WorkflowRunOperationHandler } from '@temporalio/nexus';
import type { Client } from '@temporalio/client';
import { parseStudyInput } from '../contracts/study-input';
// started by its type name: the workflow code (@temporalio/workflow) runs in the worker's sandbox, not here
import type { studyPipeline } from '../workflows/pipeline';
import { BatchIdKey, SEARCH_ATTRIBUTES, StageKey } from '../workflows/search-attributes';
import type { StudyInput, StudyResult } from '../contracts/workflow-types';
import { gridbatchService } from './service';

const saKnown = new Map<string, { ok: boolean; at: number }>();

/** Whether the namespace has gridbatch's custom search attributes (cached; a miss is checked again after a minute). */
async function searchAttributesAvailable(client: Client, namespace: string): Promise<boolean> {
  const hit = saKnown.get(namespace);
  if (hit && (hit.ok || Date.now() - hit.at < 60_000)) return hit.ok;
  let ok = false;
  try {
    const r = await client.connection.operatorService.listSearchAttributes({ namespace });
    const known = { ...(r.customAttributes ?? {}), ...(r.systemAttributes ?? {}) };
    ok = Object.keys(SEARCH_ATTRIBUTES).every((k) => k in known);
  } catch {
    ok = false; // no permission to list them: run without
  }
  saKnown.set(namespace, { ok, at: Date.now() });
  return ok;
}

/** Checks a runStudy input: a BAD_REQUEST (not retried) names the key or file at fault. */
export function validateRunStudyInput(raw: unknown): StudyInput {
  const parsed = parseStudyInput(raw);
  if (!parsed.ok) throw new nexus.HandlerError('BAD_REQUEST', parsed.message);
  // an s3:// spec is fetched by materialize, which names a missing object as bad input
  if (!/^s3:\/\//.test(parsed.input.specPath) && !existsSync(parsed.input.specPath)) {
    throw new nexus.HandlerError(
      'BAD_REQUEST',
      `invalid StudyInput: specPath: ${parsed.input.specPath} does not exist on the gridbatch workers`,
    );
  }
  return parsed.input;
}

export const gridbatchServiceHandler = nexus.serviceHandler(gridbatchService, {
  runStudy: new WorkflowRunOperationHandler<StudyInput, StudyResult>(async (ctx, raw) => {
    const checked = validateRunStudyInput(raw);
    const sa =
      (checked.options?.searchAttributes ?? true) &&
      (await searchAttributesAvailable(getClient(), operationInfo().namespace));
    const input: StudyInput = { ...checked, options: { ...checked.options, searchAttributes: sa } };
    return startWorkflow<typeof studyPipeline>(ctx, 'studyPipeline', {
      workflowId: input.batchId,
      args: [input],
      // task queue: the one this handler runs on (the endpoint's target)
      workflowIdConflictPolicy: 'USE_EXISTING',
      staticSummary: `gridbatch ${input.task} study ${basename(input.specPath)} (via Nexus)`,
      staticDetails: `spec: ${input.specPath}\noutput: ${input.outDir}\nstarted by Nexus operation ${gridbatchService.name}.runStudy`,
      memo: { spec: input.specPath, out: input.outDir, task: input.task },
      typedSearchAttributes: sa
        ? [
            { key: BatchIdKey, value: input.batchId },
            { key: StageKey, value: 'materialize' },
          ]
        : undefined,
    });
  }),
});
