/**
 * Static features of one network (the scenario's own, after outages, scaling, overrides and
 * profiles): generators aggregated per bus, quadratic cost coefficients, branch kinds.
 * Pure functions of a Network; units are MATPOWER's (MW, MVAr, p.u., degrees, $/h).
 */
import { GenCostRow, Network } from '../grid/network';

/** In-service generators of one bus, aggregated. */
export interface BusGenerators {
  count: number;
  /** sums over the bus's in-service generators (setpoints and limits) */
  pgSetMw: number;
  qgSetMvar: number;
  pminMw: number;
  pmaxMw: number;
  qminMvar: number;
  qmaxMvar: number;
  /** voltage setpoint of the first in-service generator; null without one */
  vgPu: number | null;
  /** Pmax-weighted mean of c2 and c1 (plain mean when every Pmax is 0), sum of c0 */
  c2: number;
  c1: number;
  c0: number;
}

/**
 * c2, c1, c0 of a generator's active-power cost (cost = c2 P^2 + c1 P + c0, P in MW, $/h).
 * Polynomials of higher order keep their three lowest coefficients; a piecewise-linear cost
 * becomes its secant from the first to the last point (c2 = 0).
 */
export function quadraticCost(row: GenCostRow | undefined): [number, number, number] {
  if (!row || row.coeffs.length === 0) return [0, 0, 0];
  const c = row.coeffs;
  if (row.model === 2) {
    const n = c.length;
    return [n >= 3 ? c[n - 3] : 0, n >= 2 ? c[n - 2] : 0, c[n - 1]];
  }
  const n = c.length / 2;
  const [x1, y1, xn, yn] = [c[0], c[1], c[2 * (n - 1)], c[2 * (n - 1) + 1]];
  const slope = n > 1 && xn !== x1 ? (yn - y1) / (xn - x1) : 0;
  return [0, slope, y1 - slope * x1];
}

export function busGenerators(net: Network): BusGenerators[] {
  const out: BusGenerators[] = [];
  for (let i = 0; i < net.bus.n; i++) {
    out.push({
      count: 0,
      pgSetMw: 0,
      qgSetMvar: 0,
      pminMw: 0,
      pmaxMw: 0,
      qminMvar: 0,
      qmaxMvar: 0,
      vgPu: null,
      c2: 0,
      c1: 0,
      c0: 0,
    });
  }
  const w = new Float64Array(net.bus.n);
  const g = net.gen;
  for (let k = 0; k < g.n; k++) {
    if (!(g.status[k] > 0)) continue;
    const i = net.busIndex.get(g.bus[k]);
    if (i === undefined) continue;
    const a = out[i];
    const [c2, c1, c0] = quadraticCost(net.gencost[k]);
    const wk = Math.max(g.Pmax[k], 0);
    a.count++;
    a.pgSetMw += g.Pg[k];
    a.qgSetMvar += g.Qg[k];
    a.pminMw += g.Pmin[k];
    a.pmaxMw += g.Pmax[k];
    a.qminMvar += g.Qmin[k];
    a.qmaxMvar += g.Qmax[k];
    a.vgPu ??= g.Vg[k];
    // running sums; turned into weighted means below
    a.c2 += (wk || 1) * c2;
    a.c1 += (wk || 1) * c1;
    a.c0 += c0;
    w[i] += wk || 1;
  }
  for (let i = 0; i < net.bus.n; i++) {
    if (w[i] > 0) {
      out[i].c2 /= w[i];
      out[i].c1 /= w[i];
    }
  }
  return out;
}

/** MATPOWER: TAP = 0 marks a line; a transformer has a tap ratio or a phase shift. */
export function isTransformer(net: Network, l: number): boolean {
  return net.branch.ratio[l] !== 0 || net.branch.angle[l] !== 0;
}

/** Effective tap ratio (1 for lines, whose TAP column is 0). */
export function tapRatio(net: Network, l: number): number {
  return net.branch.ratio[l] === 0 ? 1 : net.branch.ratio[l];
}

/** Rows of the in-service branches, in case-file order. */
export function inServiceBranches(net: Network): number[] {
  const rows: number[] = [];
  for (let l = 0; l < net.branch.n; l++) if (net.branch.status[l] !== 0) rows.push(l);
  return rows;
}
