/** `list`: recent studies from Temporal's visibility store, with state and job counts. */
import { openSession } from './session';
import { EXIT } from './exit';

export async function listCommand(a: { json?: boolean; limit?: number }): Promise<number> {
  const s = await openSession();
  try {
    const rows: { batchId: string; state: string; task: unknown; start: string; close: string | null; jobs: unknown; ok: unknown; failed: unknown; out: unknown }[] = [];
    const limit = a.limit ?? 20;
    for await (const w of s.client.workflow.list({ query: "WorkflowType = 'studyPipeline'" })) {
      const memo = (w.memo ?? {}) as Record<string, unknown>;
      rows.push({
        batchId: w.workflowId, state: w.status.name, task: memo.task ?? null, start: w.startTime.toISOString(),
        close: w.closeTime?.toISOString() ?? null, jobs: memo.jobs ?? null, ok: memo.ok ?? null, failed: memo.failed ?? null, out: memo.out ?? null,
      });
      if (rows.length >= limit) break;
    }
    if (a.json) console.log(JSON.stringify(rows, null, 2));
    else if (rows.length === 0) console.log('no studies yet');
    else {
      console.log('batch_id\tstate\ttask\tstarted\tjobs\tok\tfailed');
      for (const r of rows) console.log(`${r.batchId}\t${r.state}\t${r.task ?? ''}\t${r.start}\t${r.jobs ?? ''}\t${r.ok ?? ''}\t${r.failed ?? ''}`);
    }
    return EXIT.OK;
  } finally {
    await s.close();
  }
}
