/**
 * MIPS, MATPOWER's primal-dual interior-point solver (mips.m, MIPS 1.5), for
 *
 *   min f(x)  s.t.  g(x) = 0,  h(x) <= 0,  l <= A x <= u,  xmin <= x <= xmax.
 *
 * Bounds and linear rows are split as in mips.m into equalities (|u-l| <= eps) and one-sided
 * inequalities; each iteration solves the reduced KKT system
 *
 *   [ Lxx + dh Z^-1 M dh'   dg ] [ dx   ]   [ -(Lx + dh Z^-1 (M h + gamma e)) ]
 *   [ dg'                   0  ] [ dlam ] = [ -g                              ]
 *
 * with fraction-to-boundary steps (xi), barrier gamma = sigma z'mu / niq and MATPOWER's
 * termination tests (feascond, gradcond, compcond, costcond). `stepControl` is MIPS-sc.
 *
 * Safeguards beyond mips.m (off by default, see MipsSafeguards): Mehrotra predictor-corrector
 * centring, KKT regularisation when the system is singular, and a cap on how far the barrier
 * may fall in one iteration.
 */
import type { Csc } from '../sparse/csc';
import { cscEmpty, cscHcat, cscMulTVec, cscMulVecAdd, cscSelectCols } from '../sparse/csc-ops';
import { KktSolver, makeLuKktSolver } from './kkt-solver';
import { KktAssembly } from './kkt-assembly';
import { allFinite, Kkt, splitInequalities } from './kkt-system';
import { EPS, linearMultipliers, splitLinearConstraints } from './mips-linear';
import { checkStop } from '../stop';

export type {
  MipsConstraints,
  MipsProblem,
  MipsSafeguards,
  MipsOptions,
  MipsIterate,
  MipsLambda,
  MipsResult,
} from './mips-types';
import type { MipsIterate, MipsOptions, MipsProblem, MipsResult } from './mips-types';

function normInf(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]);
    if (a > m || a !== a) m = a !== a ? NaN : a;
  }
  return m;
}
function maxOf(v: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < v.length; i++) if (v[i] > m) m = v[i];
  return m;
}
function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function mips(p: MipsProblem, o: MipsOptions = {}): MipsResult {
  const opt = {
    feastol: o.feastol || 1e-6,
    gradtol: o.gradtol || 1e-6,
    comptol: o.comptol || 1e-6,
    costtol: o.costtol || 1e-6,
    maxIt: o.maxIt ?? 150,
    stepControl: o.stepControl ?? false,
    scRedIt: o.scRedIt ?? 20,
    costMult: o.costMult ?? 1,
    xi: o.xi ?? 0.99995,
    sigma: o.sigma ?? 0.1,
    z0: o.z0 ?? 1,
    alphaMin: o.alphaMin ?? 1e-8,
    rhoMin: o.rhoMin ?? 0.95,
    rhoMax: o.rhoMax ?? 1.05,
    muThreshold: o.muThreshold ?? 1e-5,
    maxStepsize: o.maxStepsize ?? 1e10,
  };
  const sg = o.safeguards ?? {};
  let ls: KktSolver | null = o.linsolver ?? null;
  const nx = p.x0.length;
  const A = p.A ?? cscEmpty(0, nx);
  const nA = A.m;
  const l = p.l ?? new Float64Array(nA).fill(-Infinity);
  const u = p.u ?? new Float64Array(nA).fill(Infinity);
  const xmin = p.xmin ?? new Float64Array(nx).fill(-Infinity);
  const xmax = p.xmax ?? new Float64Array(nx).fill(Infinity);
  const cm = opt.costMult;

  const lin = splitLinearConstraints(nx, A, l, u, xmin, xmax);
  const { ieq, AeT, be, AiT, bi } = lin;

  const plainOrder = o.kktOrder ? o.kktOrder(ieq) : undefined;
  if (!ls) ls = makeLuKktSolver({ order: plainOrder });
  const solver: KktSolver = ls;
  let solverAug: KktSolver | null = null;
  let augRows = '';
  let asmPlain: KktAssembly | null = null,
    asmAug: KktAssembly | null = null;
  let x: Float64Array<ArrayBuffer> = p.x0.slice();
  const evalAll = (xx: Float64Array) => {
    const fr = p.f(xx);
    const f = fr.f * cm;
    const df = fr.df.map((v) => v * cm);
    const hl = cscMulTVec(AiT, xx);
    for (let i = 0; i < hl.length; i++) hl[i] -= bi[i];
    const gl = cscMulTVec(AeT, xx);
    for (let i = 0; i < gl.length; i++) gl[i] -= be[i];
    if (p.gh) {
      const c = p.gh(xx);
      const h = new Float64Array(c.h.length + hl.length);
      h.set(c.h);
      h.set(hl, c.h.length);
      const g = new Float64Array(c.g.length + gl.length);
      g.set(c.g);
      g.set(gl, c.g.length);
      return { f, df, h, g, dh: cscHcat(c.dh, AiT), dg: cscHcat(c.dg, AeT), nhn: c.h.length, ngn: c.g.length };
    }
    return { f, df, h: hl, g: gl, dh: AiT, dg: AeT, nhn: 0, ngn: 0 };
  };
  let E = evalAll(x);
  const neq = E.g.length,
    niq = E.h.length,
    neqnln = E.ngn,
    niqnln = E.nhn;

  const augKept = new Uint8Array(niq);
  let gamma = 1;
  let lam = new Float64Array(neq);
  let z = new Float64Array(niq).fill(opt.z0);
  let mu = z.slice();
  for (let i = 0; i < niq; i++) if (E.h[i] < -opt.z0) z[i] = -E.h[i];
  for (let i = 0; i < niq; i++) if (gamma / z[i] > opt.z0) mu[i] = gamma / z[i];
  let f0 = E.f;
  let Lx = lagGrad(E.df, E.dg, lam, E.dh, mu);
  const conds = () => {
    const maxh = niq ? maxOf(E.h) : -Infinity;
    const feascond = Math.max(normInf(E.g), maxh) / (1 + Math.max(normInf(x), normInf(z)));
    const gradcond = normInf(Lx) / (1 + Math.max(normInf(lam), normInf(mu)));
    const compcond = dot(z, mu) / (1 + normInf(x));
    const costcond = Math.abs(E.f - f0) / (1 + Math.abs(f0));
    return { feascond: neq || niq ? feascond : 0, gradcond, compcond, costcond };
  };
  let c = conds();
  let augOn = sg.augmented ?? false;
  const conv = () =>
    c.feascond < opt.feastol && c.gradcond < opt.gradtol && c.compcond < opt.comptol && c.costcond < opt.costtol;
  let converged = conv();
  let eflag: 1 | 0 | -1 = 0;
  let i = 0;
  let L = opt.stepControl ? lagrangian(E.f, lam, E.g, mu, E.h, z, gamma) : 0;
  let last: MipsIterate = { it: 0, f: E.f / cm, stepsize: 0, ...c, gamma, alphap: 0, alphad: 0 };
  let message = '';

  while (!converged && i < opt.maxIt) {
    checkStop();
    i++;
    const lamN = lam.subarray(0, neqnln);
    const muN = mu.subarray(0, niqnln);
    const Lxx = p.hess(x, lamN, muN, cm);
    const aug = augOn && niq > 0;
    // split dh into condensed columns and augmented ones (general, binding: kkt-system.ts)
    const { S, G } = splitInequalities(E.dh, mu, z, aug, sg.augmentAbove ?? 0, augKept);
    const dhS = aug ? cscSelectCols(E.dh, S) : E.dh;
    const w = new Float64Array(S.length);
    S.forEach((k, j) => {
      w[j] = mu[k] / z[k];
    });
    const nG = G.length;
    let kkt: Kkt;
    if (aug) {
      const D = new Float64Array(nG + neq);
      G.forEach((k, j) => {
        D[j] = -z[k] / mu[k];
      });
      const dhG = cscSelectCols(E.dh, G);
      // the order (and with it the solver) follows the augmented rows; the given order serves a
      // few binding rows (augmentAbove), AMD every general inequality as a row (the fallback)
      const key = G.join();
      if (!solverAug || key !== augRows) {
        const order = sg.augmentAbove ? o.kktOrder?.(ieq, dhG) : undefined;
        solverAug = o.linsolver ?? makeLuKktSolver({ order: order?.length === nx + nG + neq ? order : undefined });
        augRows = key;
      }
      const B = cscHcat(dhG, E.dg);
      if (!asmAug || !asmAug.fits(Lxx, dhS, B)) asmAug = new KktAssembly(Lxx, dhS, B);
      const a = asmAug;
      kkt = new Kkt(solverAug, (delta) => a.assemble(Lxx, dhS, w, B, D, delta), sg.regularize ?? false);
    } else {
      if (!asmPlain || !asmPlain.fits(Lxx, dhS, E.dg)) asmPlain = new KktAssembly(Lxx, dhS, E.dg);
      const a = asmPlain,
        B = E.dg;
      kkt = new Kkt(solver, (delta) => a.assemble(Lxx, dhS, w, B, null, delta), sg.regularize ?? false);
    }
    const solveDir = (corr: Float64Array | null, gam: number) => {
      const N = Lx.slice();
      const t = new Float64Array(S.length);
      S.forEach((k, j) => {
        t[j] = (mu[k] * E.h[k] + gam - (corr ? corr[k] : 0)) / z[k];
      });
      cscMulVecAdd(dhS, t, N);
      const rhs = new Float64Array(nx + nG + neq);
      for (let k = 0; k < nx; k++) rhs[k] = -N[k];
      G.forEach((k, j) => {
        rhs[nx + j] = -E.h[k] - (gam - (corr ? corr[k] : 0)) / mu[k];
      });
      for (let k = 0; k < neq; k++) rhs[nx + nG + k] = -E.g[k];
      const sol = kkt.solve(rhs);
      if (!sol) return null;
      const dx = sol.subarray(0, nx);
      const dlam = sol.subarray(nx + nG);
      const dz = cscMulTVec(E.dh, dx);
      for (let k = 0; k < niq; k++) dz[k] = -E.h[k] - z[k] - dz[k];
      const dmu = new Float64Array(niq);
      for (const k of S) dmu[k] = -mu[k] + (gam - (corr ? corr[k] : 0) - mu[k] * dz[k]) / z[k];
      G.forEach((k, j) => {
        dmu[k] = sol[nx + j];
      });
      return { dx: dx.slice(), dlam: dlam.slice(), dz, dmu };
    };
    let d = null as ReturnType<typeof solveDir>;
    if (sg.predictorCorrector && niq > 0) {
      const aff = solveDir(null, 0);
      if (aff) {
        const ap = stepLen(z, aff.dz, 1);
        const ad = stepLen(mu, aff.dmu, 1);
        let muAff = 0;
        for (let k = 0; k < niq; k++) muAff += (z[k] + ap * aff.dz[k]) * (mu[k] + ad * aff.dmu[k]);
        const muNow = dot(z, mu);
        const sig = Math.min(1, Math.pow(muAff / muNow, 3));
        const corr = new Float64Array(niq);
        for (let k = 0; k < niq; k++) corr[k] = aff.dz[k] * aff.dmu[k];
        d = solveDir(corr, Math.max((sig * muNow) / niq, 0));
      }
    } else {
      d = solveDir(null, gamma);
    }
    if (!d || !allFinite(d.dx) || norm2(d.dx) + norm2(d.dlam) > opt.maxStepsize) {
      eflag = -1;
      message = !d ? 'Numerically failed: singular KKT system' : 'Numerically failed: non-finite or huge Newton step';
      break;
    }
    let { dx, dz, dlam, dmu } = d;
    if (opt.stepControl) {
      const x1 = add(x, dx, 1);
      const E1 = evalAll(x1);
      const Lx1 = lagGrad(E1.df, E1.dg, lam, E1.dh, mu);
      const feas1 = Math.max(normInf(E1.g), niq ? maxOf(E1.h) : 0) / (1 + Math.max(normInf(x1), normInf(z)));
      const grad1 = normInf(Lx1) / (1 + Math.max(normInf(lam), normInf(mu)));
      if (feas1 > c.feascond && grad1 > c.gradcond) {
        let alpha = 1;
        for (let j = 0; j < opt.scRedIt; j++) {
          const dx1 = dx.map((v) => v * alpha);
          const Ej = evalAll(add(x, dx1, 1));
          const L1 = lagrangian(Ej.f, lam, Ej.g, mu, Ej.h, z, gamma);
          const Hdx = cscMulTVec(Lxx, dx1);
          const rho = (L1 - L) / (dot(Lx, dx1) + 0.5 * dot(dx1, Hdx));
          if (rho > opt.rhoMin && rho < opt.rhoMax) break;
          alpha /= 2;
        }
        dx = dx.map((v) => v * alpha);
        dz = dz.map((v) => v * alpha);
        dlam = dlam.map((v) => v * alpha);
        dmu = dmu.map((v) => v * alpha);
      }
    }
    const alphap = stepLen(z, dz, opt.xi);
    const alphad = stepLen(mu, dmu, opt.xi);
    x = add(x, dx, alphap);
    z = add(z, dz, alphap);
    lam = add(lam, dlam, alphad);
    mu = add(mu, dmu, alphad);
    const gPrev = gamma;
    if (niq > 0) gamma = (opt.sigma * dot(z, mu)) / niq;
    if (sg.gammaFloorRatio && gamma < sg.gammaFloorRatio * gPrev) gamma = sg.gammaFloorRatio * gPrev;
    E = evalAll(x);
    Lx = lagGrad(E.df, E.dg, lam, E.dh, mu);
    const prevGrad = c.gradcond;
    c = conds();
    if (
      sg.augmentBelowGamma !== undefined &&
      gamma < sg.augmentBelowGamma &&
      c.gradcond > opt.gradtol &&
      c.gradcond > 0.5 * prevGrad
    )
      augOn = true;
    last = { it: i, f: E.f / cm, stepsize: norm2(dx), ...c, gamma, alphap, alphad };
    o.onIteration?.(last);
    if (conv()) {
      converged = true;
      break;
    }
    if (!allFinite(x) || alphap < opt.alphaMin || alphad < opt.alphaMin || gamma < EPS || gamma > 1 / EPS) {
      eflag = -1;
      message = `Numerically failed (alphap ${alphap.toExponential(2)}, alphad ${alphad.toExponential(2)}, gamma ${gamma.toExponential(2)})`;
      break;
    }
    f0 = E.f;
    if (opt.stepControl) L = lagrangian(E.f, lam, E.g, mu, E.h, z, gamma);
  }
  if (converged) {
    eflag = 1;
    message = 'Converged';
  } else if (eflag === 0) message = `Did not converge in ${i} iterations`;

  for (let k = 0; k < niq; k++) if (E.h[k] < -opt.feastol && mu[k] < opt.muThreshold) mu[k] = 0;
  const lamS = lam.map((v) => v / cm);
  const muS = mu.map((v) => v / cm);
  const lamLin = lamS.subarray(neqnln);
  const muLin = muS.subarray(niqnln);
  const { muL: muLAll, muU: muUAll } = linearMultipliers(lin, nx + nA, lamLin, muLin);
  return {
    x,
    f: E.f / cm,
    eflag,
    iterations: i,
    message,
    last,
    lambda: {
      eqnonlin: lamS.slice(0, neqnln),
      ineqnonlin: muS.slice(0, niqnln),
      muL: muLAll.slice(nx),
      muU: muUAll.slice(nx),
      lower: muLAll.slice(0, nx),
      upper: muUAll.slice(0, nx),
    },
  };
}

function lagGrad(df: Float64Array, dg: Csc, lam: Float64Array, dh: Csc, mu: Float64Array): Float64Array {
  const Lx = df.slice();
  cscMulVecAdd(dg, lam, Lx);
  cscMulVecAdd(dh, mu, Lx);
  return Lx;
}

function lagrangian(
  f: number,
  lam: Float64Array,
  g: Float64Array,
  mu: Float64Array,
  h: Float64Array,
  z: Float64Array,
  gamma: number,
): number {
  let s = f + dot(lam, g);
  for (let k = 0; k < h.length; k++) s += mu[k] * (h[k] + z[k]) - gamma * Math.log(z[k]);
  return s;
}

function stepLen(v: Float64Array, dv: Float64Array, xi: number): number {
  let a = 1;
  for (let k = 0; k < v.length; k++)
    if (dv[k] < 0) {
      const t = xi * (v[k] / -dv[k]);
      if (t < a) a = t;
    }
  return a;
}

function add(a: ArrayLike<number>, b: ArrayLike<number>, s: number): Float64Array<ArrayBuffer> {
  const r = new Float64Array(a.length);
  for (let k = 0; k < a.length; k++) r[k] = a[k] + s * b[k];
  return r;
}

function norm2(v: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < v.length; k++) s += v[k] * v[k];
  return Math.sqrt(s);
}
