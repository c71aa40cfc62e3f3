/** Live progress of a study from its workflow queries, drawn as a progress bar. */
import { Client } from '@temporalio/client';
import { batchWorkflowId } from '../workflows/pipeline';
import { batchProgressQuery, studyProgressQuery } from '../workflows/queries';
import { StudyProgress } from '../workflows/types';
import { ProgressBar } from './progress-bar';

export interface LiveProgress extends StudyProgress {
  inFlight: number;
}

/** Stage and counts: the pipeline's stage, the batch workflow's counters while it runs. */
export async function queryProgress(client: Client, batchId: string): Promise<LiveProgress> {
  const p = await client.workflow.getHandle(batchId).query(studyProgressQuery);
  const live: LiveProgress = { ...p, inFlight: 0 };
  if (p.stage === 'batch') {
    try {
      const b = await client.workflow.getHandle(batchWorkflowId(batchId)).query(batchProgressQuery);
      Object.assign(live, { scenariosDone: b.scenariosDone, jobsOk: b.jobsOk, jobsFailed: b.jobsFailed, inFlight: b.inFlight });
    } catch {
      // the batch child has not started yet
    }
  }
  return live;
}

export function watchProgress(client: Client, batchId: string, draw: boolean, everyMs = 500): { stop(): Promise<void> } {
  const bar = new ProgressBar();
  let stopped = false;
  let lastStage = '';
  const loop = (async () => {
    while (!stopped) {
      try {
        const p = await queryProgress(client, batchId);
        if (draw && p.stage !== lastStage && p.stage !== 'batch') {
          lastStage = p.stage;
          if (!process.stderr.isTTY) process.stderr.write(`stage ${p.stage}\n`);
        }
        if (draw && p.jobs > 0) bar.update(p.jobsOk + p.jobsFailed, p.jobs, `jobs (${p.jobsFailed} failed) stage ${p.stage}`);
      } catch {
        // not started or already closed: nothing to draw
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      // A query in flight may wait for a worker that is gone: do not wait for it.
      stopped = true;
      await Promise.race([loop, new Promise((r) => setTimeout(r, 200))]);
      if (draw) bar.done();
    },
  };
}
