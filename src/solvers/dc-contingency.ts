/**
 * DC single-branch contingency analysis from one base factorization (PTDF / LODF, see
 * makePTDF.ts and makeLODF.ts): the base case of one time slice is solved once, then every
 * outage k that keeps the network connected costs one pair of triangular solves with the base
 * LU and one product with Bf:
 *   theta' = theta + B^-1 a_k f_k / (1 - h_k),  f' = f + LODF(:, k) f_k,  f'_k = 0,
 * and the slack generator takes up the change at its bus, as a full DC power flow of the
 * outaged network computes it (rundcpf). An outage that splits the network (a bridge) is
 * detected and reported with the buses it cuts off from the reference; it is not solved here
 * (what to do with islands is the caller's rule).
 */
import { bridges, lodfColumn } from './makeLODF';
import { PtdfWorkspace, ptdfWorkspace } from './makePTDF';
import type { Network } from '../grid/network';
import { DcPfModel, dcInjections, prepareDcPf, solveDcPfPrepared } from './pf-dc';
import type { Solution } from './solution';

/** What one base model needs for outages: transfer scratch and the bridges of its graph. */
export interface DcOutageModel {
  model: DcPfModel;
  ws: PtdfWorkspace;
  /** 1 for branches whose outage splits the network */
  bridge: Uint8Array;
}

const outageModels = new WeakMap<DcPfModel, DcOutageModel>();

export function dcOutageModel(model: DcPfModel, nb: number): DcOutageModel {
  let m = outageModels.get(model);
  if (!m) {
    m = {
      model,
      ws: ptdfWorkspace(model, nb),
      bridge: bridges(nb, model.status.f, model.status.t, model.status.branchOn),
    };
    outageModels.set(model, m);
  }
  return m;
}

/**
 * The DC power flow of `net` with branch `k` out, from the base model of `net` with k in
 * service (`om`); `base` is the base solution of the same injections when already known.
 * Returns null when the outage splits the network (solve it in full to get the islands).
 */
export function solveDcOutage(net: Network, om: DcOutageModel, k: number, base?: Solution): Solution | null {
  const t0 = performance.now();
  const { model, ws } = om;
  if (om.bridge[k]) return null;
  const nb = net.bus.n,
    nl = net.branch.n,
    baseMVA = net.baseMVA;
  const b0 = base ?? solveDcPfPrepared(net, model);
  const theta = new Float64Array(nb);
  const lodf = new Float64Array(nl);
  lodfColumn(ws, k, false, theta, lodf);
  const fk = b0.branch.pf[k] / baseMVA;
  const pf = new Float64Array(nl),
    pt = new Float64Array(nl);
  for (let l = 0; l < nl; l++) {
    if (!model.status.branchOn[l] || l === k) continue;
    pf[l] = b0.branch.pf[l] + lodf[l] * fk * baseMVA;
    pt[l] = -pf[l];
  }
  const va = new Float64Array(nb);
  const vaDeg = new Float64Array(nb);
  for (let i = 0; i < nb; i++) {
    va[i] = (b0.bus.vaDeg[i] * Math.PI) / 180 + (model.status.busOn[i] ? theta[i] * fk : 0);
    vaDeg[i] = model.status.busOn[i] ? (va[i] * 180) / Math.PI : b0.bus.vaDeg[i];
  }
  // slack: B' theta' - P' at each reference bus, with B' = B - b_k a a', P' = P + Pfinj_k a
  const pg = b0.gen.pg.slice();
  const { Bbus, b, Pfinj } = model.bdc;
  const f = model.status.f[k],
    t = model.status.t[k];
  const P = dcInjections(net, model);
  model.ref.forEach((r, j) => {
    const g = model.refGen[j];
    if (g < 0) return;
    let bt = 0;
    for (let p = Bbus.colPtr[r]; p < Bbus.colPtr[r + 1]; p++) bt += Bbus.values[p] * va[Bbus.rowIdx[p]];
    const ar = (r === f ? 1 : 0) - (r === t ? 1 : 0);
    bt -= b[k] * ar * (va[f] - va[t]);
    pg[g] = net.gen.Pg[g] + (bt - (P[r] + Pfinj[k] * ar)) * baseMVA;
  });
  return {
    task: 'pf_dc',
    converged: true,
    iterations: 1,
    solveMs: performance.now() - t0,
    objective: null,
    error: null,
    bus: { vm: b0.bus.vm.slice(), vaDeg },
    gen: { pg, qg: b0.gen.qg.slice() },
    branch: { pf, qf: new Float64Array(nl), pt, qt: new Float64Array(nl) },
    isolatedBuses: b0.isolatedBuses.slice(),
  };
}

export interface DcOutageReport {
  /** branch row (0-based) */
  branch: number;
  /** false when the outage splits the network */
  connected: boolean;
  /** bus numbers cut off from every reference bus (islanding outages only) */
  isolatedBuses: number[];
  /** flows after the outage, MW (null for islanding outages) */
  pf: Float64Array | null;
}

/** Bus numbers that lose their path to a reference when branch k goes out (BFS without k). */
function cutOffBuses(net: Network, model: DcPfModel, k: number): number[] {
  const nb = net.bus.n;
  const { f, t, branchOn, busOn } = model.status;
  const adj: number[][] = Array.from({ length: nb }, () => []);
  for (let l = 0; l < f.length; l++)
    if (branchOn[l] && l !== k) {
      adj[f[l]].push(t[l]);
      adj[t[l]].push(f[l]);
    }
  const seen = new Uint8Array(nb);
  const queue = model.ref.slice();
  for (const r of queue) seen[r] = 1;
  while (queue.length) {
    const u = queue.pop() as number;
    for (const v of adj[u])
      if (!seen[v]) {
        seen[v] = 1;
        queue.push(v);
      }
  }
  const out: number[] = [];
  for (let i = 0; i < nb; i++) if (busOn[i] && !seen[i]) out.push(net.bus.busI[i]);
  return out;
}

/**
 * All single-branch outages (default: every in-service branch) of one time slice from one
 * factorization; `onResult` receives each report (flows are a fresh array per outage).
 * Returns the base solution, or the base case's error when it cannot be solved.
 */
export function dcContingencyAnalysis(
  net: Network,
  onResult: (r: DcOutageReport) => void,
  outages?: number[],
): { ok: true; base: Solution } | { ok: false; error: string } {
  const p = prepareDcPf(net);
  if (!p.ok) return { ok: false, error: p.error };
  const om = dcOutageModel(p.model, net.bus.n);
  const base = solveDcPfPrepared(net, p.model);
  const list = outages ?? Array.from({ length: net.branch.n }, (_, l) => l).filter((l) => p.model.status.branchOn[l]);
  for (const k of list) {
    if (!p.model.status.branchOn[k]) throw new RangeError(`branch row ${k + 1} is out of service in the base case`);
    if (om.bridge[k]) {
      onResult({ branch: k, connected: false, isolatedBuses: cutOffBuses(net, p.model, k), pf: null });
      continue;
    }
    const s = solveDcOutage(net, om, k, base) as Solution;
    onResult({ branch: k, connected: true, isolatedBuses: [], pf: s.branch.pf });
  }
  return { ok: true, base };
}
