/**
 * AC OPF as MATPOWER's opf_setup builds it (polar voltages, power balance, opf.flow_lim 'S'):
 *
 *   x = [Va (nb); Vm (nb); Pg (ng); Qg (ng); y (ny)]
 *   min  sum polynomial gen costs (quadratic part 0.5 Q x^2 + c x + k, higher orders exact) + sum y
 *   g(x) = [Re; Im](diag(V) conj(Ybus V) - Cg (Pg + j Qg) + (Pd + j Qd)/baseMVA) = 0      (2 nb)
 *   h(x) = [|Sf|^2 - Smax^2; |St|^2 - Smax^2] <= 0  for branches with 0 < rateA < 1e10  (2 nl2)
 *   lang <= Va(f) - Va(t) <= uang (makeAang);  Ay [Pg; Qg; y] <= by (makeAy)
 *   Va(ref) = case value, Vmin <= Vm <= Vmax, Pmin <= Pg <= Pmax, Qmin <= Qg <= Qmax.
 * Start point: MATPOWER's interior x0 (opf.start 0): Va = first reference angle,
 * Vm = midpoint of [max(Vmin,0.5), min(Vmax,1.5)], Pg/Qg midpoints, y = max y + 0.1 |max y|.
 */
import type { Csc } from '../sparse/csc';
import { AcNetwork, acNetwork } from './ac-network';
import { cscEmpty, cscHcat, cscVcat } from '../sparse/csc-ops';
import { concat } from './dcopf-setup';
import { makeAang } from './makeAang';
import { makeAy } from './makeAy';
import { OpfCase, pick } from './opf-case';
import { quadCost, QuadCost, normalizeCostRow } from './opf-costs';
import { buildPattern, Pattern } from '../sparse/pattern';
import { interiorX0 } from './x0';
import { GenCostRow } from '../../grid/network';

export interface AcOpfModel {
  oc: OpfCase;
  Y: AcNetwork;
  nb: number;
  ng: number;
  ny: number;
  nx: number;
  iVm: number;
  iPg: number;
  iQg: number;
  iy: number;
  /** internal branches with flow limits and their (rateA/baseMVA)^2 */
  il: number[];
  flowMax2: Float64Array;
  /** load per internal bus, p.u. */
  Pd: Float64Array;
  Qd: Float64Array;
  /** costs of [Pg; Qg] (Q part empty when the case has no reactive costs) */
  cost: QuadCost;
  costRows: GenCostRow[];
  A: Csc;
  l: Float64Array;
  u: Float64Array;
  xmin: Float64Array;
  xmax: Float64Array;
  x0: Float64Array;
  iang: number[];
  /** fixed patterns of dg (nx x 2nb), dh (nx x 2nl2), Lxx (nx x nx) */
  pg: Pattern;
  ph: Pattern;
  pH: Pattern;
}

export function acopfSetup(oc: OpfCase, opts: { ignoreAngleLimits?: boolean } = {}): AcOpfModel {
  const { net, nb, ng, baseMVA, busRow, genRow, branchRow } = oc;
  const Y = acNetwork(oc);
  const costRows = oc.qcost ? [...oc.pcost, ...oc.qcost] : oc.pcost.slice();
  const cost = quadCost(costRows.map(normalizeCostRow), baseMVA);
  const ay = makeAy(baseMVA, costRows.map(normalizeCostRow), cost.pwl);
  const ny = ay.ny;
  const iVm = nb,
    iPg = 2 * nb,
    iQg = 2 * nb + ng,
    iy = 2 * nb + 2 * ng;
  const nx = iy + ny;

  const rateA = pick(net.branch.rateA, branchRow);
  const il: number[] = [];
  for (let k = 0; k < rateA.length; k++) if (rateA[k] !== 0 && rateA[k] < 1e10) il.push(k);
  const flowMax2 = Float64Array.from(il, (k) => (rateA[k] / baseMVA) ** 2);

  const ang = makeAang(
    nb,
    oc.f,
    oc.t,
    pick(net.branch.angmin, branchRow),
    pick(net.branch.angmax, branchRow),
    opts.ignoreAngleLimits,
  );
  const Aang = cscHcat(ang.A, cscEmpty(ang.iang.length, nx - nb));
  // Ay columns are [Pg (ng), Qg (ng if reactive costs), y]; place them at Pg.. in x
  const nCostVar = costRows.length;
  const Aycon = cscHcat(cscEmpty(ay.A.m, 2 * nb), ay.A, cscEmpty(ay.A.m, 2 * ng - nCostVar));
  const AyconFixed = nCostVar === 2 * ng ? cscHcat(cscEmpty(ay.A.m, 2 * nb), ay.A) : reorderAy(Aycon, nb, ng, ny);
  const A = cscVcat(Aang, AyconFixed);
  const l = concat(ang.l, new Float64Array(ay.A.m).fill(-Infinity));
  const u = concat(ang.u, ay.b);

  const xmin = new Float64Array(nx).fill(-Infinity),
    xmax = new Float64Array(nx).fill(Infinity);
  for (const r of oc.refs) xmin[r] = xmax[r] = (net.bus.Va[busRow[r]] * Math.PI) / 180;
  for (let i = 0; i < nb; i++) {
    xmin[iVm + i] = net.bus.Vmin[busRow[i]];
    xmax[iVm + i] = net.bus.Vmax[busRow[i]];
  }
  for (let g = 0; g < ng; g++) {
    const r = genRow[g];
    xmin[iPg + g] = net.gen.Pmin[r] / baseMVA;
    xmax[iPg + g] = net.gen.Pmax[r] / baseMVA;
    xmin[iQg + g] = net.gen.Qmin[r] / baseMVA;
    xmax[iQg + g] = net.gen.Qmax[r] / baseMVA;
  }
  const x0 = interiorX0(xmin, xmax);
  const refVa = (net.bus.Va[busRow[oc.refs[0]]] * Math.PI) / 180;
  for (let i = 0; i < nb; i++) {
    x0[i] = refVa;
    x0[iVm + i] = (Math.min(net.bus.Vmax[busRow[i]], 1.5) + Math.max(net.bus.Vmin[busRow[i]], 0.5)) / 2;
  }
  if (ny > 0) x0.fill(ay.maxY + 0.1 * Math.abs(ay.maxY), iy);

  return {
    oc,
    Y,
    nb,
    ng,
    ny,
    nx,
    iVm,
    iPg,
    iQg,
    iy,
    il,
    flowMax2,
    Pd: Float64Array.from(busRow, (b) => net.bus.Pd[b] / baseMVA),
    Qd: Float64Array.from(busRow, (b) => net.bus.Qd[b] / baseMVA),
    cost,
    costRows: costRows.map(normalizeCostRow),
    A,
    l,
    u,
    xmin,
    xmax,
    x0,
    iang: ang.iang,
    pg: jacobianPattern(Y, oc.genBus, nx, iVm, iPg, iQg),
    ph: flowPattern(Y, il, nx, iVm),
    pH: hessianPattern(Y, nx, iVm, iPg, ng),
  };
}

/** Ay built on [Pg] only (no reactive costs): its y columns move past the Qg block. */
function reorderAy(Aycon: Csc, nb: number, ng: number, ny: number): Csc {
  // Aycon columns: [2nb zeros][Pg (ng)][y (ny)][ng zeros] -> want [2nb][Pg][Qg zeros][y]
  const cols: number[] = [];
  for (let j = 0; j < 2 * nb + ng; j++) cols.push(j);
  for (let j = 0; j < ng; j++) cols.push(2 * nb + ng + ny + j);
  for (let j = 0; j < ny; j++) cols.push(2 * nb + ng + j);
  const colPtr = new Int32Array(cols.length + 1);
  const r: number[] = [],
    v: number[] = [];
  cols.forEach((c, k) => {
    for (let p = Aycon.colPtr[c]; p < Aycon.colPtr[c + 1]; p++) {
      r.push(Aycon.rowIdx[p]);
      v.push(Aycon.values[p]);
    }
    colPtr[k + 1] = r.length;
  });
  return { m: Aycon.m, n: cols.length, colPtr, rowIdx: Int32Array.from(r), values: Float64Array.from(v) };
}

/** dg slots: per Ybus entry (i,j): (Va_j,P_i), (Vm_j,P_i), (Va_j,Q_i), (Vm_j,Q_i); then Pg, Qg. */
function jacobianPattern(Y: AcNetwork, genBus: Int32Array, nx: number, iVm: number, iPg: number, iQg: number): Pattern {
  const rows: number[] = [],
    cols: number[] = [];
  const nb = Y.nb;
  for (let p = 0; p < Y.rowIdx.length; p++) {
    const i = Y.rowIdx[p],
      j = Y.colIdx[p];
    rows.push(j, iVm + j, j, iVm + j);
    cols.push(i, i, nb + i, nb + i);
  }
  for (let g = 0; g < genBus.length; g++) {
    rows.push(iPg + g, iQg + g);
    cols.push(genBus[g], nb + genBus[g]);
  }
  return buildPattern(nx, 2 * nb, rows, cols);
}

/** dh slots: per limited branch q, from then to: (Va_a, Va_b, Vm_a, Vm_b) of that end. */
function flowPattern(Y: AcNetwork, il: number[], nx: number, iVm: number): Pattern {
  const rows: number[] = [],
    cols: number[] = [];
  const n2 = il.length;
  for (const end of [0, 1]) {
    il.forEach((k, q) => {
      const a = end === 0 ? Y.f[k] : Y.t[k],
        b = end === 0 ? Y.t[k] : Y.f[k];
      rows.push(a, b, iVm + a, iVm + b);
      const c = end * n2 + q;
      cols.push(c, c, c, c);
    });
  }
  return buildPattern(nx, 2 * n2, rows, cols);
}

/** Lxx slots: per Ybus entry (i,j): (Va_i,Va_j), (Vm_i,Va_j), (Va_i,Vm_j), (Vm_i,Vm_j); then the cost diagonal. */
function hessianPattern(Y: AcNetwork, nx: number, iVm: number, iPg: number, ng: number): Pattern {
  const rows: number[] = [],
    cols: number[] = [];
  for (let p = 0; p < Y.rowIdx.length; p++) {
    const i = Y.rowIdx[p],
      j = Y.colIdx[p];
    rows.push(i, iVm + i, i, iVm + i);
    cols.push(j, j, iVm + j, iVm + j);
  }
  for (let v = 0; v < 2 * ng; v++) {
    rows.push(iPg + v);
    cols.push(iPg + v);
  }
  return buildPattern(nx, nx, rows, cols);
}
