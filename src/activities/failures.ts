/** How activities fail: errors the user must fix are never retried. */
import { ApplicationFailure } from '@temporalio/activity';
import { isInputError } from '../errors';
import { isOutputError, OUTPUT_ERROR } from '../io/output-errors';

/**
 * User-fixable errors are never retried: bad input (InputError) and output locations that are
 * files, read-only, not permitted or full (OutputError, one line naming the path and the cause).
 */
export function asFailure(e: unknown): unknown {
  if (isInputError(e)) return ApplicationFailure.nonRetryable((e as Error).message, 'InputError');
  if (isOutputError(e)) return ApplicationFailure.nonRetryable(e.message, OUTPUT_ERROR);
  return e;
}
