/** Activity stubs with the retry and timeout policy every workflow uses. */
import { ActivityCancellationType, proxyActivities, proxyLocalActivities, RetryPolicy } from '@temporalio/workflow';
import type * as activities from '../activities';

const retry: RetryPolicy = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '1m',
  maximumAttempts: 20,
  nonRetryableErrorTypes: ['InputError'],
};

/**
 * Bookkeeping activities (materialize, pages of ids, the manifest). They heartbeat, so an
 * attempt on a worker that died is retried within a minute, not after startToCloseTimeout.
 */
export const io = proxyActivities<typeof activities>({ startToCloseTimeout: '30m', heartbeatTimeout: '1m', retry });

/**
 * The same bookkeeping activities as local activities: the worker holding the workflow task runs
 * them and records the result as a marker in that task's completion, with no activity task and
 * no further workflow task through the server (three round trips fewer per study: materialize,
 * the pages of ids, the manifest). They are idempotent (deterministic files, atomic writes), so
 * a workflow task that times out because its worker died runs them again on another worker. A
 * retry backoff past 10 s waits on a timer instead of holding the workflow task. Workflows choose
 * these behind patched('local-bookkeeping'), so histories recorded before replay as they ran.
 */
export const ioLocal = proxyLocalActivities<typeof activities>({
  startToCloseTimeout: '30m',
  localRetryThreshold: '10s',
  retry,
});

/** Solve activities: long, CPU-heavy, heartbeating every second from the solve pool. */
export const solve = proxyActivities<typeof activities>({ startToCloseTimeout: '4h', heartbeatTimeout: '20s', retry });

/**
 * Short solve chunks as local activities (see solve-placement.ts): the worker holding the
 * workflow task runs them in its solve pool. A retry backoff past 10 s waits on a timer instead
 * of holding the workflow task.
 */
export const solveLocal = proxyLocalActivities<typeof activities>({
  startToCloseTimeout: '10m',
  localRetryThreshold: '10s',
  retry,
});

/**
 * The same solve activities, but a cancelled workflow waits until the activity has stopped (the
 * SDK's default, TRY_CANCEL, closed the workflow at once while its solve threads went on writing
 * chunks after the batch manifest was built). Workflows choose these behind
 * patched('solve-cancel-waits'), so histories recorded before replay as they ran.
 */
const WAIT = ActivityCancellationType.WAIT_CANCELLATION_COMPLETED;
export const solveWaiting = proxyActivities<typeof activities>({
  startToCloseTimeout: '4h',
  heartbeatTimeout: '20s',
  retry,
  cancellationType: WAIT,
});
export const solveLocalWaiting = proxyLocalActivities<typeof activities>({
  startToCloseTimeout: '10m',
  localRetryThreshold: '10s',
  retry,
  cancellationType: WAIT,
});
