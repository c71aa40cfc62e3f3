/** Activity stubs with the retry and timeout policy every workflow uses. */
import { proxyActivities, RetryPolicy } from '@temporalio/workflow';
import type * as activities from '../activities';

const retry: RetryPolicy = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 20, nonRetryableErrorTypes: ['InputError'] };

/**
 * Bookkeeping activities (materialize, pages of ids, the manifest). They heartbeat, so an
 * attempt on a worker that died is retried within a minute, not after startToCloseTimeout.
 */
export const io = proxyActivities<typeof activities>({ startToCloseTimeout: '30m', heartbeatTimeout: '1m', retry });

/** Solve activities: long, CPU-heavy, heartbeating every second from the solve pool. */
export const solve = proxyActivities<typeof activities>({ startToCloseTimeout: '4h', heartbeatTimeout: '20s', retry });
