/**
 * Zeroed typed arrays carved out of shared slabs, for the many small arrays a power flow's setup
 * makes (Newton workspace, Jacobian pattern, ordering): a typed array of its own is an external
 * buffer (allocation, zeroing, garbage-collector bookkeeping), ~0.4 us each on a quiet machine and
 * 1-2.5 us under load, where a view of a slab costs ~30 ns. A case118 cold solve made ~54 of them
 * (bench/pf-cold-phases.ts's setup phases; solution.ts carves its result arrays the same way).
 *
 * Views are consecutive and never handed out twice, so each starts zeroed (a fresh slab is) and
 * writing one never touches another; a slab is freed when none of its views is referenced any
 * more, so a view kept by a long-lived object would keep its whole slab (SLAB_BYTES) alive: only
 * arrays that die with the call or the one-shot solve that made them come from here (scratch of
 * a setup step, everything of a cold solve: pf-ac-cold.ts); a prepared solver's kept arrays are
 * buffers of their own (`ownArrays`). Arrays above LARGE_BYTES get a buffer of their own.
 *
 * Inside `reusingScratch` (a one-shot solve, solvePfAc) views of every size are carved from
 * chunks that outlive the call instead: when it returns, everything carved during it is dead, so
 * the next one-shot solve carves the same memory again, zeroing each view as it hands it out.
 * Only memory is reused, never values: each view still starts zeroed. A case9241pegase cold solve
 * carved ~7.6 MB of fresh buffers, external memory that drove a full garbage collection every few
 * solves; reused, it is one zeroing pass over memory already mapped.
 */
const SLAB_BYTES = 1 << 20;
const LARGE_BYTES = SLAB_BYTES >> 3;

let slab = new ArrayBuffer(0);
let used = 0;

/** Chunks kept between one-shot solves (at most KEEP_BYTES in all), carved in order. */
const KEEP_BYTES = 64 << 20;
const chunks: ArrayBuffer[] = [];
let keptBytes = 0;
/** Nesting depth of reusingScratch; the chunk and byte a reusing carve continues from. */
let depth = 0;
let chunkAt = 0;
let chunkUsed = 0;

/**
 * Runs `solve` with the scratch views it carves taken from memory the previous such call used
 * (see above): no view carved inside may outlive the call. Nested calls share the outer one's.
 */
export function reusingScratch<T>(solve: () => T): T {
  if (depth === 0) {
    chunkAt = 0;
    chunkUsed = 0;
  }
  depth++;
  try {
    return solve();
  } finally {
    depth--;
  }
}

/**
 * Where a reusing carve puts `bytes` bytes (8-aligned): the byte offset in the kept chunk it
 * leaves in `carvedIn`, or -1 (a buffer of their own). The memory is not zeroed yet: the caller
 * zeroes the view it makes there (one typed array per carve, not two, and no result object).
 */
let carvedIn = new ArrayBuffer(0);
function carveReused(bytes: number): number {
  for (; chunkAt < chunks.length; chunkAt++, chunkUsed = 0) {
    const buf = chunks[chunkAt];
    const at = (chunkUsed + 7) & ~7;
    if (at + bytes <= buf.byteLength) {
      chunkUsed = at + bytes;
      carvedIn = buf;
      return at;
    }
  }
  const size = Math.max(SLAB_BYTES, bytes);
  if (keptBytes + size > KEEP_BYTES) return -1;
  const buf = new ArrayBuffer(size);
  chunks.push(buf);
  keptBytes += size;
  chunkUsed = bytes;
  carvedIn = buf;
  return 0;
}

/**
 * true inside `reusingScratch` (a one-shot solve): patterns made there die with the solve, so
 * what is derived from them is not worth keeping in a cache keyed by them (bus-injections.ts,
 * branch-row-pairs.ts).
 */
export function insideOneShot(): boolean {
  return depth > 0;
}

/** Byte offset of `bytes` fresh bytes (8-aligned) in `slab`, or -1 when they get their own buffer. */
function carve(bytes: number): number {
  if (bytes > LARGE_BYTES) return -1;
  let at = (used + 7) & ~7;
  if (at + bytes > slab.byteLength) {
    slab = new ArrayBuffer(SLAB_BYTES);
    at = 0;
  }
  used = at + bytes;
  return at;
}

export function scratchF64(n: number): Float64Array {
  if (depth > 0) {
    const r = carveReused(8 * n);
    return r >= 0 ? new Float64Array(carvedIn, r, n).fill(0) : new Float64Array(n);
  }
  const at = carve(8 * n);
  return at < 0 ? new Float64Array(n) : new Float64Array(slab, at, n);
}

export function scratchI32(n: number): Int32Array {
  if (depth > 0) {
    const r = carveReused(4 * n);
    return r >= 0 ? new Int32Array(carvedIn, r, n).fill(0) : new Int32Array(n);
  }
  const at = carve(4 * n);
  return at < 0 ? new Int32Array(n) : new Int32Array(slab, at, n);
}

export function scratchU8(n: number): Uint8Array {
  if (depth > 0) {
    const r = carveReused(n);
    return r >= 0 ? new Uint8Array(carvedIn, r, n).fill(0) : new Uint8Array(n);
  }
  const at = carve(n);
  return at < 0 ? new Uint8Array(n) : new Uint8Array(slab, at, n);
}

/** A zeroed complex vector of length n (its real and imaginary parts, one carve). */
export function scratchZVec(n: number): { re: Float64Array; im: Float64Array } {
  const b = scratchF64(2 * n);
  return { re: b.subarray(0, n), im: b.subarray(n) };
}

/** Where a setup step takes the zeroed arrays it returns: slab views or buffers of their own. */
export interface ArrayAlloc {
  f64(n: number): Float64Array;
  i32(n: number): Int32Array;
  u8(n: number): Uint8Array;
}

/** For arrays that die with a one-shot solve. */
export const slabArrays: ArrayAlloc = { f64: scratchF64, i32: scratchI32, u8: scratchU8 };

/** For arrays a long-lived object keeps. */
export const ownArrays: ArrayAlloc = {
  f64: (n) => new Float64Array(n),
  i32: (n) => new Int32Array(n),
  u8: (n) => new Uint8Array(n),
};
