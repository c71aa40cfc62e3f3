/**
 * The cancelled studies of the replay fixtures (record.ts runs them): a cancel has to reach the
 * workflows at a chosen point, so the recording worker holds one activity until the cancel is
 * in the history. Only the activities of these studies' workflow ids are held; every other
 * study runs the real activities. The holds change nothing a workflow sees except timing.
 *
 * - `rec-cancel`: cancelled while its scenarios' solve chunks run (regular activities that
 *   heartbeat until the cancel reaches them): the batch waits for its children
 *   (patch `cancel-waits-for-children`), each scenario for its chunk (`solve-cancel-waits`), and
 *   the pipeline writes the manifest and ends cancelled.
 * - `rec-cancel-late`: cancelled while its manifest is being written, after the batch closed: the
 *   manifest is not cancelled (`manifest-not-cancellable`) and the study still ends cancelled
 *   after it (`cancel-ends-cancelled`).
 */
import { Context } from '@temporalio/activity';
import { Client, WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { join } from 'node:path';
import * as activities from '../../src/activities';
import type { StudyInput, StudyResult } from '../../src/contracts/workflow-types';

const DURING = 'rec-cancel';
const LATE = 'rec-cancel-late';

/** A promise with its resolve function. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open = () => undefined as void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

export interface CancelHolds {
  overrides: Partial<typeof activities>;
  /** resolves when a chunk of `rec-cancel` is held */
  chunkHeld: Promise<void>;
  /** resolves when the manifest of `rec-cancel-late` is held */
  manifestHeld: Promise<void>;
  /** lets that manifest be written */
  releaseManifest: () => void;
}

export function cancelHolds(): CancelHolds {
  const chunk = gate();
  const manifest = gate();
  const release = gate();
  const solveChunk: typeof activities.solveChunk = async (ref) => {
    const ctx = Context.current();
    if (!ctx.info.workflowExecution?.workflowId.startsWith(`${DURING}/`)) return activities.solveChunk(ref);
    chunk.open();
    // heartbeat until the cancel arrives: ctx.sleep rejects with the CancelledFailure
    for (;;) {
      ctx.heartbeat();
      await ctx.sleep(100);
    }
  };
  const finalizeManifest: typeof activities.finalizeManifest = async (input) => {
    if (input.batchId === LATE) {
      manifest.open();
      await release.wait;
    }
    return activities.finalizeManifest(input);
  };
  return {
    overrides: { solveChunk, finalizeManifest },
    chunkHeld: chunk.wait,
    manifestHeld: manifest.wait,
    releaseManifest: release.open,
  };
}

async function cancelRequested(client: Client, workflowId: string): Promise<void> {
  const h = client.workflow.getHandle(workflowId);
  for (let i = 0; i < 200; i++) {
    const history = await h.fetchHistory();
    if ((history.events ?? []).some((e) => e.workflowExecutionCancelRequestedEventAttributes)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${workflowId}: the cancel request never reached its history`);
}

async function expectCancelled(result: Promise<StudyResult>, workflowId: string): Promise<void> {
  const e = await result.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof WorkflowFailedError && e.cause instanceof CancelledFailure))
    throw new Error(`${workflowId} did not end cancelled: ${e instanceof Error ? e.message : 'it completed'}`);
}

/** Runs both cancelled studies on the recorder's worker (spec: a multi-scenario study). */
export async function runCancelledStudies(
  client: Client,
  taskQueue: string,
  holds: CancelHolds,
  spec: string,
  work: string,
  log: (s: string) => void,
): Promise<void> {
  const start = (input: StudyInput) =>
    client.workflow.start<(i: StudyInput) => Promise<StudyResult>>('studyPipeline', {
      workflowId: input.batchId,
      taskQueue,
      args: [input],
    });
  const skip = { skipFeaturize: true, skipReport: true } as const;
  const during = await start({
    batchId: DURING,
    specPath: spec,
    outDir: join(work, 'cancel'),
    task: 'pf_dc',
    options: { ...skip, maxInFlight: 2, chunkSize: 1, localActivities: 'never', scenarioGroups: 'never' },
  });
  await holds.chunkHeld;
  await during.cancel();
  await expectCancelled(during.result(), DURING);
  log('cancel during the batch: the study ended cancelled');

  const late = await start({
    batchId: LATE,
    specPath: spec,
    outDir: join(work, 'cancel-late'),
    task: 'pf_dc',
    options: { ...skip, scenarios: ['s000'] },
  });
  await holds.manifestHeld;
  await late.cancel();
  await cancelRequested(client, LATE);
  holds.releaseManifest();
  await expectCancelled(late.result(), LATE);
  log('cancel while the manifest was written: the study ended cancelled after it');
}

/** The fixture names and workflow ids of the cancelled studies. */
export const CANCEL_FIXTURES: readonly { workflowId: string; name: string }[] = [
  { workflowId: DURING, name: 'cancelled-during-batch' },
  { workflowId: `${DURING}/batch`, name: 'cancelled-waits-for-children' },
  { workflowId: `${DURING}/s000`, name: 'cancelled-chunk' },
  { workflowId: LATE, name: 'cancelled-after-batch' },
];
