/**
 * Bitwise equality of two Float64Arrays (memcmp on their bytes): what the solver caches
 * compare their keys with. Equal bits mean equal inputs, so a cache hit is always right (a NaN
 * matches the same NaN; 0 and -0 differ, which only costs a rebuild). Several times faster
 * than an element loop on the thousands of values a structure key holds.
 */
function bytesOf(a: Float64Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

export function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  return bytesOf(a).equals(bytesOf(b));
}
