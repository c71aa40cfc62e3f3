/**
 * DC OPF as MATPOWER's opf_setup builds it (model 'DC'):
 *
 *   x = [Va (nb); Pg (ng); y (ny)]                                   (radians, p.u., $/h)
 *   min  sum_i 0.5 Q_i Pg_i^2 + c_i Pg_i + k_i  +  sum y
 *   Pmis:  B Va - Cg Pg = -(Pd + Gs)/baseMVA - Pbusinj               (nb rows)
 *   Pf:    -rateA/baseMVA - Pfinj <= Bf Va <= rateA/baseMVA - Pfinj   (branches with 0 < rateA < 1e10)
 *   ang:   lang <= Va(f) - Va(t) <= uang                              (makeAang)
 *   ycon:  Ay [Pg; y] <= by                                           (makeAy)
 *   Va(ref) = case value, Pmin <= Pg <= Pmax.
 */
import type { Csc } from '../sparse/csc';
import { makeBdc } from '../makeBdc';
import { cscSubmatrix } from '../sparse/csc';
import { cscDiag, cscEmpty, cscFromTripletsKeep, cscHcat, cscVcat } from '../sparse/csc-ops';
import { makeAang } from './makeAang';
import { makeAy } from './makeAy';
import { OpfCase, pick } from './opf-case';
import type { QpProblem } from './qps_mips';
import { quadCost } from './opf-costs';
import { interiorX0 } from './x0';

export interface DcOpfModel extends QpProblem {
  nx: number;
  nb: number;
  ng: number;
  ny: number;
  /** objective 0.5 x'Hx + c'x + k (H, c, A, l, u, bounds and x0: the QP of QpProblem) */
  k: number;
  /** first row of each constraint block in A */
  rows: { pmis: number; pf: number; ang: number; ycon: number; end: number };
  /** internal branch indices with flow limits (rows of Pf), and with angle limits */
  il: number[];
  iang: number[];
  /** bus susceptance matrix (internal buses) and branch matrix */
  B: Csc;
  Bf: Csc;
  Pfinj: Float64Array;
  /** generators with a piecewise-linear cost (their y variables, in order) */
  pwl: number[];
  /** true when the cost has quadratic terms (a QP) */
  quadratic: boolean;
}

export type DcSetup = { ok: true; m: DcOpfModel } | { ok: false; error: string };

export function dcopfSetup(oc: OpfCase, opts: { ignoreAngleLimits?: boolean } = {}): DcSetup {
  const { net, nb, ng, baseMVA, busRow, branchRow } = oc;
  const qc = quadCost(oc.pcost, baseMVA);
  if (qc.higher.length > 0)
    return { ok: false, error: 'DC OPF cannot handle polynomial costs with higher than quadratic order' };
  const bdc = makeBdc(net, oc.status);
  const B = cscSubmatrix(bdc.Bbus, busRow, busRow);
  const Bf = cscSubmatrix(bdc.Bf, branchRow, busRow);
  const Pfinj = pick(bdc.Pfinj, branchRow);
  const Pbusinj = pick(bdc.Pbusinj, busRow);
  const ay = makeAy(baseMVA, oc.pcost, qc.pwl);
  const ny = ay.ny;
  const nx = nb + ng + ny;

  // Pmis: [B  -Cg  0]
  const negCg = cscFromTripletsKeep(
    nb,
    ng,
    oc.genBus,
    Int32Array.from({ length: ng }, (_, g) => g),
    new Float64Array(ng).fill(-1),
  );
  const Amis = cscHcat(B, negCg, cscEmpty(nb, ny));
  const bmis = new Float64Array(nb);
  for (let i = 0; i < nb; i++) bmis[i] = -(net.bus.Pd[busRow[i]] + net.bus.Gs[busRow[i]]) / baseMVA - Pbusinj[i];

  const rateA = pick(net.branch.rateA, branchRow);
  const il: number[] = [];
  for (let k = 0; k < rateA.length; k++) if (rateA[k] !== 0 && rateA[k] < 1e10) il.push(k);
  const Apf = cscHcat(
    cscSubmatrix(
      Bf,
      il,
      Array.from({ length: nb }, (_, i) => i),
    ),
    cscEmpty(il.length, ng + ny),
  );
  const lpf = Float64Array.from(il, (k) => -rateA[k] / baseMVA - Pfinj[k]);
  const upf = Float64Array.from(il, (k) => rateA[k] / baseMVA - Pfinj[k]);

  const ang = makeAang(
    nb,
    oc.f,
    oc.t,
    pick(net.branch.angmin, branchRow),
    pick(net.branch.angmax, branchRow),
    opts.ignoreAngleLimits,
  );
  const Aang = cscHcat(ang.A, cscEmpty(ang.iang.length, ng + ny));

  const Aycon = cscHcat(cscEmpty(ay.A.m, nb), ay.A);
  const A = cscVcat(Amis, Apf, Aang, Aycon);
  const l = concat(bmis, lpf, ang.l, new Float64Array(ay.A.m).fill(-Infinity));
  const u = concat(bmis, upf, ang.u, ay.b);

  const xmin = new Float64Array(nx).fill(-Infinity);
  const xmax = new Float64Array(nx).fill(Infinity);
  for (const r of oc.refs) {
    xmin[r] = xmax[r] = (net.bus.Va[busRow[r]] * Math.PI) / 180;
  }
  for (let g = 0; g < ng; g++) {
    xmin[nb + g] = net.gen.Pmin[oc.genRow[g]] / baseMVA;
    xmax[nb + g] = net.gen.Pmax[oc.genRow[g]] / baseMVA;
  }
  const Hd = new Float64Array(nx);
  const c = new Float64Array(nx);
  let k = 0;
  for (let g = 0; g < ng; g++) {
    Hd[nb + g] = qc.Q[g];
    c[nb + g] = qc.c[g];
    k += qc.k[g];
  }
  for (let j = 0; j < ny; j++) c[nb + ng + j] = 1;
  const refVa = (net.bus.Va[busRow[oc.refs[0]]] * Math.PI) / 180;
  const x0 = interiorX0(xmin, xmax);
  for (let i = 0; i < nb; i++) x0[i] = refVa;
  if (ny > 0) x0.fill(ay.maxY + 0.1 * Math.abs(ay.maxY), nb + ng);
  const nPf = il.length,
    nAng = ang.iang.length;
  return {
    ok: true,
    m: {
      nx,
      nb,
      ng,
      ny,
      H: cscDiag(Hd),
      c,
      k,
      A,
      l,
      u,
      xmin,
      xmax,
      x0,
      rows: { pmis: 0, pf: nb, ang: nb + nPf, ycon: nb + nPf + nAng, end: A.m },
      il,
      iang: ang.iang,
      B,
      Bf,
      Pfinj,
      pwl: qc.pwl,
      quadratic: qc.Q.some((q) => q !== 0),
    },
  };
}

export function concat(...parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((s, a) => s + a.length, 0));
  let o = 0;
  for (const a of parts) {
    out.set(a, o);
    o += a.length;
  }
  return out;
}
