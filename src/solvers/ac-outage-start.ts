/**
 * A start point for a single-branch outage that is closer to its solution than the base case's
 * voltages: the base solution with the angles moved by the DC response to the outage
 * (makeLODF.ts: theta' = theta + B^-1 a_k P_k / (1 - h_k)), P_k being the branch's active flow
 * at its from end in the base solution. Newton then converges to the same solution in fewer
 * steps (all connected outages of case118, and the first 300 of case1354pegase and
 * case9241pegase: 2.54 / 2.56 / 2.82 steps on average instead of 2.95 / 2.94 / 3.15, never
 * more on any outage). The DC model is factored once, for the reference branch status. The
 * prepared solver takes this start only where Newton's first step on the base case's factors
 * (ac-outage-newton-start.ts, fewer factorizations still) is not available.
 */
import type { Network } from '../grid/network';
import type { BranchAdmittances } from './makeYbus';
import { PtdfWorkspace, branchFlowsOf, ptdfWorkspace, transferAngles } from './makePTDF';
import { RowPairs, rowPairs } from './branch-row-pairs';
import { prepareDcPf } from './pf-dc';
import type { StartPoint } from './ac-base-solutions';
import { singleOutage } from './single-outage';

export class OutageStarts {
  /** undefined until first asked; null when the DC model cannot be built */
  private ws: PtdfWorkspace | null | undefined;
  private theta = new Float64Array(0);
  /** the start's angles (degrees), overwritten by the next outage: callers copy them */
  private vaDeg = new Float64Array(0);
  private bfPairs: RowPairs | null = null;

  constructor(private readonly referenceStatus: Float64Array) {}

  private workspace(net: Network): PtdfWorkspace | null {
    if (this.ws !== undefined) return this.ws;
    this.ws = null;
    try {
      // net viewed with the reference's branch status (prepareDcPf only reads it)
      const ref: Network = { ...net, branch: { ...net.branch, status: this.referenceStatus } };
      const p = prepareDcPf(ref);
      if (p.ok) this.ws = ptdfWorkspace(p.model, net.bus.n);
    } catch {
      this.ws = null; // e.g. a branch with x = 0: no DC model, the base start is used
    }
    this.theta = new Float64Array(net.bus.n);
    this.vaDeg = new Float64Array(net.bus.n);
    if (this.ws) this.bfPairs = rowPairs(this.ws.model.bdc.Bf);
    return this.ws;
  }

  /**
   * The start for `net` (in-service branches `branchOn`) when one branch of the reference is
   * out and nothing else differs, that branch is not a bridge, and `base` is the base solution
   * of net's injections; otherwise null.
   */
  startFor(net: Network, branchOn: Uint8Array, base: StartPoint, adm: BranchAdmittances): StartPoint | null {
    const ws = this.workspace(net);
    if (!ws) return null;
    const k = singleOutage(ws.model.status.branchOn, branchOn);
    if (k < 0) return null;
    const theta = this.theta;
    const f = ws.model.status.f[k],
      t = ws.model.status.t[k];
    // lodfColumn's theta and h = (Bf theta)_k, without the rest of the flow column
    transferAngles(ws, f, t, theta);
    const h = flowOn(ws, this.bfPairs, k, theta);
    if (!(Math.abs(1 - h) > 1e-8)) return null;
    const scale = 1 / (1 - h);
    const d = Math.PI / 180;
    const vf = base.vm[f],
      af = base.vaDeg[f] * d,
      vt = base.vm[t],
      at = base.vaDeg[t] * d;
    const vfr = vf * Math.cos(af),
      vfi = vf * Math.sin(af),
      vtr = vt * Math.cos(at),
      vti = vt * Math.sin(at);
    // I_f = Yff V_f + Yft V_t, P_k = Re(V_f conj(I_f)) in p.u.
    const ifr = adm.Yff.re[k] * vfr - adm.Yff.im[k] * vfi + adm.Yft.re[k] * vtr - adm.Yft.im[k] * vti;
    const ifi = adm.Yff.re[k] * vfi + adm.Yff.im[k] * vfr + adm.Yft.re[k] * vti + adm.Yft.im[k] * vtr;
    const pk = vfr * ifr + vfi * ifi;
    if (!Number.isFinite(pk)) return null;
    const vaDeg = this.vaDeg;
    const base0 = base.vaDeg;
    const s = (pk * 180) / Math.PI;
    for (let i = 0; i < vaDeg.length; i++) vaDeg[i] = base0[i] + theta[i] * scale * s;
    return { vm: base.vm, vaDeg };
  }
}

/**
 * (Bf theta)_k summed as branchFlowsOf sums it (column order, skipping theta = 0): the row's
 * two entries from `pairs` when given, else a pass over Bf.
 */
function flowOn(ws: PtdfWorkspace, pairs: RowPairs | null, k: number, theta: Float64Array): number {
  const Bf = ws.model.bdc.Bf;
  if (!pairs) {
    const col = new Float64Array(Bf.m);
    return branchFlowsOf(ws.model, theta, col)[k];
  }
  let h = 0;
  const p0 = pairs.p0[k],
    p1 = pairs.p1[k];
  if (p0 >= 0 && theta[pairs.c0[k]] !== 0) h += Bf.values[p0] * theta[pairs.c0[k]];
  if (p1 >= 0 && theta[pairs.c1[k]] !== 0) h += Bf.values[p1] * theta[pairs.c1[k]];
  return h;
}
