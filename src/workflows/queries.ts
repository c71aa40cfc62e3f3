import { defineQuery } from '@temporalio/workflow';
import type { BatchCounters, StudyProgress } from '../contracts/workflow-types';

/** Stage and counts of a study (pipeline workflow). */
export const studyProgressQuery = defineQuery<StudyProgress>('progress');
/** Counters of the batch workflow (latest run after continue-as-new). */
export const batchProgressQuery = defineQuery<
  BatchCounters & { cursor: number; inFlight: number; totalScenarios: number; totalJobs: number }
>('batchProgress');
