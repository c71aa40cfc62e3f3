/**
 * Every workflow type gridbatch registers. Read these files to see the whole pipeline:
 * studyPipeline (pipeline.ts) -> studyBatch (batch.ts) -> scenarioRun (scenario.ts);
 * screenedStudy (screened.ts) runs two studyPipelines: DC screening, then the task on the worst K.
 */
export { studyPipeline } from './pipeline';
export { studyBatch } from './batch';
export { scenarioRun } from './scenario';
export { screenedStudy } from './screened';
