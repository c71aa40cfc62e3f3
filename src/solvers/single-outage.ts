/**
 * The one branch an outage takes out of a base topology, for the N-1 starts that work from the
 * base case's solution (ac-outage-start.ts, ac-outage-newton-start.ts), and the one row a branch
 * status column changes from the prepared solver's reference (its variants' key, pf-ac-cache.ts).
 */

/** The branch `on` has out and `base` in, when that is the only difference; else -1. */
export function singleOutage(base: Uint8Array, on: Uint8Array): number {
  let k = -1;
  for (let l = 0; l < on.length; l++) {
    if (on[l] === base[l]) continue;
    if (on[l] || k >= 0) return -1;
    k = l;
  }
  return k;
}

/**
 * The one row where branch status column `bs` differs from `ref` (a NaN matching a NaN): -1
 * when none does, -2 when several do. Stops at the second difference.
 */
export function singleStatusChange(ref: Float64Array, bs: Float64Array): number {
  if (ref === bs) return -1;
  const n = ref.length;
  if (bs.length !== n) return -2;
  let k = -1;
  for (let l = 0; l < n; l++) {
    const x = bs[l],
      y = ref[l];
    if (x === y || (x !== x && y !== y)) continue;
    if (k >= 0) return -2;
    k = l;
  }
  return k;
}
