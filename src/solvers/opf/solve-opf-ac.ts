/**
 * AC optimal power flow (MATPOWER's runopf with MIPS, default options): acopf-setup.ts builds
 * the problem, MIPS solves it with cost_mult 1e-4, feastol 5e-6 (opf.violation) and
 * gradtol/comptol/costtol 1e-6; when plain MIPS fails, a second run with safeguards
 * (Mehrotra predictor-corrector centring, KKT regularisation) follows.
 * Prices: lam_p = lambda(Pmis)/baseMVA, lam_q = lambda(Qmis)/baseMVA ($/MWh, $/MVArh);
 * MU_SF = 2 mu_Sf rateA/baseMVA^2 as nlpopf_solver reports it.
 */
import { generationShortfall } from './capacity-check';
import type { Network } from '../../grid/network';
import { AcOpfModel, acopfSetup } from './acopf-setup';
import { voltages } from './dSbus_dV';
import { branchFlows } from './dSbr_dV';
import { mips, MipsOptions, MipsResult } from './mips';
import { opfCase, OpfCase } from './opf-case';
import { opf_consfcn } from './opf_consfcn';
import { opf_costfcn } from './opf_costfcn';
import { opf_hessfcn } from './opf_hessfcn';
import { kktOrderAc } from './kkt-order';
import { failedOpf, OpfOptions, OpfSolution, SAFEGUARDS, TAIL_SAFEGUARDS } from './opf-solution';

export function solveOpfAc(net: Network, opts: OpfOptions = {}): OpfSolution {
  const t0 = performance.now();
  const nbAll = net.bus.n,
    ngAll = net.gen.n,
    nlAll = net.branch.n;
  const cr = opfCase(net);
  if (!cr.ok) return failedOpf('opf_ac', nbAll, ngAll, nlAll, cr.error, cr.offBuses, 0, performance.now() - t0);
  const oc = cr.c;
  const short = generationShortfall(oc, true);
  if (short) return failedOpf('opf_ac', nbAll, ngAll, nlAll, short, oc.offBuses, 0, performance.now() - t0);
  const m = acopfSetup(oc, { ignoreAngleLimits: opts.ignoreAngleLimits });
  if (opts.start) applyWarmStart(m, opts.start);
  const mode = opts.safeguards ?? 'fallback';
  let r = runMips(m, opts, mode === 'always');
  let solver = mode === 'always' ? 'MIPS+safeguards' : 'MIPS';
  let iterations = r.iterations;
  if (r.eflag !== 1 && mode === 'fallback') {
    const first = r;
    r = runMips(m, opts, true);
    iterations += r.iterations;
    solver = 'MIPS+safeguards';
    if (r.eflag !== 1) r = { ...r, message: `${r.message} (plain MIPS: ${first.message})` };
  }
  const ms = performance.now() - t0;
  if (r.eflag !== 1)
    return failedOpf(
      'opf_ac',
      nbAll,
      ngAll,
      nlAll,
      `${solver}: ${r.message}${infeasibleHint(r)}`,
      oc.offBuses,
      iterations,
      ms,
      solver,
    );
  return acResult(oc, m, r, solver, iterations, ms);
}

function runMips(m: AcOpfModel, opts: OpfOptions, safeguarded: boolean): MipsResult {
  const o: MipsOptions = {
    feastol: 5e-6,
    costMult: 1e-4,
    ...(opts.mips ?? {}),
    maxIt: opts.mips?.maxIt ?? opts.maxIt ?? 150,
    safeguards: safeguarded ? SAFEGUARDS : TAIL_SAFEGUARDS,
    kktOrder: (ieq, dhG) => kktOrderAc(m, ieq, dhG),
  };
  return mips(
    {
      x0: m.x0,
      f: (x) => {
        const c = opf_costfcn(m, x);
        return { f: c.f, df: c.df };
      },
      gh: (x) => opf_consfcn(m, x),
      hess: (x, lam, mu, cm) => opf_hessfcn(m, x, lam, mu, cm),
      A: m.A,
      l: m.l,
      u: m.u,
      xmin: m.xmin,
      xmax: m.xmax,
    },
    o,
  );
}

/** opf.start 2 style: start from given voltages (by bus row), keeping MATPOWER's Pg/Qg/y start. */
function applyWarmStart(m: AcOpfModel, s: { vm: Float64Array; vaDeg: Float64Array }): void {
  const { busRow } = m.oc;
  for (let i = 0; i < m.nb; i++) {
    const vm = s.vm[busRow[i]],
      va = s.vaDeg[busRow[i]];
    if (Number.isFinite(va) && m.xmin[i] !== m.xmax[i]) m.x0[i] = (va * Math.PI) / 180;
    if (Number.isFinite(vm) && vm > 0) m.x0[m.iVm + i] = Math.min(Math.max(vm, m.xmin[m.iVm + i]), m.xmax[m.iVm + i]);
  }
}

function acResult(
  oc: OpfCase,
  m: AcOpfModel,
  r: MipsResult,
  solver: string,
  iterations: number,
  ms: number,
): OpfSolution {
  const { net, nb, ng, nl, baseMVA } = oc;
  const nbAll = net.bus.n,
    ngAll = net.gen.n,
    nlAll = net.branch.n;
  const x = r.x;
  const vm = Float64Array.from(net.bus.Vm),
    vaDeg = Float64Array.from(net.bus.Va);
  const lamP = new Float64Array(nbAll).fill(NaN),
    lamQ = new Float64Array(nbAll).fill(NaN);
  const muVmin = new Float64Array(nbAll),
    muVmax = new Float64Array(nbAll);
  const pMw = new Float64Array(nbAll),
    qMvar = new Float64Array(nbAll);
  for (let i = 0; i < nb; i++) {
    const b = oc.busRow[i];
    vaDeg[b] = (x[i] * 180) / Math.PI;
    vm[b] = x[m.iVm + i];
    lamP[b] = r.lambda.eqnonlin[i] / baseMVA;
    lamQ[b] = r.lambda.eqnonlin[nb + i] / baseMVA;
    muVmin[b] = r.lambda.lower[m.iVm + i];
    muVmax[b] = r.lambda.upper[m.iVm + i];
    pMw[b] = -net.bus.Pd[b];
    qMvar[b] = -net.bus.Qd[b];
  }
  const pg = new Float64Array(ngAll),
    qg = new Float64Array(ngAll);
  const muPmin = new Float64Array(ngAll),
    muPmax = new Float64Array(ngAll);
  for (let g = 0; g < ng; g++) {
    const row = oc.genRow[g];
    pg[row] = x[m.iPg + g] * baseMVA;
    qg[row] = x[m.iQg + g] * baseMVA;
    muPmin[row] = r.lambda.lower[m.iPg + g] / baseMVA;
    muPmax[row] = r.lambda.upper[m.iPg + g] / baseMVA;
    pMw[oc.busRow[oc.genBus[g]]] += pg[row];
    qMvar[oc.busRow[oc.genBus[g]]] += qg[row];
  }
  const V = voltages(x.subarray(0, nb), x.subarray(m.iVm, m.iVm + nb));
  const all = Array.from({ length: nl }, (_, k) => k);
  const fl = branchFlows(m.Y, V, all);
  const pf = new Float64Array(nlAll),
    qf = new Float64Array(nlAll),
    pt = new Float64Array(nlAll),
    qt = new Float64Array(nlAll);
  for (let k = 0; k < nl; k++) {
    const row = oc.branchRow[k];
    pf[row] = fl.f.sr[k] * baseMVA;
    qf[row] = fl.f.si[k] * baseMVA;
    pt[row] = fl.t.sr[k] * baseMVA;
    qt[row] = fl.t.si[k] * baseMVA;
  }
  const muSf = new Float64Array(nlAll),
    muSt = new Float64Array(nlAll);
  const binding: number[] = [];
  const n2 = m.il.length;
  m.il.forEach((k, q) => {
    const row = oc.branchRow[k];
    const rate = net.branch.rateA[row];
    muSf[row] = (2 * r.lambda.ineqnonlin[q] * rate) / baseMVA / baseMVA;
    muSt[row] = (2 * r.lambda.ineqnonlin[n2 + q] * rate) / baseMVA / baseMVA;
    const sf = Math.hypot(pf[row], qf[row]),
      st = Math.hypot(pt[row], qt[row]);
    if (muSf[row] > 1e-6 || muSt[row] > 1e-6 || Math.max(sf, st) >= rate - Math.max(1e-3, 1e-6 * rate))
      binding.push(row);
  });
  return {
    task: 'opf_ac',
    converged: true,
    iterations,
    solveMs: ms,
    objective: r.f,
    error: null,
    bus: { vm, vaDeg, pMw, qMvar, lamP, lamQ },
    gen: { pg, qg },
    branch: { pf, qf, pt, qt },
    isolatedBuses: oc.offBuses,
    opf: { solver, message: r.message, muSf, muSt, bindingBranches: binding, muPmin, muPmax, muVmin, muVmax },
  };
}

/** Scaled constraint violation of MIPS's last iterate (100x its feasibility tolerance) past which a failure reads as infeasibility. */
const FAR_FROM_FEASIBLE = 1e-4;

/** When MIPS stops while still far from feasible, say that the problem is probably infeasible. */
export function infeasibleHint(r: MipsResult): string {
  if (!(r.last.feascond > FAR_FROM_FEASIBLE)) return '';
  return `; the last iterate still violates the constraints (scaled violation ${r.last.feascond.toExponential(1)}): probably no feasible operating point (load too high for the voltage, flow or reactive limits)`;
}
