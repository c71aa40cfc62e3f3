/**
 * DC optimal power flow (MATPOWER's rundcopf): builds the LP/QP of dcopf-setup.ts and solves
 * linear-cost problems with HiGHS (when loaded, see loadHighs) and quadratic-cost problems
 * with MIPS, falling back to MIPS with safeguards when plain MIPS fails.
 * LMPs: lam_p = multiplier of the nodal balance row / baseMVA ($/MWh).
 */
import { generationShortfall } from './capacity-check';
import type { Network } from '../../grid/network';
import { cscMulVec } from '../sparse/csc';
import { DcOpfModel, dcopfSetup } from './dcopf-setup';
import { highsIfLoaded, loadHighs, solveLpHighs } from './highs-lp';
import { MipsOptions } from './mips';
import { opfCase, OpfCase } from './opf-case';
import { failedOpf, OpfOptions, OpfSolution, SAFEGUARDS, TAIL_SAFEGUARDS } from './opf-solution';
import { qpsMips } from './qps_mips';
import { kktOrderDc } from './kkt-order';

/** Raw result in internal numbering; multipliers with MATPOWER's signs (>= 0 for active bounds). */
interface DcRaw {
  ok: boolean;
  message: string;
  solver: string;
  iterations: number;
  x: Float64Array;
  f: number;
  /** per row of A: lam = mu_u - mu_l */
  rowLam: Float64Array;
  rowMuU: Float64Array;
  rowMuL: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
}

export function solveOpfDc(net: Network, opts: OpfOptions = {}): OpfSolution {
  const t0 = performance.now();
  const { n: nbAll } = net.bus;
  const ngAll = net.gen.n,
    nlAll = net.branch.n;
  const cr = opfCase(net);
  if (!cr.ok) return failedOpf('opf_dc', nbAll, ngAll, nlAll, cr.error, cr.offBuses, 0, performance.now() - t0);
  const oc = cr.c;
  const short = generationShortfall(oc, false);
  if (short) return failedOpf('opf_dc', nbAll, ngAll, nlAll, short, oc.offBuses, 0, performance.now() - t0);
  const su = dcopfSetup(oc, { ignoreAngleLimits: opts.ignoreAngleLimits });
  if (!su.ok) return failedOpf('opf_dc', nbAll, ngAll, nlAll, su.error, oc.offBuses, 0, performance.now() - t0);
  const m = su.m;
  const choice = opts.dcSolver ?? 'auto';
  const h = highsIfLoaded();
  let raw: DcRaw;
  if (choice === 'highs' || (choice === 'auto' && !m.quadratic && h)) {
    if (!h)
      return failedOpf(
        'opf_dc',
        nbAll,
        ngAll,
        nlAll,
        'HiGHS is not loaded: await loadHighs() before solveOpfDc with dcSolver "highs"',
        oc.offBuses,
      );
    raw = solveWithHighs(m, h);
  } else {
    raw = solveWithMips(m, oc, opts);
  }
  const ms = performance.now() - t0;
  if (!raw.ok)
    return failedOpf(
      'opf_dc',
      nbAll,
      ngAll,
      nlAll,
      `${raw.solver}: ${raw.message}`,
      oc.offBuses,
      raw.iterations,
      ms,
      raw.solver,
    );
  return dcResult(oc, m, raw, ms);
}

/** Loads HiGHS if needed, then solves (for callers that can await). */
export async function solveOpfDcAsync(net: Network, opts: OpfOptions = {}): Promise<OpfSolution> {
  await loadHighs();
  return solveOpfDc(net, opts);
}

function mipsOpts(opts: OpfOptions, m: DcOpfModel, oc: OpfCase): MipsOptions {
  return {
    feastol: 5e-6,
    ...(opts.mips ?? {}),
    maxIt: opts.mips?.maxIt ?? opts.maxIt ?? 150,
    kktOrder: (ieq) => kktOrderDc(m, oc.genBus, m.pwl, ieq),
  };
}

function solveWithMips(m: DcOpfModel, oc: OpfCase, opts: OpfOptions): DcRaw {
  const mode = opts.safeguards ?? 'fallback';
  let r = qpsMips(m, { ...mipsOpts(opts, m, oc), safeguards: mode === 'always' ? SAFEGUARDS : TAIL_SAFEGUARDS });
  let solver = mode === 'always' ? 'MIPS+safeguards' : 'MIPS';
  let iterations = r.iterations;
  if (r.eflag !== 1 && mode === 'fallback') {
    const first = r;
    r = qpsMips(m, { ...mipsOpts(opts, m, oc), safeguards: SAFEGUARDS });
    iterations += r.iterations;
    solver = 'MIPS+safeguards';
    if (r.eflag !== 1) r = { ...r, message: `${r.message} (plain MIPS: ${first.message})` };
  }
  const lam = new Float64Array(m.A.m);
  for (let i = 0; i < lam.length; i++) lam[i] = r.lambda.muU[i] - r.lambda.muL[i];
  return {
    ok: r.eflag === 1,
    message: r.message,
    solver,
    iterations,
    x: r.x,
    f: r.f + m.k,
    rowLam: lam,
    rowMuU: r.lambda.muU,
    rowMuL: r.lambda.muL,
    colLower: r.lambda.lower,
    colUpper: r.lambda.upper,
  };
}

function solveWithHighs(m: DcOpfModel, h: NonNullable<ReturnType<typeof highsIfLoaded>>): DcRaw {
  // interior point + crossover for large LPs (9241-bus: 0.8 s against 2.7 s with dual simplex)
  const r = solveLpHighs(
    h,
    { c: m.c, offset: m.k, A: m.A, l: m.l, u: m.u, xmin: m.xmin, xmax: m.xmax },
    m.nx > 5000 ? { solver: 'ipm' } : {},
  );
  // HiGHS duals are d f / d bound; MATPOWER's multipliers are their negatives (>= 0 at an upper bound)
  const n = m.A.m;
  const lam = new Float64Array(n),
    muU = new Float64Array(n),
    muL = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    lam[i] = -r.rowDual[i];
    if (lam[i] > 0) muU[i] = lam[i];
    else muL[i] = -lam[i];
  }
  const lo = new Float64Array(m.nx),
    up = new Float64Array(m.nx);
  for (let j = 0; j < m.nx; j++) {
    if (r.colDual[j] > 0) lo[j] = r.colDual[j];
    else up[j] = -r.colDual[j];
  }
  return {
    ok: r.optimal,
    message: r.optimal ? 'optimal' : `LP ${r.status}`,
    solver: 'HiGHS',
    iterations: r.iterations,
    x: r.x,
    f: r.f,
    rowLam: lam,
    rowMuU: muU,
    rowMuL: muL,
    colLower: lo,
    colUpper: up,
  };
}

function dcResult(oc: OpfCase, m: DcOpfModel, r: DcRaw, ms: number): OpfSolution {
  const { net, nb, ng, baseMVA } = oc;
  const nbAll = net.bus.n,
    ngAll = net.gen.n,
    nlAll = net.branch.n;
  const vm = Float64Array.from(net.bus.Vm),
    vaDeg = Float64Array.from(net.bus.Va);
  const lamP = new Float64Array(nbAll).fill(NaN);
  for (let i = 0; i < nb; i++) {
    const b = oc.busRow[i];
    vm[b] = 1;
    vaDeg[b] = (r.x[i] * 180) / Math.PI;
    lamP[b] = r.rowLam[m.rows.pmis + i] / baseMVA;
  }
  const pg = new Float64Array(ngAll),
    qg = new Float64Array(ngAll);
  const muPmin = new Float64Array(ngAll),
    muPmax = new Float64Array(ngAll);
  for (let g = 0; g < ng; g++) {
    const row = oc.genRow[g];
    pg[row] = r.x[nb + g] * baseMVA;
    muPmin[row] = r.colLower[nb + g] / baseMVA;
    muPmax[row] = r.colUpper[nb + g] / baseMVA;
  }
  const flow = cscMulVec(m.Bf, r.x.subarray(0, nb));
  const pf = new Float64Array(nlAll),
    pt = new Float64Array(nlAll);
  for (let k = 0; k < oc.nl; k++) {
    const row = oc.branchRow[k];
    pf[row] = (flow[k] + m.Pfinj[k]) * baseMVA;
    pt[row] = -pf[row];
  }
  const muSf = new Float64Array(nlAll),
    muSt = new Float64Array(nlAll);
  const binding: number[] = [];
  m.il.forEach((k, j) => {
    const row = oc.branchRow[k];
    muSf[row] = r.rowMuU[m.rows.pf + j] / baseMVA;
    muSt[row] = r.rowMuL[m.rows.pf + j] / baseMVA;
    const rate = net.branch.rateA[row];
    if (muSf[row] > 1e-6 || muSt[row] > 1e-6 || Math.abs(pf[row]) >= rate - Math.max(1e-3, 1e-6 * rate))
      binding.push(row);
  });
  return {
    task: 'opf_dc',
    converged: true,
    iterations: r.iterations,
    solveMs: ms,
    objective: r.f,
    error: null,
    bus: { vm, vaDeg, lamP },
    gen: { pg, qg },
    branch: { pf, qf: new Float64Array(nlAll), pt, qt: new Float64Array(nlAll) },
    isolatedBuses: oc.offBuses,
    opf: { solver: r.solver, message: r.message, muSf, muSt, bindingBranches: binding, muPmin, muPmax },
  };
}
