/**
 * The first Newton step of a single-branch outage, taken from the base case's solution on the
 * base case's Jacobian factors: x1 = x0 - J_out(x0)^-1 F_out(x0), without filling or factoring
 * J_out.
 *
 * At the base solution x0 the outage changes the equations of the branch's two end buses f and t
 * only: F_out(x0) = F_base(x0) - S_k, S_k being the branch's terminal powers (S_f at f, S_t at t,
 * pfsoln's Sf / St in p.u.), nonzero in the (at most four) rows P_f, P_t, Q_f, Q_t; F_base(x0) is
 * below tol and left out. The Jacobian changes in the same rows, and only in the columns theta_f,
 * theta_t, |V_f|, |V_t| (the rows' and the columns' positions in x and F coincide, fused-evaluation
 * mismatchRows): J_out = J_base + E D E', D = -dS_k / d(theta_f, theta_t, |V_f|, |V_t|) (m x m,
 * m <= 4, E the m unit columns). With Z = J_base^-1 E (columns of the inverse: kept per base case on
 * small systems, ac-base-inverse-columns.ts, else m solves in one call) and g = E' F_out(x0)
 * (Woodbury):
 *
 *   J_out^-1 E g = Z (g - D (I + E'Z D)^-1 E'Z g).
 *
 * J_base is filled and factored once per base solution (`hold`, at its solution point) and its
 * factors are kept as long as that base solution is (ac-base-solutions.ts drops them together):
 * whether an outage gets this start depends on the outage alone, never on which jobs the solver
 * ran before it, so a retried or regrouped chunk gives the same bits. Newton
 * then takes its own steps from x1 to the same tolerance, so the solution is the power flow's;
 * x1 counts as the solve's first iteration (it is Newton's first step from the base solution).
 * All connected outages of case118 (177): 1.42 Jacobian factorizations and 1.95 Newton steps
 * after x1 per outage, against 2.03 and 2.54 from the DC-moved start (ac-outage-start.ts), which
 * is used when this start is not available (a bridge, a branch from a bus to itself, several
 * branches out, reactive limits).
 */
import type { BranchAdmittances } from './makeYbus';
import type { StartPoint } from './ac-base-solutions';
import { fillWorkspaceJacobian, jacobianLu, NewtonPfWorkspace } from './newtonpf';
import type { SparseLu } from './sparse/klu-native';
import type { ZCsc } from './sparse/zcsc';
import { singleOutage } from './single-outage';
import { BaseInverseColumns, solveColumns } from './ac-base-inverse-columns';

/** The base case a Newton start is taken from (one per time slice's base solution). */
interface Held {
  base: StartPoint;
  ws: NewtonPfWorkspace;
  lu: SparseLu;
  /** the base case's in-service branches */
  branchOn: Uint8Array;
  /** how many buses the base case leaves out of the solve */
  isolated: number;
}

const R2D = 180 / Math.PI;

export class OutageNewtonStarts {
  /** the factors of each kept base solution, by the StartPoint object BaseSolutions hands out */
  private readonly held = new Map<StartPoint, Held>();
  /** the m columns of Z = J^-1 E, one after another (room for four) */
  private Z = new Float64Array(0);
  /** a column: scratch of solveColumns, then dx */
  private col = new Float64Array(0);
  private readonly dS = new Float64Array(16);
  private readonly D = new Float64Array(16);
  private readonly M = new Float64Array(16);
  private readonly g = new Float64Array(4);
  private readonly r = new Float64Array(4);
  private readonly w = new Float64Array(4);
  private readonly at = new Int32Array(4);
  private readonly pick = new Int32Array(4);
  /** the rows at[pick[j]] whose inverse columns Z holds */
  private readonly rows = new Int32Array(4);
  /** where column j of Z starts */
  private readonly zo = new Int32Array(4);
  /** kept columns of the last base case's inverse Jacobian (small systems) */
  private readonly inverse = new BaseInverseColumns();
  /** the start handed out, overwritten by the next outage: callers copy it */
  private vm = new Float64Array(0);
  private vaDeg = new Float64Array(0);

  /**
   * Holds the factors of the Jacobian at ws's point, which must be the base solution `base`
   * evaluated on the base case's `Ybus` (V and S current, as a converged solve leaves them);
   * returns whether it could factor it. `base` is the object later outages pass to startFor.
   */
  hold(base: StartPoint, Ybus: ZCsc, ws: NewtonPfWorkspace, branchOn: Uint8Array, isolated: number): boolean {
    this.drop(base);
    fillWorkspaceJacobian(Ybus, ws);
    let lu: SparseLu;
    try {
      lu = jacobianLu(ws.pattern.J, undefined, Ybus, ws.pv, ws.pq, true);
    } catch {
      return false;
    }
    this.held.set(base, { base, ws, lu, branchOn: branchOn.slice(), isolated });
    const nx = ws.F.length,
      nb = ws.Vm.length;
    if (this.col.length !== nx) {
      this.Z = new Float64Array(4 * nx);
      this.col = new Float64Array(nx);
    }
    if (this.vm.length !== nb) {
      this.vm = new Float64Array(nb);
      this.vaDeg = new Float64Array(nb);
    }
    return true;
  }

  /** Frees the factors held for `base` (its base solution is no longer kept). */
  drop(base: StartPoint): void {
    const h = this.held.get(base);
    if (!h) return;
    this.inverse.forget(h);
    h.lu.dispose();
    this.held.delete(base);
  }

  /** Frees every held factorization. */
  release(): void {
    for (const h of this.held.values()) h.lu.dispose();
    this.held.clear();
    this.inverse.release();
  }

  /**
   * The start x1 for an outage variant (its element status, how many buses it leaves out, its
   * first-pass Newton workspace) when it takes exactly one branch of the held base case out,
   * cuts off no further bus, solves on the held workspace, and `base` is the held base solution;
   * otherwise null. `adm`: the branches' two-port admittances (ybus-assembly.ts).
   */
  startFor(
    status: { branchOn: Uint8Array; f: Int32Array; t: Int32Array },
    isolated: number,
    ws: NewtonPfWorkspace | undefined,
    base: StartPoint,
    adm: BranchAdmittances,
  ): StartPoint | null {
    const h = this.held.get(base);
    if (!h || ws !== h.ws || isolated !== h.isolated) return null;
    const k = singleOutage(h.branchOn, status.branchOn);
    if (k < 0) return null;
    const f = status.f[k],
      t = status.t[k];
    if (f === t) return null;
    const { fp, fq } = h.ws.rows;
    // the rows (and columns) the outage changes: P_f, P_t, Q_f, Q_t (theta_f, theta_t, |V_f|, |V_t|)
    const at = this.at,
      pick = this.pick;
    at[0] = fp[f];
    at[1] = fp[t];
    at[2] = fq[f];
    at[3] = fq[t];
    let m = 0;
    for (let a = 0; a < 4; a++) if (at[a] >= 0) pick[m++] = a;
    if (m === 0) return null;
    const g = this.g;
    if (!this.branchTerms(k, f, t, base, adm, g)) return null;
    const dS = this.dS,
      D = this.D;
    for (let i = 0; i < m; i++) {
      const a = pick[i];
      g[i] = g[a];
      for (let j = 0; j < m; j++) D[i * 4 + j] = -dS[a * 4 + pick[j]];
    }
    // Z = J_base^-1 E: column j at Z[zo[j]...] (kept columns of a small system, else solved now)
    const nx = this.col.length;
    const rows = this.rows,
      zo = this.zo;
    for (let j = 0; j < m; j++) rows[j] = at[pick[j]];
    let Z: Float64Array = this.Z;
    if (BaseInverseColumns.keeps(nx)) Z = this.inverse.columns(h, h.lu, rows, m, nx, zo);
    else {
      Z.fill(0, 0, m * nx);
      for (let j = 0; j < m; j++) {
        zo[j] = j * nx;
        Z[j * nx + rows[j]] = 1;
      }
      solveColumns(h.lu, Z, m, nx, this.col);
    }
    // (I + E'Z D) y = E'Z g, w = g - D y
    const M = this.M,
      r = this.r,
      w = this.w;
    for (let i = 0; i < m; i++) {
      const row = rows[i];
      let ri = 0;
      for (let l = 0; l < m; l++) ri += Z[zo[l] + row] * g[l];
      r[i] = ri;
      for (let j = 0; j < m; j++) {
        let x = i === j ? 1 : 0;
        for (let l = 0; l < m; l++) x += Z[zo[l] + row] * D[l * 4 + j];
        M[i * 4 + j] = x;
      }
    }
    if (!solveSmall(M, r, m)) return null;
    for (let i = 0; i < m; i++) {
      let x = g[i];
      for (let j = 0; j < m; j++) x -= D[i * 4 + j] * r[j];
      if (!Number.isFinite(x)) return null;
      w[i] = x;
    }
    // dx = Z w in one pass (the same sums, in the same order, as one pass per column), then
    // x1 = x0 - dx laid out as newtonpf's x: Va(pv), Va(pq), Vm(pq)
    const dx = this.col;
    const w0 = w[0],
      w1 = m > 1 ? w[1] : 0,
      w2 = m > 2 ? w[2] : 0,
      w3 = m > 3 ? w[3] : 0;
    const o0 = zo[0],
      o1 = zo[1],
      o2 = zo[2],
      o3 = zo[3];
    if (m === 4) for (let c = 0; c < nx; c++) dx[c] = Z[o0 + c] * w0 + Z[o1 + c] * w1 + Z[o2 + c] * w2 + Z[o3 + c] * w3;
    else if (m === 3) for (let c = 0; c < nx; c++) dx[c] = Z[o0 + c] * w0 + Z[o1 + c] * w1 + Z[o2 + c] * w2;
    else if (m === 2) for (let c = 0; c < nx; c++) dx[c] = Z[o0 + c] * w0 + Z[o1 + c] * w1;
    else for (let c = 0; c < nx; c++) dx[c] = Z[o0 + c] * w0;
    const vm = this.vm,
      vaDeg = this.vaDeg;
    vm.set(base.vm);
    vaDeg.set(base.vaDeg);
    const { pv, pq } = h.ws;
    const npv = pv.length,
      npq = pq.length;
    for (let c = 0; c < npv; c++) vaDeg[pv[c]] -= dx[c] * R2D;
    for (let c = 0; c < npq; c++) {
      const b = pq[c];
      vaDeg[b] -= dx[npv + c] * R2D;
      vm[b] -= dx[npv + npq + c];
      if (!(vm[b] > 0)) return null;
    }
    return { vm, vaDeg };
  }

  /**
   * Into this.dS the derivatives of (P_f, P_t, Q_f, Q_t), the branch's terminal powers, by
   * (theta_f, theta_t, |V_f|, |V_t|) at the base solution, and into g their negatives (the
   * outage's mismatch at x0); false when not finite.
   */
  private branchTerms(
    k: number,
    f: number,
    t: number,
    base: StartPoint,
    adm: BranchAdmittances,
    g: Float64Array,
  ): boolean {
    const d = Math.PI / 180;
    const vf = base.vm[f],
      vt = base.vm[t];
    const c = Math.cos((base.vaDeg[f] - base.vaDeg[t]) * d),
      s = Math.sin((base.vaDeg[f] - base.vaDeg[t]) * d);
    // C_f = vf vt conj(Yft) e^{j(af - at)}, C_t = vf vt conj(Ytf) e^{-j(af - at)}
    const vv = vf * vt;
    const yftr = adm.Yft.re[k],
      yfti = -adm.Yft.im[k],
      ytfr = adm.Ytf.re[k],
      ytfi = -adm.Ytf.im[k];
    const cfr = vv * (yftr * c - yfti * s),
      cfi = vv * (yftr * s + yfti * c),
      ctr = vv * (ytfr * c + ytfi * s),
      cti = vv * (ytfi * c - ytfr * s);
    const yffr = adm.Yff.re[k],
      yffi = adm.Yff.im[k],
      yttr = adm.Ytt.re[k],
      ytti = adm.Ytt.im[k];
    // S_f = vf^2 conj(Yff) + C_f, S_t = vt^2 conj(Ytt) + C_t
    g[0] = -(vf * vf * yffr + cfr);
    g[1] = -(vt * vt * yttr + ctr);
    g[2] = -(-vf * vf * yffi + cfi);
    g[3] = -(-vt * vt * ytti + cti);
    const dS = this.dS;
    // dS_f = (j C_f, -j C_f, 2 vf conj(Yff) + C_f / vf, C_f / vt); dS_t = (-j C_t, j C_t, C_t / vf, 2 vt conj(Ytt) + C_t / vt)
    dS[0] = -cfi;
    dS[1] = cfi;
    dS[2] = 2 * vf * yffr + cfr / vf;
    dS[3] = cfr / vt;
    dS[4] = cti;
    dS[5] = -cti;
    dS[6] = ctr / vf;
    dS[7] = 2 * vt * yttr + ctr / vt;
    dS[8] = cfr;
    dS[9] = -cfr;
    dS[10] = -2 * vf * yffi + cfi / vf;
    dS[11] = cfi / vt;
    dS[12] = -ctr;
    dS[13] = ctr;
    dS[14] = cti / vf;
    dS[15] = -2 * vt * ytti + cti / vt;
    for (let i = 0; i < 4; i++) if (!Number.isFinite(g[i])) return false;
    for (let i = 0; i < 16; i++) if (!Number.isFinite(dS[i])) return false;
    return true;
  }
}

/**
 * r = M \ r in place for the leading m x m block of M (row stride 4, overwritten): Gaussian
 * elimination with partial pivoting; false when a pivot is not finite or is zero.
 */
function solveSmall(M: Float64Array, r: Float64Array, m: number): boolean {
  for (let c = 0; c < m; c++) {
    let p = c;
    for (let i = c + 1; i < m; i++) if (Math.abs(M[i * 4 + c]) > Math.abs(M[p * 4 + c])) p = i;
    const piv = M[p * 4 + c];
    if (!(Math.abs(piv) > 0) || !Number.isFinite(piv)) return false;
    if (p !== c) {
      for (let j = 0; j < m; j++) {
        const x = M[c * 4 + j];
        M[c * 4 + j] = M[p * 4 + j];
        M[p * 4 + j] = x;
      }
      const x = r[c];
      r[c] = r[p];
      r[p] = x;
    }
    for (let i = c + 1; i < m; i++) {
      const l = M[i * 4 + c] / piv;
      for (let j = c; j < m; j++) M[i * 4 + j] -= l * M[c * 4 + j];
      r[i] -= l * r[c];
    }
  }
  for (let i = m - 1; i >= 0; i--) {
    let x = r[i];
    for (let j = i + 1; j < m; j++) x -= M[i * 4 + j] * r[j];
    r[i] = x / M[i * 4 + i];
  }
  return true;
}
