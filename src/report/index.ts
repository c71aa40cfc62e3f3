/** Scenario comparison report of a finished batch (no Temporal here: activities and the CLI call this). */
export { buildReport, reportDir } from './build-report';
export type { ReportOptions, ReportSummary } from './build-report';
export { compareScenarios, resolveBaseline } from './compare';
export type { Comparison, ComparisonRow } from './compare';
