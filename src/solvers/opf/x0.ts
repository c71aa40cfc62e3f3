/**
 * MATPOWER's interior starting point (dcopf_solver / nlpopf_solver, opf.start 0 or 1):
 * the midpoint of each variable's bounds (infinite bounds replaced by +-1e10), or 1 inside
 * the finite bound when only one side is bounded. Callers then set the angles to the first
 * reference angle, AC voltage magnitudes to the midpoint of [max(Vmin, 0.5), min(Vmax, 1.5)],
 * and piecewise-linear cost variables to max y + 0.1 |max y|.
 */
export function interiorX0(xmin: Float64Array, xmax: Float64Array, s = 1): Float64Array {
  const n = xmin.length;
  const x0 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const lo = xmin[i],
      hi = xmax[i];
    if (lo === -Infinity && hi < Infinity) x0[i] = hi - s;
    else if (lo > -Infinity && hi === Infinity) x0[i] = lo + s;
    else x0[i] = ((lo === -Infinity ? -1e10 : lo) + (hi === Infinity ? 1e10 : hi)) / 2;
  }
  return x0;
}
