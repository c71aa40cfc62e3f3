/**
 * Generation cost of a dispatch from the case's gencost rows (featurize's OPFData objective and
 * the report's cost column when a job has no OPF objective). The OPF uses MATPOWER's totcost
 * (src/solvers/opf/opf-costs.ts), whose piecewise-linear branch rounds in another order: the
 * two stay apart so that outputs keep their bits.
 */
import { GenCostRow, Network } from '../grid/network';

/** Generation cost of a dispatch ($/h): sum of each in-service generator's gencost at its Pg. */
export function generationCost(net: Network, pgMw: ArrayLike<number | null>): number {
  let cost = 0;
  for (let k = 0; k < net.gen.n; k++) {
    if (!(net.gen.status[k] > 0)) continue;
    const p = pgMw[k];
    if (p === null || p === undefined || Number.isNaN(p)) continue;
    cost += costAt(net.gencost[k], p);
  }
  return cost;
}

/** Value of one gencost row at P (MW): polynomial, or linear interpolation / extrapolation. */
export function costAt(row: GenCostRow | undefined, p: number): number {
  if (!row || row.coeffs.length === 0) return 0;
  const c = row.coeffs;
  if (row.model === 2) {
    let v = 0;
    for (const a of c) v = v * p + a;
    return v;
  }
  const n = c.length / 2;
  if (n === 1) return c[1];
  let j = 0;
  while (j < n - 2 && p > c[2 * (j + 1)]) j++;
  const [x1, y1, x2, y2] = [c[2 * j], c[2 * j + 1], c[2 * j + 2], c[2 * j + 3]];
  return x2 === x1 ? y1 : y1 + ((y2 - y1) * (p - x1)) / (x2 - x1);
}
