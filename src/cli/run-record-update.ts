/**
 * retry-failed re-runs chunks with the solver settings given on its command line: run_record.json
 * then says so (options.solver as the re-run chunks used them, and one `retries` entry per retry
 * with the time and the settings), so the record describes the results on disk.
 */
import { readFileSync } from 'node:fs';
import { writeJsonAtomic } from '../io/atomic';
import { layout } from '../io/layout';
import { StudyOptions } from '../contracts/workflow-types';

export interface RetryEntry {
  started_at: string;
  /** solver settings of the re-run chunks */
  solver: StudyOptions['solver'] | null;
  /** the settings the chunks kept from earlier runs were solved with */
  previous_solver: StudyOptions['solver'] | null;
}

export function recordRetry(outDir: string, options: StudyOptions, now = new Date()): void {
  const path = layout.runRecord(outDir);
  const rec = JSON.parse(readFileSync(path, 'utf8')) as { options?: StudyOptions; retries?: RetryEntry[] } & Record<
    string,
    unknown
  >;
  const previous = rec.options?.solver ?? null;
  const entry: RetryEntry = {
    started_at: now.toISOString(),
    solver: options.solver ?? null,
    previous_solver: previous,
  };
  writeJsonAtomic(path, { ...rec, options: { ...rec.options, ...options }, retries: [...(rec.retries ?? []), entry] });
}
