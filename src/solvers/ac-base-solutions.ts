/**
 * Solutions of the base case (the reference branch status) by the injections they were
 * solved for, so that outage variants of the same time slice start from the base case's
 * voltages (as lightsim2grid's ContingencyAnalysis does) instead of the case's flat values.
 * Keyed by a hash of the columns a time slice changes (loads, dispatch, voltage setpoints,
 * reactive limits) and checked against a copy of them, so a hash collision cannot hand back
 * the wrong slice. Holds at most about a million numbers (8 MB) per structure, oldest dropped first.
 */
import type { Network } from '../grid/network';
import { sameNumbers } from './same-numbers';

export interface StartPoint {
  vm: Float64Array;
  vaDeg: Float64Array;
}

interface Entry {
  cols: Float64Array[];
  start: StartPoint;
}

function injectionColumns(net: Network): Float64Array[] {
  return [net.bus.Pd, net.bus.Qd, net.gen.Pg, net.gen.Qg, net.gen.Vg, net.gen.Qmax, net.gen.Qmin];
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** Two independent 32-bit FNV-1a style hashes of the bit patterns, as one string key. */
function hashOf(cols: Float64Array[]): string {
  let h1 = 0x811c9dc5,
    h2 = 0x01000193;
  for (const c of cols) {
    for (let i = 0; i < c.length; i++) {
      f64[0] = c[i];
      h1 = Math.imul(h1 ^ u32[0], 0x01000193);
      h1 = Math.imul(h1 ^ u32[1], 0x01000193);
      h2 = Math.imul(h2 ^ u32[1], 0x5bd1e995) ^ (h2 >>> 15);
      h2 = Math.imul(h2 ^ u32[0], 0x5bd1e995) ^ (h2 >>> 13);
    }
    h1 = Math.imul(h1 ^ c.length, 0x01000193);
  }
  return `${(h1 >>> 0).toString(36)}:${(h2 >>> 0).toString(36)}`;
}

function sameCols(a: Float64Array[], b: Float64Array[]): boolean {
  for (let k = 0; k < a.length; k++) if (!sameNumbers(a[k], b[k])) return false;
  return true;
}

/** sameCols(cols, injectionColumns(net)) without the list. */
function sameInjections(c: Float64Array[], net: Network): boolean {
  const { bus, gen } = net;
  return (
    sameNumbers(c[0], bus.Pd) &&
    sameNumbers(c[1], bus.Qd) &&
    sameNumbers(c[2], gen.Pg) &&
    sameNumbers(c[3], gen.Qg) &&
    sameNumbers(c[4], gen.Vg) &&
    sameNumbers(c[5], gen.Qmax) &&
    sameNumbers(c[6], gen.Qmin)
  );
}

export class BaseSolutions {
  private readonly entries = new Map<string, Entry>();
  private readonly capacity: number;
  /** The entry last stored or found: the outages of one time slice ask for it in a row. */
  private last: Entry | undefined;

  /** `dropped`: told of each kept start point that is let go (replaced or the oldest over capacity). */
  constructor(
    net: Network,
    private readonly dropped: (start: StartPoint) => void = () => undefined,
  ) {
    const perEntry = 4 * net.bus.n + 5 * net.gen.n + 1;
    this.capacity = Math.max(4, Math.floor(1e6 / perEntry));
  }

  get(net: Network): StartPoint | undefined {
    // the outages of one slice: the last entry, checked without building the column list
    if (this.last && sameInjections(this.last.cols, net)) return this.last.start;
    const cols = injectionColumns(net);
    const e = this.entries.get(hashOf(cols));
    if (!e || !sameCols(e.cols, cols)) return undefined;
    this.last = e;
    return e.start;
  }

  /** Keeps a copy of `start` for net's injections; returns the copy (what `get` hands back). */
  set(net: Network, start: StartPoint): StartPoint {
    const cols = injectionColumns(net);
    const key = hashOf(cols);
    this.drop(key);
    if (this.entries.size >= this.capacity) this.drop(this.entries.keys().next().value as string);
    const e = { cols: cols.map((c) => c.slice()), start: { vm: start.vm.slice(), vaDeg: start.vaDeg.slice() } };
    this.entries.set(key, e);
    this.last = e;
    return e.start;
  }

  private drop(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    if (this.last === e) this.last = undefined;
    this.dropped(e.start);
  }

  get size(): number {
    return this.entries.size;
  }
}
