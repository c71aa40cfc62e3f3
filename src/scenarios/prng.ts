/**
 * Deterministic pseudo-random numbers for load perturbations: mulberry32 (32-bit state, period
 * 2^32, plenty for drawing a few hundred factors per sample). Each sample k of a generator gets its
 * own stream seeded from (seed, k), so sample k is the same whatever `samples` is and whichever
 * subset of scenarios is loaded. Only 32-bit integer arithmetic is used: the same numbers on every
 * platform and Node version.
 */

export type Rng = () => number;

// Module-level bindings: inside a vm context (jest) every global lookup goes through an
// interceptor, which makes Math.imul in a hot loop ~40x slower.
const imul = Math.imul;

/** Uniform in [0, 1), 2^-32 resolution. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit finaliser (murmur3 fmix32) used to derive independent stream seeds. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h = imul(h ^ (h >>> 16), 0x85ebca6b);
  h = imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Seed of the stream of sample `k` of a generator seeded with `seed` (any safe integer). */
export function sampleSeed(seed: number, k: number): number {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  return mix32(mix32(lo ^ mix32(hi + 0x9e3779b9)) ^ mix32(k + 0x632be5ab));
}

/** Uniform in [lo, hi]. */
export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng();
}
