/**
 * Where a prepared AC solver's outage variants start: from the base case's solution of the same
 * injections (ac-base-solutions.ts), moved by Newton's first step on the base case's Jacobian
 * factors (ac-outage-newton-start.ts) or, where that is not available, by the DC response to the
 * outage (ac-outage-start.ts). One per structure and reference branch status.
 */
import type { Network } from '../grid/network';
import type { BranchAdmittances } from './makeYbus';
import type { AcTopology } from './pf-ac-cache';
import type { Solution, SolveOptions } from './solution';
import { BaseSolutions, StartPoint } from './ac-base-solutions';
import { OutageStarts } from './ac-outage-start';
import { OutageNewtonStarts } from './ac-outage-newton-start';

/** A start moved from the base solution: by a Newton step (counted as one iteration) or the DC response. */
export interface MovedStart {
  point: StartPoint;
  kind: 'newton' | 'dc';
}

export class OutageStartPoints {
  private readonly bases: BaseSolutions;
  private readonly dc: OutageStarts;
  private readonly newton = new OutageNewtonStarts();

  constructor(net: Network, referenceStatus: Float64Array) {
    // a base solution's Jacobian factors go with it (an outage's start must not depend on what ran before)
    this.bases = new BaseSolutions(net, (start) => this.newton.drop(start));
    this.dc = new OutageStarts(referenceStatus);
  }

  /** The base solution kept for net's injections, if any. */
  base(net: Network): StartPoint | undefined {
    return this.bases.get(net);
  }

  /**
   * Keeps `sol`, the base case's solution on `topo`, for net's injections and, when it was solved
   * without reactive limits, the factors of its Jacobian for the outages' first Newton steps (its
   * workspace still holds the solution point); returns the kept start point.
   */
  keep(net: Network, topo: AcTopology, sol: Solution, opts: SolveOptions): StartPoint {
    const kept = this.bases.set(net, { vm: sol.bus.vm, vaDeg: sol.bus.vaDeg });
    const ws = topo.first.value?.ws;
    if (ws && !opts.enforceQLims)
      this.newton.hold(kept, topo.Y.Ybus, ws, topo.status.branchOn, sol.isolatedBuses.length);
    return kept;
  }

  /** The start of outage variant `topo` moved from `base` (its base solution), or null. */
  moved(
    net: Network,
    topo: AcTopology,
    base: StartPoint,
    adm: BranchAdmittances,
    opts: SolveOptions,
  ): MovedStart | null {
    const ws = topo.first.value?.ws;
    const isolated = topo.isolatedBusNumbers.length;
    const step = opts.enforceQLims ? null : this.newton.startFor(topo.status, isolated, ws, base, adm);
    if (step) return { point: step, kind: 'newton' };
    const dc = this.dc.startFor(net, topo.status.branchOn, base, adm);
    return dc ? { point: dc, kind: 'dc' } : null;
  }

  /** Frees the held factors (the structure is rebuilt). */
  release(): void {
    this.newton.release();
  }
}
