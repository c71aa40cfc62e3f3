/**
 * A job's network as a copy-on-write draft of the base: the bus, generator and branch tables are
 * new objects whose columns are the base's own arrays until a step of applyScenario writes one
 * (`col` copies it first), and the cost rows are the base's until one is replaced (`gencost`
 * copies the list; rows are replaced, never changed in place). A branch outage then copies one
 * column (the branch status) instead of the whole network, a time slice the columns its profile
 * and scaling touch: a full clone is ~390 KB of fresh buffer per job on case1354pegase (~0.3 ms
 * in a loop: page faults and garbage collection), more than a warm power flow's own time.
 *
 * Nothing after applyScenario writes into a job's network (the solvers read it; islands.ts
 * clones before it de-energizes anything): tests/scenarios/network-draft.test.ts solves drafts
 * and checks the base is untouched.
 */
import type { BranchTable, BusTable, GenCostRow, GenTable, Network } from '../grid/network';

type ColumnOf<T> = { [K in keyof T]: T[K] extends Float64Array ? K : never }[keyof T];

interface Tables {
  bus: BusTable;
  gen: GenTable;
  branch: BranchTable;
}

/**
 * Column copies up to COPY_BLOCK / 8 values are views of shared blocks: a typed array of its own
 * is an external buffer (~0.5-1 us to allocate, plus the collector's bookkeeping), a view ~30 ns,
 * and an N-1 job copies one column (case118's 186 branch statuses: ~3% of a warm outage solve).
 * A block lives while any view of it does: a kept job network keeps at most COPY_BLOCK bytes.
 */
const COPY_BLOCK = 64 * 1024;
let block = new Float64Array(0);
let blockUsed = 0;

function columnCopy(c: Float64Array): Float64Array {
  const n = c.length;
  if (8 * n > COPY_BLOCK >> 3) return c.slice();
  if (blockUsed + n > block.length) {
    block = new Float64Array(COPY_BLOCK / 8);
    blockUsed = 0;
  }
  const copy = block.subarray(blockUsed, blockUsed + n);
  blockUsed += n;
  copy.set(c);
  return copy;
}

export class NetworkDraft {
  readonly net: Network;

  constructor(private readonly base: Network) {
    this.net = { ...base, bus: { ...base.bus }, gen: { ...base.gen }, branch: { ...base.branch } };
  }

  /** The draft's own copy of one column (copied from the base on first use), to write into. */
  col<T extends keyof Tables, K extends ColumnOf<Tables[T]>>(table: T, key: K): Float64Array {
    const t = this.net[table] as unknown as Record<K, Float64Array>;
    const c = t[key];
    if (c !== (this.base[table] as unknown as Record<K, Float64Array>)[key]) return c;
    const copy = columnCopy(c);
    t[key] = copy;
    return copy;
  }

  /** The draft's own list of cost rows, whose entries may be replaced (never changed in place). */
  gencost(): GenCostRow[] {
    if (this.net.gencost === this.base.gencost) this.net.gencost = this.base.gencost.slice();
    return this.net.gencost;
  }
}

/** The base network with the given branch rows out of service, sharing every other column. */
export function branchOutageView(base: Network, rows: Iterable<number>): Network {
  const d = new NetworkDraft(base);
  const status = d.col('branch', 'status');
  for (const l of rows) status[l] = 0;
  return d.net;
}
