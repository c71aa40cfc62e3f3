/**
 * A resolved scenario that changes nothing unless told: no outages, scales of 1, no dispatch
 * overrides, no time slices (one job at time null). The one-off solve command builds its
 * outage-only scenario from it; tests and benches build theirs the same way.
 */
import type { ResolvedScenario } from './types';

export function plainScenario(over: Partial<ResolvedScenario> = {}): ResolvedScenario {
  return {
    scenarioId: 's',
    description: '',
    tags: [],
    outages: [],
    loadScale: 1,
    renewableScale: 1,
    dispatchOverrides: [],
    timeSlices: [],
    weight: 1,
    metadata: {},
    hash: '',
    ...over,
  };
}
