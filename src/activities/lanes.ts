/**
 * Lanes of work side by side (e.g. the scenarios of a group on the solve pool) that end together:
 * once one lane fails (or is cancelled) the others start nothing more, and the call returns only
 * when every lane has settled, so no lane's chunk is still writing when the activity ends (a
 * cancelled batch builds its manifest right after). The first failure is rethrown.
 */
export async function runLanes(count: number, lane: (stopped: () => boolean) => Promise<void>): Promise<void> {
  let stopped = false;
  const settled = await Promise.allSettled(
    Array.from({ length: Math.max(1, count) }, () =>
      lane(() => stopped).catch((e: unknown) => {
        stopped = true;
        throw e;
      }),
    ),
  );
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
