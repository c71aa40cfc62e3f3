/**
 * Every workflow type gridbatch registers. Read these files to see the whole pipeline:
 * studyPipeline (pipeline.ts) -> studyBatch (batch.ts) -> scenarioRun (scenario.ts), or for small
 * scenarios scenarioGroup (group.ts, several scenarios in one workflow: scenario-groups.ts);
 * screenedStudy (screened.ts) runs two studyPipelines: DC screening, then the task on the worst K.
 */
export { studyPipeline } from './pipeline';
export { studyBatch } from './batch';
export { scenarioRun } from './scenario';
export { scenarioGroup } from './group';
export { screenedStudy } from './screened';
