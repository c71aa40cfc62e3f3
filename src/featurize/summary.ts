/** What featurize reports: its progress (heartbeat details, resumable) and the summary of a finished run. */
import type { FeatureLayout } from './layout';

export interface FeaturizeProgress {
  /** next scenario index to featurize */
  next: number;
  graphs: number;
  nodes: number;
  edges: number;
}

export interface FeaturizeSummary extends FeaturizeProgress {
  layout: FeatureLayout;
  task: string;
  scenarios: number;
  jobs: number;
  /** jobs without a graph (failed or skipped) */
  jobsWithoutGraph: number;
  dirs: string[];
}
