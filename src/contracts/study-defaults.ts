/**
 * The defaults of the study options (StudyOptions in src/contracts/workflow-types.ts): one table for the
 * workflows, the CLI's output estimate and the documentation of the contract. Pure data, no
 * imports: workflow code uses it too.
 */
export const STUDY_DEFAULTS = {
  /** scenario children running at once (the batch's sliding window) */
  maxInFlight: 64,
  /**
   * time slices per solve chunk (and per Parquet part file) of a study materialized before
   * materialize chose the size, and the smallest size it chooses (autoChunkSize in
   * src/workflows/solve-placement.ts)
   */
  chunkSize: 24,
  /** continue-as-new once a run's history passes this many events (batch and scenario workflows) */
  historyLimit: 5000,
  /** scenario ids the batch workflow reads per page */
  pageSize: 500,
  /** AC solves start from the previous time slice's solution */
  warmStart: true,
} as const;
