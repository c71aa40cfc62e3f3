/**
 * Output errors the user must fix (disk full, permissions, a file where a folder belongs): an
 * activity fails with one (src/io/output-errors.ts) and the batch stops starting scenarios.
 * Pure workflow code.
 */
import { ApplicationFailure } from '@temporalio/workflow';

/** The failure type activities give output errors the user must fix (src/io/output-errors.ts). */
export const OUTPUT_ERROR_TYPE = 'OutputError';

/** The message of an OutputError anywhere in a failure's cause chain (child -> activity -> application). */
export function outputErrorIn(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 10 && cur; i++) {
    if (cur instanceof ApplicationFailure && cur.type === OUTPUT_ERROR_TYPE) return cur.message;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}
