/**
 * A scenario that only takes branches out (no time slice with profiles, no load or renewable
 * scaling, no dispatch overrides, no perturbation draws, no generator or bus outages) changes
 * one column of the base network: branch status. Its job network is then a view of the base:
 * every bus, generator and cost column and every branch column but `status` is the base's own
 * array, and `status` is a copy with the outaged rows at 0. An N-1 batch of case1354pegase
 * thereby allocates ~16 KB per job instead of copying ~390 KB (a fresh buffer that size costs
 * page faults and garbage collection on every job: ~0.3 ms per clone measured in a loop).
 *
 * Nothing downstream writes into a job's network: the solvers read it, and islands.ts clones
 * before it de-energizes anything (tests/scenarios/outage-view.test.ts checks that solving a
 * view leaves the base untouched).
 */
import type { Network } from '../grid/network';
import { resolveElementId } from './grid-ids';
import { InputError } from '../errors';
import type { ResolvedScenario } from './types';

/** true when `s` at this time changes nothing but branch status (see above). */
export function onlyBranchOutages(s: ResolvedScenario, withProfiles: boolean): boolean {
  if (withProfiles || s.loadScale !== 1 || s.renewableScale !== 1 || s.dispatchOverrides.length > 0) return false;
  if (s.genCostSource || s.genCostFactors || s.branchImpedanceFactors) return false;
  if (s.loadFactors) for (const k in s.loadFactors) if (s.loadFactors[k] !== 1) return false;
  return s.outages.every((o) => o.type === 'branch');
}

/** The base network with the given branch rows out of service, sharing every other column. */
export function branchOutageView(base: Network, rows: Iterable<number>): Network {
  const status = base.branch.status.slice();
  for (const l of rows) status[l] = 0;
  return { ...base, branch: { ...base.branch, status } };
}

/** applyScenario for a scenario of which onlyBranchOutages holds. */
export function applyBranchOutages(base: Network, s: ResolvedScenario): Network {
  const rows = s.outages.map((o, j) => {
    const r = resolveElementId(base, 'branch', o.id);
    if (!r.ok) throw new InputError(`unknown outage id: ${r.reason}`, { key: `outages[${j}].id` });
    return r.row;
  });
  return branchOutageView(base, rows);
}
