/**
 * The Nexus service gridbatch offers to other Temporal services (any namespace, any language):
 * `gridbatch.runStudy(StudyInput) -> StudyResult`, an asynchronous operation backed by a
 * `studyPipeline` workflow run. This file is the contract only (no I/O), so caller workflows can
 * import it: `createNexusServiceClient({ endpoint: 'gridbatch', service: gridbatchService })`.
 * StudyInput's JSON Schema: schema/study-input.schema.json.
 */
import * as nexus from 'nexus-rpc';
import type { StudyInput, StudyResult } from '../contracts/workflow-types';

export const NEXUS_SERVICE_NAME = 'gridbatch';
/** Endpoint name `client.ts nexus-endpoint create` registers by default. */
export const DEFAULT_NEXUS_ENDPOINT = 'gridbatch';

export const gridbatchService = nexus.service(NEXUS_SERVICE_NAME, {
  /** Runs a study to the end (materialize, batch, manifest, featurize, report) and returns its result. */
  runStudy: nexus.operation<StudyInput, StudyResult>(),
});

export type GridbatchService = typeof gridbatchService;
