/** Independent checks of OPF solutions (balance from branch flows, limits) and case lists. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCaseFile } from '../../src/grid/matpower-case';
import type { Network } from '../../src/grid/network';
import type { OpfSolution } from '../../src/solvers/opf';
import { casePath, CASES_DIR } from '../helpers/cases';

export interface MpOpf {
  success: number;
  f?: number;
  pg?: number[];
  vm?: number[];
  va_deg?: number[];
  lam_p?: number[];
  solver_iterations?: number;
}

export function mpRun(name: string, run: 'rundcopf' | 'runopf_ac'): MpOpf {
  return JSON.parse(readFileSync(join(CASES_DIR, 'matpower-computed', `${name}.json`), 'utf8'))[run] as MpOpf;
}

export function pglibAc(name: string): number | undefined {
  const ref = JSON.parse(readFileSync(join(CASES_DIR, 'reference.json'), 'utf8')) as {
    pglib_opf: { cases: Record<string, { TYP?: { ac_obj_usd_per_h?: number } }> };
  };
  return ref.pglib_opf.cases[name]?.TYP?.ac_obj_usd_per_h;
}

export function loadCase(name: string): Network {
  return readCaseFile(casePath(name));
}

export function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

/** Largest absolute difference of two vectors of the same length. */
export function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Largest nodal P (and Q for AC) mismatch in MW computed from the reported flows. */
export function balanceMismatch(net: Network, s: OpfSolution, ac: boolean): number {
  const nb = net.bus.n;
  const p = new Float64Array(nb),
    q = new Float64Array(nb);
  const idx = (b: number) => net.busIndex.get(b) as number;
  for (let g = 0; g < net.gen.n; g++) {
    p[idx(net.gen.bus[g])] += s.gen.pg[g];
    q[idx(net.gen.bus[g])] += s.gen.qg[g];
  }
  for (let i = 0; i < nb; i++) {
    const v2 = ac ? s.bus.vm[i] ** 2 : 1;
    p[i] -= net.bus.Pd[i] + net.bus.Gs[i] * v2;
    q[i] -= net.bus.Qd[i] - net.bus.Bs[i] * v2;
  }
  for (let l = 0; l < net.branch.n; l++) {
    if (!net.branch.status[l]) continue;
    const f = idx(net.branch.fbus[l]),
      t = idx(net.branch.tbus[l]);
    p[f] -= s.branch.pf[l];
    p[t] -= s.branch.pt[l];
    q[f] -= s.branch.qf[l];
    q[t] -= s.branch.qt[l];
  }
  let worst = 0;
  for (let i = 0; i < nb; i++)
    if (net.bus.type[i] !== 4) worst = Math.max(worst, Math.abs(p[i]), ac ? Math.abs(q[i]) : 0);
  return worst;
}

/** Largest violation (MW, MVA, p.u.) of generator, flow and voltage limits. */
export function limitViolation(net: Network, s: OpfSolution, ac: boolean): number {
  let v = 0;
  for (let g = 0; g < net.gen.n; g++) {
    if (net.gen.status[g] <= 0) continue;
    v = Math.max(v, s.gen.pg[g] - net.gen.Pmax[g], net.gen.Pmin[g] - s.gen.pg[g]);
    if (ac) v = Math.max(v, s.gen.qg[g] - net.gen.Qmax[g], net.gen.Qmin[g] - s.gen.qg[g]);
  }
  for (let l = 0; l < net.branch.n; l++) {
    const r = net.branch.rateA[l];
    if (!net.branch.status[l] || r === 0) continue;
    const sf = ac ? Math.hypot(s.branch.pf[l], s.branch.qf[l]) : Math.abs(s.branch.pf[l]);
    const st = ac ? Math.hypot(s.branch.pt[l], s.branch.qt[l]) : Math.abs(s.branch.pt[l]);
    v = Math.max(v, sf - r, st - r);
  }
  if (ac)
    for (let i = 0; i < net.bus.n; i++)
      if (net.bus.type[i] !== 4)
        v = Math.max(v, 100 * (s.bus.vm[i] - net.bus.Vmax[i]), 100 * (net.bus.Vmin[i] - s.bus.vm[i]));
  return v;
}
