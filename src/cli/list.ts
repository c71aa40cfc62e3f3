/** `list`: recent studies from Temporal's visibility store, with state and job counts. */
import { openSession } from './session';
import { EXIT } from './exit';

export async function listCommand(a: { json?: boolean; limit?: number }): Promise<number> {
  const s = await openSession();
  try {
    const rows: {
      batchId: string;
      state: string;
      task: unknown;
      start: string;
      close: string | null;
      jobs: unknown;
      ok: unknown;
      failed: unknown;
      out: unknown;
      retry: number;
      runs: number;
      latest: boolean;
    }[] = [];
    const limit = a.limit ?? 20;
    for await (const w of s.client.workflow.list({ query: "WorkflowType = 'studyPipeline'" })) {
      const memo = (w.memo ?? {}) as Record<string, unknown>;
      rows.push({
        batchId: w.workflowId,
        state: w.status.name,
        task: memo.task ?? null,
        start: w.startTime.toISOString(),
        close: w.closeTime?.toISOString() ?? null,
        jobs: memo.jobs ?? null,
        ok: memo.ok ?? null,
        failed: memo.failed ?? null,
        out: memo.out ?? null,
        retry: memo.retry === true ? -1 : 0,
        runs: 1,
        latest: true,
      });
      if (rows.length >= limit) break;
    }
    markRetries(rows);
    if (a.json) console.log(JSON.stringify(rows, null, 2));
    else if (rows.length === 0) console.log('no studies yet');
    else {
      console.log('batch_id\tstate\ttask\tstarted\tjobs\tok\tfailed\trun');
      for (const r of rows)
        console.log(
          `${r.batchId}\t${r.state}\t${r.task ?? ''}\t${r.start}\t${r.jobs ?? ''}\t${r.ok ?? ''}\t${r.failed ?? ''}\t${runLabel(r)}`,
        );
    }
    return EXIT.OK;
  } finally {
    await s.close();
  }
}

interface RunRow {
  batchId: string;
  start: string;
  retry: number;
  runs: number;
  latest: boolean;
}

/**
 * Runs of one batch id (the first run, then one per retry-failed or start again): `runs` is how
 * many are listed, `retry` numbers the retry-failed runs from 1 in start order (0: not a retry),
 * `latest` marks the newest run, whose counts describe the output folder.
 */
export function markRetries(rows: RunRow[]): void {
  const byId = new Map<string, RunRow[]>();
  for (const r of rows) byId.set(r.batchId, [...(byId.get(r.batchId) ?? []), r]);
  for (const runs of byId.values()) {
    runs.sort((x, y) => x.start.localeCompare(y.start));
    let k = 0;
    runs.forEach((r, i) => {
      r.runs = runs.length;
      r.latest = i === runs.length - 1;
      if (r.retry !== 0) r.retry = ++k;
    });
  }
}

function runLabel(r: RunRow): string {
  const what = r.retry ? `retry ${r.retry}` : 'run';
  return r.runs > 1 ? `${what} (${r.latest ? 'latest of' : 'one of'} ${r.runs})` : what;
}
