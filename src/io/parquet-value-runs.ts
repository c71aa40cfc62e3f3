/**
 * String columns filled as runs of one value (a job's scenario id and time on each of its bus,
 * branch and generator rows: result-tables.ts) carry their runs to the Parquet encoder
 * (parquet-flat-encode.ts), which builds the column's dictionary and its RLE indexes from the
 * runs, a step per job instead of three passes over the rows. The runs are registered with the
 * very array they filled, so any other array (a slice, a column built otherwise) is read row by
 * row as before; the bytes are the same either way.
 */

/** Values seen before a column of mostly distinct strings gives up its dictionary. */
export const DICTIONARY_PROBE = 64;

export interface ValueRuns {
  values: (string | null)[];
  /** run k covers rows [ends[k - 1] ?? 0, ends[k]) */
  ends: number[];
}

const registered = new WeakMap<object, ValueRuns>();

/**
 * A string column's rows, filled by `fill(value, from, to)` over consecutive ranges from row 0;
 * done() returns the column with its runs registered (when they cover every row).
 */
export class RunFilledColumn {
  readonly data: (string | null)[];
  private readonly runs: ValueRuns = { values: [], ends: [] };
  /** a fill that did not start where the last one ended: the runs are not registered */
  private broken = false;
  constructor(rows: number) {
    this.data = new Array<string | null>(rows);
  }

  fill(value: string | null, from: number, to: number): void {
    if (to <= from) return;
    this.data.fill(value, from, to);
    const { values, ends } = this.runs;
    const k = values.length;
    if ((k ? ends[k - 1] : 0) !== from) this.broken = true;
    if (k && values[k - 1] === value) ends[k - 1] = to;
    else {
      values.push(value);
      ends.push(to);
    }
  }

  done(): (string | null)[] {
    const { ends } = this.runs;
    if (!this.broken && (ends.length ? ends[ends.length - 1] : 0) === this.data.length)
      registered.set(this.data, this.runs);
    return this.data;
  }
}

/** The runs of consecutive pieces, when every piece was filled by a RunFilledColumn. */
export function runsOfPieces(pieces: readonly ArrayLike<unknown>[]): ValueRuns | undefined {
  if (pieces.length === 1) return registered.get(pieces[0]);
  const values: (string | null)[] = [];
  const ends: number[] = [];
  let offset = 0;
  for (const p of pieces) {
    const r = registered.get(p);
    if (!r) return undefined;
    for (let k = 0; k < r.values.length; k++) {
      values.push(r.values[k]);
      ends.push(offset + r.ends[k]);
    }
    offset += p.length;
  }
  return { values, ends };
}

/** A dictionary-encoded string column from its runs: the dictionary, the runs of its indexes. */
export interface RunDictionary {
  dict: string[];
  /** dictionary index and length of each run of equal indexes (missing rows left out) */
  index: number[];
  lengths: number[];
  /** present values */
  count: number;
  /** present flags of the rows, when a value is missing */
  present?: Uint8Array;
}

/**
 * The dictionary of a run-filled column, exactly as parquet-flat-encode.ts's dictionaryOf makes
 * it row by row (values in order of first use; undefined, for the plain encoding, when a new
 * value comes at or after DICTIONARY_PROBE values and the dictionary holds more than half of
 * them, or when it does at the end).
 */
export function dictionaryOfRuns(name: string, runs: ValueRuns, n: number): RunDictionary | undefined {
  const seen = new Map<string, number>();
  const dict: string[] = [];
  const index: number[] = [];
  const lengths: number[] = [];
  let present: Uint8Array | undefined;
  let k = 0;
  let from = 0;
  for (let r = 0; r < runs.values.length; r++) {
    const v = runs.values[r];
    const to = runs.ends[r];
    const len = to - from;
    if (v === null || v === undefined) {
      if (!present) present = new Uint8Array(n).fill(1, 0, from);
      from = to;
      continue;
    }
    if (typeof v !== 'string') throw new Error(`parquet: column ${name} (STRING) holds ${String(v)} at row ${from}`);
    present?.fill(1, from, to);
    let at = seen.get(v);
    if (at === undefined) {
      at = dict.length;
      dict.push(v);
      seen.set(v, at);
      if (k >= DICTIONARY_PROBE && 2 * dict.length > k) return undefined;
    }
    const last = index.length - 1;
    if (last >= 0 && index[last] === at) lengths[last] += len;
    else {
      index.push(at);
      lengths.push(len);
    }
    k += len;
    from = to;
  }
  if (2 * dict.length > k && k > 1) return undefined;
  return { dict, index, lengths, count: k, present };
}
