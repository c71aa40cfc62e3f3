/** `status --id B`: a batch's stage and job counts from its workflow queries (or its result). */
import { WorkflowNotFoundError } from '@temporalio/client';
import { EXIT, UsageError } from './exit';
import { openSession } from './session';
import { closedProgress } from './closed-progress';
import { LiveProgress, queryProgress } from './watch';

export async function statusCommand(a: { id: string; json?: boolean }): Promise<number> {
  const s = await openSession();
  try {
    const handle = s.client.workflow.getHandle(a.id);
    let desc;
    try {
      desc = await handle.describe();
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) throw new UsageError(`no batch with id '${a.id}'`);
      throw e;
    }
    const state = desc.status.name;
    let progress: LiveProgress | undefined;
    if (state !== 'RUNNING') {
      // closed: the counts are in the memo (a query would wait for a worker to replay it)
      progress = await closedProgress(state, desc.memo ?? {});
    } else {
      // no worker answering within 10 s: the query is cancelled by its deadline (never left in flight)
      progress = await s.client
        .withDeadline(Date.now() + 10_000, () => queryProgress(s.client, a.id))
        .catch(() => undefined);
    }
    const elapsedS = ((desc.closeTime ?? new Date()).getTime() - desc.startTime.getTime()) / 1000;
    const done = progress ? progress.jobsOk + progress.jobsFailed : undefined;
    const eta =
      progress && done && progress.jobs > done && state === 'RUNNING'
        ? (elapsedS * (progress.jobs - done)) / done
        : undefined;
    const out = {
      batchId: a.id,
      state,
      elapsed_s: Math.round(elapsedS),
      eta_s: eta === undefined ? null : Math.round(eta),
      progress: progress ?? null,
    };
    if (a.json) console.log(JSON.stringify(out, null, 2));
    else {
      console.log(
        `${a.id}: ${state}, ${out.elapsed_s}s elapsed${eta !== undefined ? `, eta ${Math.round(eta)}s` : ''}`,
      );
      if (progress) {
        console.log(
          `stage ${progress.stage}: ${done}/${progress.jobs} jobs done (${progress.jobsOk} ok, ${progress.jobsFailed} failed${state === 'RUNNING' ? `, ${progress.inFlight} scenarios running), ${progress.scenariosDone}/${progress.scenarios} scenarios` : ')'}`,
        );
      } else if (state === 'RUNNING')
        console.log('progress unavailable: no worker is answering queries for this batch');
      else
        console.log(
          `no counts recorded: the batch ended (${state}) before writing its manifest; the Web UI shows why, retry-failed --id runs it again`,
        );
    }
    return progress && progress.jobsFailed > 0 ? EXIT.JOBS_FAILED : EXIT.OK;
  } finally {
    await s.close();
  }
}
