/**
 * The one branch an outage takes out of a base topology, for the N-1 starts that work from the
 * base case's solution (ac-outage-start.ts, ac-outage-newton-start.ts).
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
