/** The scenario module: spec schema, expansion, and applying a scenario to a network. */
export type {
  DispatchOverride,
  LoadSpecOptions,
  LoadedProfiles,
  Outage,
  ProfileElement,
  ProfileField,
  ProfileSeries,
  ResolvedScenario,
  ResolvedStudy,
  StudyPreview,
} from './types';
export { loadSpec, loadStudy } from './load-spec';
export { previewStudy } from './preview';
export { applyScenario, findIslands } from './apply';
export type { IslandResult } from './apply';
export { MAX_JOBS } from './context';
export { MAX_SPEC_BYTES } from './source';
export { unsafeIdReason } from './ids';
export { canonicalJson } from './hash';
