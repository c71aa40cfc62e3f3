/**
 * Strings in Parquet's terms for the flat writer (parquet-flat-encode.ts): their PLAIN bytes
 * (4-byte length, UTF-8) and their bounds in UTF-8 byte order (BYTE_ARRAY statistics).
 */

/** Whether UTF-8 byte order may differ from UTF-16 order for `s` (it has a char at or above U+D800). */
function hasHighChar(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0xd800) return true;
  return false;
}

/** min and max of strings in UTF-8 byte order (Parquet's order for BYTE_ARRAY statistics). */
export function stringBounds(list: string[]): { min?: string; max?: string } {
  if (list.length === 0) return {};
  const exact = list.some(hasHighChar);
  const before = exact
    ? (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b)) < 0
    : (a: string, b: string) => a < b;
  let min = list[0],
    max = list[0];
  for (const s of list) {
    if (before(s, min)) min = s;
    if (before(max, s)) max = s;
  }
  return { min, max };
}

/** PLAIN bytes (4-byte length, UTF-8) of `list`. */
export function plainStrings(list: ArrayLike<string>, count: number): Uint8Array {
  let bound = 0;
  for (let i = 0; i < count; i++) bound += 4 + 3 * list[i].length;
  const out = Buffer.allocUnsafe(bound);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const len = out.write(list[i], at + 4, 'utf8');
    out.writeUInt32LE(len, at);
    at += 4 + len;
  }
  return out.subarray(0, at);
}
