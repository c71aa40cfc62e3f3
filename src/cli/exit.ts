/**
 * Exit codes and error printing shared by every command:
 * 0 everything ok, 1 some jobs failed, 2 bad input, usage or an output location the user must fix
 * (a file, no permission, read-only, disk full), 3 an operational error.
 */
import { isInputError } from '../errors';
import { isOutputError } from '../io/output-errors';
import { interruptedBy, interruptExitCode } from './interrupt';

export const EXIT = { OK: 0, JOBS_FAILED: 1, BAD_INPUT: 2, ERROR: 3 } as const;

export class UsageError extends Error {}

/** Prints one clear line for an error (no stack trace for errors users cause) and returns the exit code. */
export function reportError(e: unknown): number {
  if (isInputError(e) || isOutputError(e) || e instanceof UsageError) {
    console.error(`error: ${(e as Error).message}`);
    return EXIT.BAD_INPUT;
  }
  const msg = e instanceof Error ? e.message : String(e);
  // interrupted: the worker's shutdown error ("Promise did not resolve ...") is not the news
  const sig = interruptedBy();
  if (sig) {
    console.error(`stopped by ${sig}`);
    return interruptExitCode(sig);
  }
  console.error(`error: ${msg}`);
  if (process.env.GRIDBATCH_DEBUG && e instanceof Error) console.error(e.stack);
  return EXIT.ERROR;
}
