/**
 * Equality of two Float64Arrays for the solver caches' keys. A true answer means the arrays
 * hold the same numbers (a NaN matching a NaN), so a cache hit is always right. Long arrays are
 * compared as bytes (memcmp, several times faster than an element loop on the thousands of
 * values a structure key holds), where 0 and -0 or NaNs of different bits differ: that false
 * answer only costs a rebuild.
 */
function bytesOf(a: Float64Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Below this length an element loop beats making the two byte views. */
const LOOP_MAX = 256;

export function sameNumbers(a: Float64Array, b: Float64Array): boolean {
  if (a === b) return true;
  const n = a.length;
  if (n !== b.length) return false;
  if (n <= LOOP_MAX) {
    for (let i = 0; i < n; i++) {
      const x = a[i],
        y = b[i];
      if (x !== y && (x === x || y === y)) return false;
    }
    return true;
  }
  return bytesOf(a).equals(bytesOf(b));
}
