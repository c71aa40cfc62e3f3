/**
 * The DC network matrices of MATPOWER's makeBdc:
 *   b_l = status_l / (x_l * tap_l),  Bf = diag(b) * Cft,  Bbus = Cft' * Bf,
 *   Pfinj = -b .* shift (radians),   Pbusinj = Cft' * Pfinj.
 * Out-of-service branches (Status.branchOn = 0) contribute nothing.
 * Bus indices are rows of the bus table (0-based, file order).
 */
import { InputError } from '../errors';
import { Status } from './bustypes';
import { Network } from '../grid/network';
import { Csc, cscFromTriplets } from './sparse/csc';

export interface Bdc {
  Bbus: Csc;
  Bf: Csc;
  /** per branch, p.u. */
  Pfinj: Float64Array;
  /** per bus, p.u. */
  Pbusinj: Float64Array;
  /** b_l of every branch (0 when out of service) */
  b: Float64Array;
}

export function makeBdc(net: Network, st: Status): Bdc {
  const { branch } = net;
  const nb = net.bus.n;
  const nl = branch.n;
  const b = new Float64Array(nl);
  const Pfinj = new Float64Array(nl);
  const Pbusinj = new Float64Array(nb);
  const bfR: number[] = [],
    bfC: number[] = [],
    bfV: number[] = [];
  const bbR: number[] = [],
    bbC: number[] = [],
    bbV: number[] = [];
  for (let l = 0; l < nl; l++) {
    if (!st.branchOn[l]) continue;
    if (branch.x[l] === 0)
      throw new InputError(
        `branch row ${l + 1} (${branch.fbus[l]}-${branch.tbus[l]}) has x = 0; the DC model needs a non-zero reactance`,
        { key: `branch[${l + 1}].x` },
      );
    const tap = branch.ratio[l] !== 0 ? branch.ratio[l] : 1;
    const bl = 1 / (branch.x[l] * tap);
    b[l] = bl;
    const f = st.f[l];
    const t = st.t[l];
    bfR.push(l, l);
    bfC.push(f, t);
    bfV.push(bl, -bl);
    bbR.push(f, f, t, t);
    bbC.push(f, t, f, t);
    bbV.push(bl, -bl, -bl, bl);
    const pf = (-bl * (branch.angle[l] * Math.PI)) / 180;
    Pfinj[l] = pf;
    Pbusinj[f] += pf;
    Pbusinj[t] -= pf;
  }
  return {
    Bbus: cscFromTriplets(nb, nb, bbR, bbC, bbV),
    Bf: cscFromTriplets(nl, nb, bfR, bfC, bfV),
    Pfinj,
    Pbusinj,
    b,
  };
}
