/** Live progress of a study from its workflow queries, drawn as a progress bar. */
import { Client } from '@temporalio/client';
import { batchWorkflowId } from '../workflows/pipeline';
import { batchProgressQuery, studyProgressQuery } from '../workflows/queries';
import { StudyProgress } from '../contracts/workflow-types';
import { ProgressBar } from './progress-bar';

export interface LiveProgress extends StudyProgress {
  inFlight: number;
}

/** Stage and counts: the pipeline's stage, the batch workflow's counters while it runs. */
export async function queryProgress(client: Client, batchId: string, signal?: AbortSignal): Promise<LiveProgress> {
  const p = await client.workflow.getHandle(batchId).query(studyProgressQuery);
  const live: LiveProgress = { ...p, inFlight: 0 };
  if (p.stage === 'batch' && !signal?.aborted) {
    try {
      const b = await client.workflow.getHandle(batchWorkflowId(batchId)).query(batchProgressQuery);
      Object.assign(live, {
        scenariosDone: b.scenariosDone,
        jobsOk: b.jobsOk,
        jobsFailed: b.jobsFailed,
        inFlight: b.inFlight,
      });
    } catch {
      // the batch child has not started yet
    }
  }
  return live;
}

/** A query waits for a worker to answer it; past this the poll gives up and tries again. */
const QUERY_TIMEOUT_MS = 10_000;
/** How long stop() lets a query in flight finish before cancelling it. */
const STOP_GRACE_MS = 1_000;

/**
 * Polls the study's progress until stopped. Every query runs under an abort signal: stop()
 * cancels the one in flight (it may be waiting for a worker that is gone) and waits for the loop
 * to end, so no call outlives the connection (a call still retrying after the connection is
 * closed throws "Channel has been shut down" from a timer).
 */
export function watchProgress(
  client: Client,
  batchId: string,
  draw: boolean,
  everyMs = 500,
): { stop(): Promise<void> } {
  const bar = new ProgressBar();
  // one controller per poll: the SDK adds an abort listener per call and never removes it, so a
  // shared signal collected one per poll (MaxListenersExceededWarning after 11 polls)
  let abort = new AbortController();
  let stopping = false;
  let wake: () => void = () => undefined;
  let lastStage = '';
  const loop = (async () => {
    while (!stopping) {
      abort = new AbortController();
      try {
        const p = await client.withAbortSignal(abort.signal, () =>
          client.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => queryProgress(client, batchId, abort.signal)),
        );
        if (draw && p.stage !== lastStage && p.stage !== 'batch') {
          lastStage = p.stage;
          if (!process.stderr.isTTY) process.stderr.write(`stage ${p.stage}\n`);
        }
        if (draw && p.jobs > 0)
          bar.update(p.jobsOk + p.jobsFailed, p.jobs, `jobs (${p.jobsFailed} failed) stage ${p.stage}`);
      } catch {
        // not started or already closed: nothing to draw
      }
      if (stopping) break;
      await new Promise<void>((r) => {
        const timer = setTimeout(r, everyMs);
        wake = () => {
          clearTimeout(timer);
          r();
        };
      });
    }
  })();
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        // no new poll; a query in flight gets a moment to be answered (a cancelled query makes
        // the worker that answers it log "query task not found"), then it is cancelled
        stopping = true;
        wake();
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          loop,
          new Promise<void>((r) => {
            timer = setTimeout(r, STOP_GRACE_MS);
          }),
        ]);
        clearTimeout(timer);
        abort.abort();
        await loop;
        if (draw) bar.done();
      })();
      return stopped;
    },
  };
}
