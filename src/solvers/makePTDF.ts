/**
 * DC power transfer distribution factors, as MATPOWER's makePTDF with a single slack bus:
 *   H = Bf * inv(Bbus) with the slack's row and column of Bbus removed (its angle fixed at 0),
 *   so H(l, j) is the change of the flow on branch l (p.u.) for 1 p.u. injected at bus j and
 *   withdrawn at the slack; column `slack` is zero.
 *
 * Everything comes from one factorization of B[pvpq, pvpq] (the prepared DC power-flow model,
 * pf-dc.ts): a column of H is one pair of triangular solves and one product with Bf, so
 * contingency analysis asks for the columns it needs (`ptdfTransfer`) instead of forming the
 * dense nl x nb matrix; `makePTDF` forms it for small cases.
 */
import type { DcPfModel } from './pf-dc';

/** Reusable scratch for transfer solves on one model. */
export interface PtdfWorkspace {
  readonly model: DcPfModel;
  /** bus row -> position in pvpq (-1 for reference buses) */
  readonly pos: Int32Array;
  readonly rhs: Float64Array;
  readonly x: Float64Array;
}

export function ptdfWorkspace(model: DcPfModel, nb: number): PtdfWorkspace {
  const pos = new Int32Array(nb).fill(-1);
  model.pvpq.forEach((b, k) => {
    pos[b] = k;
  });
  return { model, pos, rhs: new Float64Array(model.pvpq.length), x: new Float64Array(model.pvpq.length) };
}

/**
 * Bus angles (p.u. rad, reference angles 0) for injecting +1 p.u. at bus `from` and -1 p.u. at
 * bus `to` (either may be -1 for none; the reference takes up the balance): w = B^-1 (e_from - e_to).
 * Written into `theta` (length nb, reference entries 0).
 */
export function transferAngles(ws: PtdfWorkspace, from: number, to: number, theta: Float64Array): Float64Array {
  const { pos, rhs, x, model } = ws;
  rhs.fill(0);
  if (from >= 0 && pos[from] >= 0) rhs[pos[from]] += 1;
  if (to >= 0 && pos[to] >= 0) rhs[pos[to]] -= 1;
  model.lu.solve(rhs, x);
  theta.fill(0);
  const pvpq = model.pvpq;
  for (let k = 0; k < pvpq.length; k++) theta[pvpq[k]] = x[k];
  return theta;
}

/** Branch flow changes Bf * theta (p.u.), written into `out` (length nl). */
export function branchFlowsOf(model: DcPfModel, theta: Float64Array, out: Float64Array): Float64Array {
  const { colPtr, rowIdx, values, n } = model.bdc.Bf;
  out.fill(0);
  for (let j = 0; j < n; j++) {
    const t = theta[j];
    if (t === 0) continue;
    for (let p = colPtr[j]; p < colPtr[j + 1]; p++) out[rowIdx[p]] += values[p] * t;
  }
  return out;
}

/** PTDF column for a transfer from bus `from` to bus `to` (flow change per p.u. transferred). */
export function ptdfTransfer(
  ws: PtdfWorkspace,
  from: number,
  to: number,
  theta: Float64Array,
  out: Float64Array,
): Float64Array {
  return branchFlowsOf(ws.model, transferAngles(ws, from, to, theta), out);
}

/**
 * The dense PTDF matrix (row-major nl x nb, H[l * nb + j]) with the model's (single) reference
 * bus as slack, as MATPOWER's makePTDF(mpc) with the default slack.
 */
export function makePTDF(model: DcPfModel, nb: number, nl: number): Float64Array {
  if (model.ref.length !== 1)
    throw new RangeError(`makePTDF needs exactly one reference bus, the model has ${model.ref.length}`);
  const ws = ptdfWorkspace(model, nb);
  const H = new Float64Array(nl * nb);
  const theta = new Float64Array(nb);
  const col = new Float64Array(nl);
  for (const j of model.pvpq) {
    ptdfTransfer(ws, j, -1, theta, col);
    for (let l = 0; l < nl; l++) H[l * nb + j] = col[l];
  }
  return H;
}
