/**
 * Generation cost of a dispatch from the case's gencost rows, as MATPOWER's totcost (featurize's
 * OPFData objective and the report's cost column when a job has no OPF objective).
 */
import { GenCostRow, Network } from '../grid/network';

/** Generation cost of a dispatch ($/h): sum of each in-service generator's gencost at its Pg. */
export function generationCost(net: Network, pgMw: ArrayLike<number | null>): number {
  let cost = 0;
  for (let k = 0; k < net.gen.n; k++) {
    if (!(net.gen.status[k] > 0)) continue;
    const p = pgMw[k];
    if (p === null || p === undefined || Number.isNaN(p)) continue;
    cost += totcost(net.gencost[k], p);
  }
  return cost;
}

/** Cost of one generator at x MW as MATPOWER's totcost: polynomial, or piecewise-linear interpolation / extrapolation. */
export function totcost(row: GenCostRow | undefined, x: number): number {
  if (!row || row.coeffs.length === 0) return 0;
  const c = row.coeffs;
  if (row.model === 2) {
    let f = 0;
    for (const a of c) f = f * x + a;
    return f;
  }
  const np = c.length / 2;
  if (np < 2) return np === 1 ? c[1] : 0;
  let seg = 0;
  while (seg < np - 2 && x > c[2 * (seg + 1)]) seg++;
  const x0 = c[2 * seg],
    y0 = c[2 * seg + 1],
    x1 = c[2 * seg + 2],
    y1 = c[2 * seg + 3];
  return x1 === x0 ? y0 : y0 + ((y1 - y0) / (x1 - x0)) * (x - x0);
}
