/**
 * glibc's malloc thresholds for a process that factors with KLU (klu-native.ts calls this once,
 * when KLU loads): blocks below 32 MB come from the heap, and the heap keeps up to 64 MB of free
 * memory at its top instead of giving it back to the kernel at every free.
 *
 * Why: every KLU factorization mallocs its factors' memory (a cold solve of
 * pglib_opf_case2869_pegase: ~1.9 MB for L and U, with initmem 2) and frees it with them. glibc
 * serves a block of at least its mmap threshold (128 KB, raised to the size of the largest mmapped
 * block freed so far, which the next block of that same size still reaches) with a fresh mmap and
 * unmaps it when freed, and trims the heap's top once more than twice that threshold is free: so
 * each factorization touched fresh pages, which the kernel faulted in and zeroed. That cold solve
 * took ~160-190 minor page faults and ~0.3 ms of system time per solve (~4% of it); with these
 * thresholds 0.3 and ~0. The TypeScript LU's solves took 0.3 faults either way.
 *
 * The values are those glibc's own dynamic adjustment reaches after freeing one mmapped block of
 * 32 MB (its DEFAULT_MMAP_THRESHOLD_MAX on 64-bit; trim threshold twice the mmap threshold), set
 * up front, so a process keeps at most that much freed memory mapped. No effect where libc is not
 * glibc (no libc.so.6 with mallopt) or when GRIDBATCH_MALLOC_TUNE=0.
 */

/** mallopt parameters (malloc.h) */
const M_TRIM_THRESHOLD = -1;
const M_MMAP_THRESHOLD = -3;

export const MMAP_THRESHOLD_BYTES = 32 << 20;
export const TRIM_THRESHOLD_BYTES = 64 << 20;

type Mallopt = (param: number, value: number) => number;

let done = false;

/**
 * Sets the thresholds above through `koffi` (the FFI that loads KLU) once per process; returns
 * whether they were set (false: not glibc, disabled, or already tried).
 */
export function keepNativeHeap(koffi: { load(path: string): { func(decl: string): unknown } }): boolean {
  if (done) return false;
  done = true;
  if (process.env.GRIDBATCH_MALLOC_TUNE === '0') return false;
  let mallopt: Mallopt;
  try {
    mallopt = koffi.load('libc.so.6').func('int mallopt(int param, int value)') as Mallopt;
  } catch {
    return false;
  }
  // mallopt returns 1 on success
  return mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) === 1 && mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES) === 1;
}
