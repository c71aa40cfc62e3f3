/**
 * `cancel --id B`: cancels the study; Temporal passes the cancellation to its children and their
 * activities (solve threads are aborted). Outputs already written stay; the manifest marks the
 * jobs that did not run as skipped.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { batchInfo } from './batch-info';
import { EXIT, UsageError } from './exit';
import { withLocalWorker } from './local-worker';
import { openSession } from './session';

/** How long `cancel` waits for the batch to close (GRIDBATCH_CANCEL_WAIT_S, default 60 s). */
function cancelWaitMs(): number {
  const s = Number(process.env.GRIDBATCH_CANCEL_WAIT_S);
  return (Number.isFinite(s) && s > 0 ? s : 60) * 1000;
}

export async function cancelCommand(a: { id: string; json?: boolean; wait?: boolean }): Promise<number> {
  const s = await openSession();
  try {
    const info = await batchInfo(s, a.id);
    if (info.state !== 'RUNNING') throw new UsageError(`batch ${a.id} is ${info.state}, not running`);
    const handle = s.client.workflow.getHandle(a.id);
    await handle.cancel();
    if (a.wait !== false) {
      // wait until the workflow has written its manifest and closed, at most CANCEL_WAIT_MS
      const closed = handle.result().then(
        () => true,
        (e: unknown) => (e instanceof WorkflowFailedError ? true : Promise.reject(e)),
      );
      closed.catch(() => undefined); // after the deadline nobody awaits it; closing the connection ends it
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<false>((r) => {
        timer = setTimeout(() => r(false), cancelWaitMs());
      });
      const done = await withLocalWorker(s, Promise.race([closed, deadline])).finally(() => clearTimeout(timer));
      if (!done) {
        console.error(
          `error: cancellation of ${a.id} requested, but it has not closed within ${cancelWaitMs() / 1000} s (a worker must run it to its end: \`status --id ${a.id}\` follows it)`,
        );
        return EXIT.ERROR;
      }
    }
    const after = await batchInfo(s, a.id);
    const out = {
      batchId: a.id,
      state: after.state,
      jobs: after.memo.jobs ?? null,
      ok: after.memo.ok ?? null,
      failed: after.memo.failed ?? null,
      skipped: after.memo.skipped ?? null,
    };
    if (a.json) console.log(JSON.stringify(out, null, 2));
    else
      console.log(
        `${a.id}: ${after.state}${out.jobs !== null ? ` (${out.ok} ok, ${out.failed} failed, ${out.skipped} not run of ${out.jobs} jobs)` : ''}`,
      );
    return EXIT.OK;
  } finally {
    await s.close();
  }
}
