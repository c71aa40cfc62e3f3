/**
 * Equality of two Float64Arrays for the solver caches' keys. A true answer means the arrays
 * hold the same numbers (a NaN matching a NaN), so a cache hit is always right. Arrays of more
 * than LOOP_MAX values are compared as bytes (memcmp: ~75 ns on 54-186 doubles against ~1.4 ns
 * per element for a loop, once the byte views exist), where 0 and -0 or NaNs of different bits
 * differ: that false answer only costs a rebuild.
 */
/**
 * Each array's byte view, made once: the columns a solver compares are mostly long-lived (a
 * structure key's copies, a base network's columns every outage view shares), and making two
 * Buffer views per comparison costs ~3x the memcmp itself (~215 against ~75 ns on 118 doubles).
 */
const views = new WeakMap<Float64Array, Buffer>();

function bytesOf(a: Float64Array): Buffer {
  let b = views.get(a);
  if (b === undefined) {
    b = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    views.set(a, b);
  }
  return b;
}

/** Below this length an element loop beats the byte views' look-up (~1.4 ns per element, ~75 ns). */
const LOOP_MAX = 56;

/**
 * Up to this length two arrays of which one has no byte view yet are compared by an element loop,
 * which stops at the first difference: such an array is mostly new (an outage view's own status
 * column, one per job, against the kept variants' columns), and making its view (a Buffer and a
 * WeakMap entry, ~250 ns, plus the collector's work on the entry) costs more than the loop over
 * a case118 branch column (186 values, at most ~260 ns). Arrays the loop finds equal get their
 * views: they are mostly compared again (a structure key's copy against the base's column).
 */
const FRESH_LOOP_MAX = 1024;

function sameByLoop(a: Float64Array, b: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const x = a[i],
      y = b[i];
    if (x !== y && (x === x || y === y)) return false;
  }
  return true;
}

export function sameNumbers(a: Float64Array, b: Float64Array): boolean {
  if (a === b) return true;
  const n = a.length;
  if (n !== b.length) return false;
  if (n <= LOOP_MAX) return sameByLoop(a, b, n);
  const va = views.get(a),
    vb = views.get(b);
  if (va !== undefined && vb !== undefined) return va.equals(vb);
  if (n <= FRESH_LOOP_MAX) {
    if (!sameByLoop(a, b, n)) return false;
    bytesOf(a);
    bytesOf(b);
    return true;
  }
  return bytesOf(a).equals(bytesOf(b));
}

/**
 * A copy of a column, asked on every solve whether a column (mostly the very column it was
 * copied from, since changed in place or not) still holds the same numbers: sameNumbers(copy,
 * col), with the copy's byte view made once and the last column asked and its view remembered, so
 * a solve on the same column objects (every outage view of one base, a time series' slice) makes
 * no WeakMap look-ups (two per sameNumbers call: the structure check of a case118 solve made 22).
 */
export class KeptColumn {
  readonly copy: Float64Array;
  private readonly view: Buffer | null;
  private seen: Float64Array | null = null;
  private seenView: Buffer | null = null;

  constructor(col: Float64Array) {
    this.copy = col.slice();
    this.view = this.copy.length > LOOP_MAX ? bytesOf(this.copy) : null;
  }

  matches(col: Float64Array): boolean {
    const copy = this.copy;
    const n = copy.length;
    if (col.length !== n) return false;
    if (this.view === null) return sameByLoop(copy, col, n);
    let v = this.seenView;
    if (col !== this.seen || v === null) {
      v = Buffer.from(col.buffer, col.byteOffset, col.byteLength);
      this.seen = col;
      this.seenView = v;
    }
    return this.view.equals(v);
  }
}
