import { defineQuery } from '@temporalio/workflow';
import type { BatchCounters, StudyProgress } from '../contracts/workflow-types';

/** Stage and counts of a study (pipeline workflow). */
export const studyProgressQuery = defineQuery<StudyProgress>('progress');
/** Counters of the batch workflow (latest run after continue-as-new). */
export const batchProgressQuery = defineQuery<
  BatchCounters & { cursor: number; inFlight: number; totalScenarios: number; totalJobs: number }
>('batchProgress');

/** The progress of a study before its first stage has done anything. */
export function startingProgress(): StudyProgress {
  return { stage: 'materialize', scenarios: 0, jobs: 0, scenariosDone: 0, jobsOk: 0, jobsFailed: 0 };
}
