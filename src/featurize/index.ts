/** GNN feature tables of a finished batch (no Temporal here: activities and the CLI call this). */
export { featurizeBatch, featurizeRange, sweepFeatureTemps, writeFeatureMeta } from './featurize-batch';
export type { FeaturizeOptions, FeaturizeProgress, FeaturizeRangeOptions, FeaturizeSummary } from './featurize-batch';
export { featureLayout, FEATURE_LAYOUTS, isDatasetLayout, isFeatureLayout } from './layout';
export { exportDataset, exportDatasetLayout } from './export';
export type { DatasetExportSummary } from './export';
export { DEFAULT_SPLIT, parseSplitRatios } from './splits';
export type { SplitOptions } from './splits';
export type { FeatureLayout } from './layout';
export { GNN_TABLES } from './gnn-tables';
export { OPFDATA_TABLES } from './opfdata-tables';
